"""``ConfirmDialog``: asks before a change that is not a delete (commit the pending edits, quit
and drop them, an upload, a restore).

It names what will change and what is kept (a backup). The title and body are plain text, shown
literally (their own line breaks kept). The safe button (Cancel/No) comes first and has the
focus, so Enter alone does nothing harmful, unless ``default_yes`` (a commit the user already
asked for); Tab reaches the labelled confirm button. ``y`` answers yes, ``n`` and Esc no. The
result is ``True`` to go on. Deletes use :class:`~.confirm_delete.ConfirmDeleteDialog`.
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


def _lines(text: str) -> Text:
    """``text`` shown literally, its own line breaks kept."""
    return Text("\n".join(safe(line) for line in text.split("\n")))


class ConfirmDialog(ModalScreen[bool]):
    """Asks ``title`` (with ``body`` under it); see the module docs. ``confirm`` is another
    name for ``yes`` (the confirm button's label)."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; background: $background 60%; }
    ConfirmDialog > #confirm-frame { width: 84; max-width: 96%; height: auto; max-height: 90%;
        border: round $warning; background: $panel; padding: 0 1; }
    ConfirmDialog #confirm-title { text-style: bold; margin-bottom: 1; height: auto; }
    ConfirmDialog #confirm-body { height: auto; max-height: 20; overflow-y: auto;
        color: $foreground-muted; }
    ConfirmDialog #confirm-hint { height: auto; }
    ConfirmDialog #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog #confirm-buttons > Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n", id="confirm.no"),
    ]

    def __init__(self, title: str | Text, body: str | Text = "", *, yes: str = "Yes",
                 no: str = "Cancel", confirm: str | None = None, default_yes: bool = False,
                 variant: str = "warning") -> None:
        super().__init__(id="confirm-dialog")
        self.title_text = title if isinstance(title, Text) else safe_text(title)
        self.body_text = body if isinstance(body, Text) else (_lines(body) if body else None)
        self.yes_label = confirm or yes
        self.no_label = no
        self.default_yes = default_yes
        self.variant = variant

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-frame"):
            yield Static(self.title_text, id="confirm-title")
            if self.body_text is not None:
                yield Static(self.body_text, id="confirm-body")
            yield Static(Text("y or tab, enter confirms · n or esc cancels",
                              style="dim italic"), id="confirm-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.no_label} (n)", id="confirm-no", compact=True)
                yield Button(f"{self.yes_label} (y)", id="confirm-yes",
                             variant=self.variant, compact=True)  # type: ignore[arg-type]

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
