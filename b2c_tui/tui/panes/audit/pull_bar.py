"""The archive pull's progress on one line under the audit table (not a modal screen: the
explorer stays usable while a pull runs, as with the export bar)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from ....audit import PullProgress


class PullBar(Widget):
    """One pull's progress (hidden while none runs). Reports carry numbers only."""

    progress: reactive[PullProgress | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.started = 0.0
        self._ticker: Timer | None = None

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def start(self) -> None:
        """Show the bar for a new pull."""
        self.started = time.monotonic()
        self.progress = None
        self.add_class("-running")
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self.refresh, name="pull-elapsed")

    def update_progress(self, progress: PullProgress) -> None:
        """A report from the pull (after each page, and while Graph throttles it)."""
        self.progress = progress

    def stop(self) -> None:
        self.remove_class("-running")
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Archive pull ", style="bold")
        progress = self.progress
        if progress is None:
            line.append("starting…", style="italic")
        else:
            line.append(progress.message)
        line.append(f"  {time.monotonic() - self.started:,.0f}s", style="dim")
        line.append("  X stops (what was written stays)", style="dim")
        return line
