"""``ConfirmDialog``: asks before a change that is not a delete (an upload, a restore).

It names what will change and what is kept (a backup), and has a labelled confirm button that
does not have the focus: Cancel has it, so Enter alone cancels. The result is ``True`` to go on.
Deletes use :class:`~.confirm_delete.ConfirmDeleteDialog`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..safe_text import safe, safe_text


class ConfirmDialog(ModalScreen[bool]):
    """``title`` and ``body`` (plain text is shown literally), then Cancel and ``confirm``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; background: $background 60%; }
    ConfirmDialog > .confirm-frame { width: 84; max-width: 96%; height: auto; max-height: 90%;
        border: round $warning; background: $panel; padding: 0 1; }
    ConfirmDialog #confirm-title { text-style: bold; margin-bottom: 1; height: auto; }
    ConfirmDialog #confirm-text { height: auto; max-height: 20; overflow-y: auto; }
    ConfirmDialog .confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog .confirm-buttons > Button { margin-left: 2; }
    """

    def __init__(self, title: str | Text, body: str | Text, *, confirm: str = "Confirm",
                 variant: str = "warning") -> None:
        super().__init__(id="confirm-dialog")
        self.title_text = title if isinstance(title, Text) else safe_text(title)
        # Line breaks are the dialog's own; everything else is shown literally.
        self.body = body if isinstance(body, Text) else Text(
            "\n".join(safe(line) for line in body.split("\n")))
        self.confirm_label = confirm
        self.variant = variant

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-frame"):
            yield Static(self.title_text, id="confirm-title")
            yield Static(self.body, id="confirm-text")
            yield Static(Text("tab moves to the button · enter or esc cancels",
                              style="dim italic"))
            with Horizontal(classes="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel", compact=True)
                yield Button(self.confirm_label, id="confirm-ok",
                             variant=self.variant, compact=True)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-ok")

    def action_cancel(self) -> None:
        self.dismiss(False)
