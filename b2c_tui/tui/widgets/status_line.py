"""The status line: tenant, cloud, demo/live/PRODUCTION, read-only, rows, pending edits,
throttling, background work."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from ...graph.retry import RetryEvent
from ..safe_text import safe

THROTTLE_SHOWN_FOR = 10.0  # seconds a throttle wait stays on the status line


class StatusLine(Widget):
    """One line at the bottom of the screen; never shows tenant text as markup."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    StatusLine.-production { background: $error 40%; }
    """

    tenant: reactive[str] = reactive("")
    cloud: reactive[str] = reactive("")
    mode: reactive[str] = reactive("live")  # demo | live | production
    read_only: reactive[bool] = reactive(False)
    busy: reactive[int] = reactive(0)
    message: reactive[str] = reactive("")
    rows: reactive[str] = reactive("")
    #: edits made in the current pane and not committed yet ("✎ 3 pending edits ...")
    pending: reactive[str] = reactive("")
    throttle_until: reactive[float] = reactive(0.0)
    throttle_text: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._retry_at = 0.0
        self._countdown: Timer | None = None

    def watch_mode(self, mode: str) -> None:
        self.set_class(mode == "production", "-production")

    def on_throttle(self, event: RetryEvent) -> None:
        """Called (via the app) each time the client waits before a retry: every retry shows,
        with its number and a countdown."""
        status = event.status
        if status == 429:
            what = "throttled by Graph (429)"
        elif status:
            what = f"Graph answered {status}"
        else:
            what = "connection failed"
        self.throttle_text = f"{what}, retry {event.attempt}"
        self._retry_at = time.monotonic() + float(event.delay)
        self.throttle_until = time.monotonic() + max(THROTTLE_SHOWN_FOR, event.delay)
        if self._countdown is None:
            self._countdown = self.set_interval(0.5, self._tick)
        self.refresh()

    def _tick(self) -> None:
        if time.monotonic() >= self.throttle_until and self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self.refresh()

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.mode == "demo":
            line.append(" DEMO ", style="bold reverse")
        elif self.mode == "production":
            line.append(" PRODUCTION ", style="bold reverse")
        else:
            line.append(" LIVE ", style="bold reverse")
        line.append(" ")
        line.append(safe(self.tenant), style="bold")
        line.append(f"  {self.cloud}", style="dim")
        if self.read_only:
            line.append("  READ-ONLY", style="bold")
        if self.pending:  # before the rows: at 80 columns it must not be cut off
            line.append("  ")
            line.append(self.pending, style="bold reverse")
        if self.rows:
            line.append(f"  {self.rows}")
        now = time.monotonic()
        if now < self.throttle_until:
            wait = f" in {self._retry_at - now:.0f}s" if self._retry_at > now else " sent"
            line.append(f"  ⏳ {self.throttle_text}{wait}", style="bold")
        if self.busy:
            line.append(f"  ⟳ {self.busy} working", style="italic")
        if self.message:
            line.append("  ")
            line.append(safe(self.message), style="italic")
        return line
