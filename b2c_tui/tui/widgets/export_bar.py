"""The export bar: progress of a running export on one line above the status line.

Not a modal screen: the explorer stays usable while an export streams. It shows the file, rows
written, the rate, an estimate of the time left when the total is known (loaded rows), and a
live countdown while Graph throttles (``Retry-After``). ``ctrl+x`` (the app's binding) cancels.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from ..safe_text import safe

if TYPE_CHECKING:  # the export engine loads with the first export, not at start-up
    from ...frames.export import ExportProgress


def progress_line(title: str, progress: ExportProgress | None, *, total: int | None,
                  wait_until: float | None, now: float) -> Text:
    """The bar's text: ``title · rows · rate · time left · throttle countdown``."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("Export ", style="bold")
    line.append(safe(title))
    if progress is None:
        line.append("  starting…", style="italic")
        return line
    rows = f"{progress.rows:,}" + (f" of {total:,}" if total is not None else "")
    line.append(f"  {rows} rows · {progress.pages:,} pages")
    if progress.rows_per_s:
        line.append(f" · {progress.rows_per_s:,.0f} rows/s")
        if total is not None and total > progress.rows:
            line.append(f" · about {(total - progress.rows) / progress.rows_per_s:,.0f}s left")
    if wait_until is not None and wait_until > now:
        line.append(f"  ⏳ throttled: retrying in {wait_until - now:.0f}s", style="bold")
    line.append("  ^x cancels", style="dim")
    return line


class ExportBar(Widget):
    """One export's progress (hidden while none runs)."""

    DEFAULT_CSS = """
    ExportBar { height: 1; background: $boost; color: $foreground; padding: 0 1;
        display: none; }
    ExportBar.-running { display: block; }
    """

    progress: reactive[ExportProgress | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.total: int | None = None
        self.cancel: asyncio.Event | None = None
        self._wait_until: float | None = None
        self._countdown: Timer | None = None

    @property
    def running(self) -> bool:
        """An export is running."""
        return self.cancel is not None

    def start(self, title: str, cancel: asyncio.Event, total: int | None = None) -> None:
        """Show the bar for a new export (``total`` rows when known)."""
        self.title, self.cancel, self.total = title, cancel, total
        self._wait_until = None
        self.progress = None
        self.add_class("-running")
        if self._countdown is not None:
            self._countdown.stop()
        self._countdown = self.set_interval(0.5, self.refresh, name="export-countdown")
        self.screen.refresh_bindings()  # ^x Cancel export appears

    def update_progress(self, progress: ExportProgress) -> None:
        """A report from the export engine (numbers only: no tenant text)."""
        if progress.waiting is not None:
            self._wait_until = time.monotonic() + progress.waiting
        self.progress = progress

    def stop(self) -> None:
        """The export ended (the app says how in a notification)."""
        self.cancel = None
        self.remove_class("-running")
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self.screen.refresh_bindings()

    def request_cancel(self) -> None:
        """Stop the export between pages."""
        if self.cancel is not None:
            self.cancel.set()
            self.title += " (cancelling…)"
            self.refresh()

    def render(self) -> Text:
        return progress_line(self.title, self.progress, total=self.total,
                             wait_until=self._wait_until, now=time.monotonic())
