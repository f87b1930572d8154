"""``ConfirmDeleteDialog``: asks before deleting, naming what goes and its id.

One object: its name and id, and a clearly labelled delete button that does not have the focus
(Cancel has it, so Enter alone cancels). Several: the count and the first few names; the count
must be typed before the delete button is enabled. The result is ``True`` to delete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..safe_text import safe
from ..widgets.safe_input import SafeInput

#: Names listed before "… and N more".
SHOWN_NAMES = 5


class ConfirmDeleteDialog(ModalScreen[bool]):
    """Confirms deleting ``items`` (``(name, id)`` pairs) of one ``kind`` (``"user"``);
    ``verb`` names the deletion ("Permanently delete")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, kind: str, items: Sequence[tuple[str, str]], *, note: str = "",
                 shown: int = SHOWN_NAMES, verb: str = "Delete") -> None:
        super().__init__(id="confirm-delete-dialog")
        if not items:
            raise ValueError("nothing to delete")
        self.kind = kind
        self.items = list(items)
        self.note = note
        self.shown = shown
        self.verb = verb

    @property
    def bulk(self) -> bool:
        return len(self.items) > 1

    def _title(self) -> Text:
        if not self.bulk:
            name, _ = self.items[0]
            title = Text(f"{self.verb} {self.kind} ")
            title.append(safe(name), style="bold")
            title.append("?")
            return title
        return Text(f"{self.verb} {len(self.items):,} {self.kind}s?", style="bold")

    def _body(self) -> Text:
        body = Text()
        for name, object_id in self.items[: self.shown]:
            if self.bulk:
                body.append("• ")
                body.append(safe(name), style="bold")
                body.append(f"  {safe(object_id)}\n", style="dim")
            else:
                body.append("Object id  ")
                body.append(f"{safe(object_id)}\n", style="bold")
        if len(self.items) > self.shown:
            body.append(f"… and {len(self.items) - self.shown:,} more\n", style="italic")
        if self.note:
            body.append(f"\n{self.note}")
        return body

    def compose(self) -> ComposeResult:
        count = len(self.items)
        label = f"{self.verb} {count:,} {self.kind}s" if self.bulk else f"{self.verb} {self.kind}"
        with Vertical(classes="confirm-frame"):
            yield Static(self._title(), id="confirm-title")
            yield Static(self._body(), id="confirm-body")
            if self.bulk:
                yield Static(Text(f"Type {count} to confirm."), id="confirm-prompt")
                # No placeholder: a grey count in the box looked as if it were typed already.
                yield SafeInput("", id="confirm-input", compact=True)
            hint = ("enter moves to the delete button once the count is typed · esc cancels"
                    if self.bulk else "tab moves to the delete button · enter or esc cancels")
            yield Static(Text(hint, style="dim italic"), id="confirm-hint")
            with Horizontal(classes="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel")
                yield Button(label, id="confirm-delete", variant="error", disabled=self.bulk)

    def on_mount(self) -> None:
        target = "#confirm-input" if self.bulk else "#confirm-cancel"
        self.query_one(target).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        typed = event.value.strip().replace(",", "")
        self.query_one("#confirm-delete", Button).disabled = typed != str(len(self.items))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in the count field never deletes: it moves to the (enabled) delete button.
        event.stop()
        button = self.query_one("#confirm-delete", Button)
        if not button.disabled:
            button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm-delete" and not event.button.disabled:
            self.dismiss(True)
        elif event.button.id == "confirm-cancel":
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)
