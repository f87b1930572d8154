"""The phone method dialog: add a number of a free phone type, or change an existing number.

Plain values in (the user's label, the types still free, the number being edited), a
:class:`PhoneMethodInput` out; it never calls Graph. The number is checked with the client's own
rule (:func:`~b2c_tui.graph.validation.validate_phone`) before anything is handed over. A number
typed without the space after the country code is refused with the repaired form offered under
the field; ctrl+y (or the button) puts it in the field, enter saves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from ...graph.errors import ValidationError
from ...graph.validation import validate_phone
from ..safe_text import safe_text
from .form import FormDialog, FormField

TYPE, NUMBER = "phoneType", "phoneNumber"
EXAMPLE = "+1 2065555555"


@dataclass(frozen=True)
class PhoneMethodInput:
    """What the dialog hands back: a number in Graph's form, its type, and the method's id
    when an existing number was edited."""

    phone_type: str
    phone_number: str
    method_id: str | None = None


class PhoneMethodDialog(FormDialog[PhoneMethodInput]):
    """Add a phone method, or (with ``method_id``) change its number: Graph never changes a
    method's type, so the type is shown but fixed when editing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "use_suggestion", "Use suggestion", id="phone_dialog.use_suggestion"),
    ]
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("phonetype", TYPE), ("type '", TYPE), ("alternatemobile", TYPE),
        ("phone number", NUMBER), ("number", NUMBER),
    )

    def __init__(self, user: str, types: Sequence[str], *, number: str = "",
                 method_id: str | None = None,
                 submit: Callable[[FormDialog[PhoneMethodInput], PhoneMethodInput], None]
                 | None = None) -> None:
        if not types:
            raise ValueError("no phone type to offer")
        editing = method_id is not None
        fields = [
            FormField(TYPE, "Phone type", "choice", types[0],
                      choices=tuple((t, t) for t in types), read_only=editing,
                      help="A method's type cannot be changed." if editing
                      else "One number per type."),
            FormField(NUMBER, "Phone number", value=number, placeholder=EXAMPLE,
                      help="Country code, a space, the number; x123 adds an extension."),
        ]
        subtitle = Text("User: ", style="bold")
        subtitle.append_text(safe_text(user))
        title = f"Edit the {types[0]} phone" if editing else "Add a phone number"
        super().__init__(title, fields, subtitle=subtitle, submit=submit, id="phone-method")
        self.method_id = method_id
        self.suggestion: str | None = None

    def on_mount(self) -> None:
        # FormDialog.on_mount focuses the first field; Textual calls both handlers.
        row = Horizontal(Static(id="phone-suggestion-text"),
                         Button("Use it  ctrl+y", id="phone-use-suggestion", compact=True),
                         id="phone-suggestion")
        row.display = False
        self.query_one(f"#row-{NUMBER} .form-control").mount(row, after=f"#error-{NUMBER}")
        self.call_after_refresh(self.query_one(f"#field-{NUMBER}", Input).focus)

    def build(self, values: dict[str, Any]) -> PhoneMethodInput:
        try:
            number = validate_phone(values.get(NUMBER) or "")
        except ValidationError as exc:
            self.offer(exc.suggestion)
            raise
        self.offer(None)
        return PhoneMethodInput(str(values.get(TYPE)), number, self.method_id)

    def offer(self, suggestion: str | None) -> None:
        """Show the repaired number under the field (``None``: hide it)."""
        self.suggestion = suggestion
        rows = self.query("#phone-suggestion")
        if not rows:
            return
        rows.first().display = suggestion is not None
        if suggestion is not None:
            text = Text("Suggested: ", style="bold")
            text.append_text(safe_text(suggestion))
            self.query_one("#phone-suggestion-text", Static).update(text)
        self.refresh_bindings()

    def action_use_suggestion(self) -> None:
        """Put the suggested number in the field; enter then saves it."""
        if self.suggestion is None:
            return
        field = self.query_one(f"#field-{NUMBER}", Input)
        field.value = self.suggestion
        field.cursor_position = len(field.value)
        field.focus()
        self.clear_errors()
        self.offer(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_suggestion":
            return self.suggestion is not None or None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "phone-use-suggestion":
            event.stop()
            event.prevent_default()  # not save nor cancel: FormDialog's handler is skipped
            self.action_use_suggestion()
