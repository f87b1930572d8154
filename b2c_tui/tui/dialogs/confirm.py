"""``ConfirmDialog``: a yes/no question (commit the pending edits? quit and drop them?).

The title and body are plain text (shown literally); ``y`` answers yes, ``n`` and Esc no, and
Enter presses the focused button: the safe one (No) unless ``default_yes``. The result is
``True`` for yes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..safe_text import safe


def _lines(text: str) -> Text:
    """``text`` shown literally, its own line breaks kept."""
    return Text("\n".join(safe(line) for line in text.split("\n")))


class ConfirmDialog(ModalScreen[bool]):
    """Asks ``title`` (with ``body`` under it); see the module docs."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; background: $background 60%; }
    ConfirmDialog > #confirm-frame { width: 72; max-width: 100%; height: auto;
        border: round $warning; background: $panel; padding: 0 1; }
    ConfirmDialog #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmDialog #confirm-body { color: $foreground-muted; }
    ConfirmDialog #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog #confirm-buttons > Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str = "", *, yes: str = "Yes", no: str = "Cancel",
                 default_yes: bool = False) -> None:
        super().__init__(id="confirm-dialog")
        self.title_text = title
        self.body_text = body
        self.yes_label = yes
        self.no_label = no
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-frame"):
            yield Static(_lines(self.title_text), id="confirm-title")
            if self.body_text:
                yield Static(_lines(self.body_text), id="confirm-body")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="warning",
                             compact=True)
                yield Button(f"{self.no_label} (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self.default_yes else "#confirm-no").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def drop_pending_dialog(doing: str, count: int) -> ConfirmDialog:
    """Asks before ``doing`` ("Quit", "Switch tenant") drops ``count`` edits not committed."""
    if count == 1:
        body = ("The edit was not sent to the tenant and is lost if you go on. Cancel, then "
                "v reviews it and ctrl+s commits.")
    else:
        body = ("The edits were not sent to the tenant and are lost if you go on. Cancel, "
                "then v reviews them and ctrl+s commits.")
    return ConfirmDialog(f"{doing} with {count} pending edit{'s' if count != 1 else ''}?",
                         body, yes=f"{doing}, drop {'it' if count == 1 else 'them'}")
