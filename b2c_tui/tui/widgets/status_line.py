"""The status line: tenant, cloud, demo/live/PRODUCTION, read-only, throttling, background work."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ...graph.core import ThrottleEvent
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
    throttle_until: reactive[float] = reactive(0.0)
    throttle_text: reactive[str] = reactive("")

    def watch_mode(self, mode: str) -> None:
        self.set_class(mode == "production", "-production")

    def on_throttle(self, event: ThrottleEvent) -> None:
        """Called (via the app) when the client waits before a retry."""
        what = "throttled" if event.status == 429 else f"retrying ({event.status or 'network'})"
        self.throttle_text = f"{what}, waiting {event.delay:.1f}s"
        self.throttle_until = time.monotonic() + max(THROTTLE_SHOWN_FOR, event.delay)
        self.set_timer(max(THROTTLE_SHOWN_FOR, event.delay) + 0.1, self.refresh)

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
        if self.rows:
            line.append(f"  {self.rows}")
        if time.monotonic() < self.throttle_until:
            line.append(f"  ⏳ {self.throttle_text}", style="bold")
        if self.busy:
            line.append(f"  ⟳ {self.busy} working", style="italic")
        if self.message:
            line.append("  ")
            line.append(safe(self.message), style="italic")
        return line
