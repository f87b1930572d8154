"""Progress of a long headless command on stderr: a tqdm bar on a terminal, a plain line every
few seconds otherwise (cron mails and CI logs get lines, not carriage returns)."""

from __future__ import annotations

import sys
import time
from typing import IO, Any


class StderrProgress:
    """Shows a count (``unit``) and a status text built from numbers only (never tenant
    text). ``interval`` is how often a line is written when stderr is not a terminal; the
    first report is always written at once."""

    def __init__(self, description: str, *, unit: str = "rows", interval: float = 5.0,
                 stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.description, self.unit, self.interval = description, unit, interval
        self._last = -1.0
        self._count = 0
        self._bar: Any = None
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(desc=description, unit=f" {unit}", unit_scale=True,
                             file=self.stream, dynamic_ncols=True, leave=True)

    def update(self, count: int, text: str, *, force: bool = False) -> None:
        """The total so far and the status text (rates, partitions, throttling waits)."""
        if self._bar is not None:
            self._bar.update(max(0, count - self._count))
            self._bar.set_postfix_str(text, refresh=True)
        else:
            now = time.monotonic()
            if force or self._last < 0 or now - self._last >= self.interval:
                self._last = now
                self.stream.write(f"{self.description}: {text}\n")
                self.stream.flush()
        self._count = count

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
