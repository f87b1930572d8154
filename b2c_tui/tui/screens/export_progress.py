"""Progress of a running export, with Cancel."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...frames.export import ExportProgress


class ExportProgressScreen(ModalScreen[None]):
    """Shows rows written, pages, rate and throttle waits; Cancel stops between pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_export", "Cancel export", id="export.cancel"),
    ]

    def __init__(self, title: str, cancel: asyncio.Event) -> None:
        super().__init__()
        self.title_text = title
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="export-frame"):
            yield Static(Text(self.title_text, style="bold"), id="export-title")
            yield Static("Starting…", id="export-progress")
            yield Button("Cancel", id="export-cancel", variant="error")

    def update_progress(self, progress: ExportProgress) -> None:
        # The message is built from numbers only: no tenant text reaches the screen here.
        self.query_one("#export-progress", Static).update(Text(progress.message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel_export()

    def action_cancel_export(self) -> None:
        self.cancel.set()
        self.query_one("#export-progress", Static).update("Cancelling…")
