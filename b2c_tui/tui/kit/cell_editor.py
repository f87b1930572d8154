"""``CellEditor``: edits one table cell in place, with the rules of the form field behind it.

The input is typed by the field's kind (whole numbers for ``integer``, ISO 8601 text for
``datetime``, a list for ``choice``; booleans need no editor: the key toggles them). Enter
checks the text with :func:`~.form.check_field` (the same rules as the create and edit
dialogs): a refusal shows under the input and the text stays; Esc cancels. The result is a
:class:`CellValue` (the value to send), or ``None`` when cancelled or left as it was. The
editor never calls Graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static
from textual.widgets.select import NoSelection

from ...graph.errors import ValidationError
from ..safe_text import safe, safe_text
from ..widgets.safe_input import SafeInput
from .form import check_field
from .spec import FieldSpec

DATETIME_HINT = "ISO 8601, e.g. 2026-11-01T09:30:00Z"


@dataclass(frozen=True)
class CellValue:
    """The checked value to send (``None`` clears the property)."""

    value: Any


class CellEditor(ModalScreen[CellValue | None]):
    """Edits ``field`` of one object; see the module docs. ``text`` is what the input starts
    with, ``was`` the value as loaded (shown for reference), ``error`` Graph's message from
    the last commit, if it refused this cell."""

    DEFAULT_CSS = """
    CellEditor { align: center middle; background: $background 40%; }
    CellEditor > #cell-frame { width: 72; max-width: 100%; height: auto;
        border: round $primary; background: $panel; padding: 0 1; }
    CellEditor #cell-title { text-style: bold; }
    CellEditor .cell-muted { color: $foreground-muted; }
    CellEditor #cell-input { width: 1fr; margin: 1 0 0 0; }
    CellEditor #cell-error { color: $text-error; display: none; }
    CellEditor #cell-error.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cell.cancel"),
    ]
    # Enter is the input's own (``Input.Submitted``), not a priority binding: a priority
    # binding runs before the keys typed just ahead of it reach the input (a fast typist, a
    # paste then Enter), and the edit would be lost.

    def __init__(self, field: FieldSpec, *, object_name: str, text: str, was: str,
                 error: str | None = None) -> None:
        super().__init__(id="cell-editor")
        self.field = field
        self.object_name = object_name
        self.start_text = text
        self.was = was
        self.error = error

    def compose(self) -> ComposeResult:
        field = self.field
        title = Text(f"{safe(field.label)} of ")
        title.append(safe(self.object_name), style="italic")
        with Vertical(id="cell-frame"):
            yield Static(title, id="cell-title")
            yield Static(Text(f"Loaded value: {safe(self.was) or '(empty)'}"),
                         classes="cell-muted")
            yield self._control()
            hint = field.help or (DATETIME_HINT if field.kind == "datetime" else "")
            if hint:
                yield Static(Text(hint), classes="cell-muted")
            yield Static(Text(f"Graph refused it: {safe(self.error)}" if self.error else ""),
                         id="cell-error", classes="-shown" if self.error else "")
            yield Static(Text("enter keeps the edit (pending until committed) · esc cancels"),
                         classes="cell-muted")

    def _control(self) -> Input | Select[str]:
        field = self.field
        if field.kind == "choice":
            options = [(safe_text(label), value) for label, value in field.choices]
            start: str | NoSelection = self.start_text if any(
                v == self.start_text for _, v in field.choices) else Select.NULL
            return Select(options, value=start, id="cell-input", allow_blank=not field.required)
        kind: Literal["integer", "text"] = "integer" if field.kind == "integer" else "text"
        placeholder = field.placeholder or ("2026-11-01T09:30:00Z"
                                            if field.kind == "datetime" else "")
        return SafeInput(self.start_text, placeholder=placeholder, type=kind, id="cell-input",
                         select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one("#cell-input").focus()

    def _typed(self) -> Any:
        control = self.query_one("#cell-input")
        if isinstance(control, Select):
            return None if control.value is Select.NULL else control.value
        assert isinstance(control, Input)
        return control.value

    def action_save(self) -> None:
        typed = self._typed()
        if typed == self.start_text or (typed is None and self.start_text == ""):
            self.dismiss(None)  # left as it was: nothing to change
            return
        try:
            value = check_field(self.field, typed)
        except ValidationError as exc:
            message = exc.message
            # the API's rules say "cannot be empty."; the dialogs' say "Display name is ..."
            self.show_error(f"{self.field.label} {message}" if message[:1].islower()
                            else message)
            return
        self.dismiss(CellValue(value))

    def show_error(self, message: str) -> None:
        """Show ``message`` under the input (what was typed stays)."""
        label = self.query_one("#cell-error", Static)
        label.update(Text(safe(message)))
        label.set_class(True, "-shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value != self.start_text:  # not the value it opened with
            self.action_save()  # a choice is made by choosing

    def action_cancel(self) -> None:
        self.dismiss(None)
