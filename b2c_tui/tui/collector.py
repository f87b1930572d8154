"""Garbage collection between keys, not between a key and its frame.

Every line Textual draws ends up as cyclic garbage: a ``Strip`` divided at its own length
keeps itself in its own cache (checked in Textual 8.2), so only the cycle collector frees it,
along with the seven caches each strip carries. That is some 200 objects (25 KB) a key when a
screen of the table is redrawn. With Python's thresholds a young collection ran every few
keys and an older or full one every few dozen, always in the middle of some key's work:
full collections of tens of milliseconds, landing between a key and its frame.

:class:`QuietCollector` takes over once the first rows are on screen: the start-up objects
(Textual's, pandas', numpy's: never garbage) are frozen once, automatic collection is turned
off, and a timer looks at what is due; what is due runs right after the next frame is handed
to the terminal (``call_after_refresh``; at once when nothing is waiting to be drawn), so it
never lands between a key's work and its frame:

- the youngest generation as soon as ``YOUNG`` objects are pending (about a screenful of
  redrawn lines: ~1 ms), so a key never waits behind a big one;
- the middle generation every ``MIDDLE_EVERY`` young collections;
- a full collection only once the user has paused (no key or click for ``IDLE`` seconds),
  after at least ``MIDDLE_EVERY`` middle ones; after ``BURST`` times as many without a pause
  it runs anyway (a long burst stays bounded in memory).

On unmount the collector gives automatic collection back (tests run many apps in one
process).
"""

from __future__ import annotations

import gc
import time
from typing import Any

#: young objects that make the next tick collect the youngest generation
YOUNG = 2000
#: young collections between two collections of the middle generation
MIDDLE_EVERY = 10
#: seconds without input before a full collection may run
IDLE = 0.75
#: a full collection waits for a pause at most this many times MIDDLE_EVERY middle ones
BURST = 5
#: seconds between two looks at the counts
TICK = 0.05


class QuietCollector:
    """Collects on a timer of the app, after freezing the start-up objects once."""

    def __init__(self) -> None:
        self.running = False
        self._was_enabled = True
        self._last_input = time.monotonic()
        self._young = 0  # young collections since the last middle one
        self._middle = 0  # middle collections since the last full one
        self._timer: Any = None
        self._app: Any = None
        self._scheduled = 0.0  # when a collection was handed to call_after_refresh (0: none)
        #: collections run, by generation (for tests and the benchmarks)
        self.collections = [0, 0, 0]

    def start(self, app: Any) -> None:
        """Freeze what start-up made (once per process), turn automatic collection off and
        collect on a timer of ``app`` from now on."""
        if self.running:
            return
        self._was_enabled = gc.isenabled()
        if not gc.get_freeze_count():
            gc.collect()
            gc.freeze()
        gc.disable()
        self.running = True
        self._app = app
        self._timer = app.set_interval(TICK, self.tick, name="quiet-collector")

    def stop(self) -> None:
        """Give automatic collection back (when the app closes)."""
        if not self.running:
            return
        self.running = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._was_enabled:
            gc.enable()

    def input(self) -> None:
        """The user pressed a key or clicked: a full collection waits for the next pause."""
        self._last_input = time.monotonic()

    def tick(self) -> None:
        """Collect what is due after the next frame (see the module)."""
        now = time.monotonic()
        # A callback of a screen that went away is never called: ask again after a second.
        if not self.running or now - self._scheduled < 1.0:
            return
        if self.due() is not None:
            self._scheduled = now
            self._app.call_after_refresh(self._run_due)

    def _run_due(self) -> None:
        self._scheduled = 0.0
        generation = self.due() if self.running else None
        if generation is not None:
            self._collect(generation)

    def due(self) -> int | None:
        """The generation to collect now (``None``: nothing is due)."""
        young = gc.get_count()[0]
        if self._middle >= BURST * MIDDLE_EVERY or (
                self._middle >= MIDDLE_EVERY
                and time.monotonic() - self._last_input >= IDLE):
            return 2
        if young >= YOUNG:
            return 1 if self._young >= MIDDLE_EVERY else 0
        return None

    def _collect(self, generation: int) -> None:
        gc.collect(generation)
        self.collections[generation] += 1
        if generation == 0:
            self._young += 1
        elif generation == 1:
            self._young, self._middle = 0, self._middle + 1
        else:
            self._young = self._middle = 0
