"""Start-up marks for the launch benchmark: ``B2C_TUI_TIMING=<file>`` appends
``<name> <epoch seconds> <process CPU seconds>`` lines when the first frame and the first rows
reach the terminal.

The marks are taken where a frame is handed to the terminal's writer, not with
``call_after_refresh``: that runs after the screen has gone quiet, which at start-up is one or
more frames later (it put the marks some 40 ms after the rows were on screen).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

_done: set[str] = set()


def enabled() -> bool:
    """Whether timing was asked for."""
    return bool(os.environ.get("B2C_TUI_TIMING"))


def mark(name: str) -> None:
    """Record ``name`` once, if timing was asked for (costs nothing otherwise)."""
    path = os.environ.get("B2C_TUI_TIMING")
    if not path or name in _done:
        return
    _done.add(name)
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{name} {time.time():.6f} {time.process_time():.6f}\n")


def watch_frames(app: Any, has_rows: Callable[[], bool]) -> None:
    """Mark ``first_frame`` when ``app`` hands its first frame to the terminal, and
    ``first_rows`` at the first frame drawn while ``has_rows()`` (the frame is composed from
    the state at that moment, so rows added before it are in it). Then it steps aside.

    Wraps the app's private ``_display`` (as the benchmarks do): only when timing is on."""
    display = app._display

    def on_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is None:
            return
        mark("first_frame")
        if has_rows():
            mark("first_rows")
            app._display = display

    app._display = on_display
