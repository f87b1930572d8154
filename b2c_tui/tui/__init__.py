"""The Textual explorer: the only package that imports textual."""

from __future__ import annotations

import os

#: Frames a second at most. Textual draws a changed screen on a timer of ``TEXTUAL_FPS`` ticks
#: (60 by default): a key that lands just after a frame waits up to 16.7 ms for its own, which
#: alone put the keys' p99 over 16 ms (benchmarks/bench_table.py, bench_xml_view.py). At 120 the
#: wait is at most 8.3 ms; frames are still drawn only when something changed. Set before
#: textual is first imported (it reads the variable once); a user's own TEXTUAL_FPS wins.
FRAME_RATE = "120"
os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)
