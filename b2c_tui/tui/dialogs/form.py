"""``FormDialog``: the reusable form behind every create/edit dialog.

A form shows fields (a label, a control, a help line and an error line each), a form-level
error line, and Save/Cancel. Save first runs :meth:`FormDialog.build`, which turns the typed
values into the dialog's result (a request body, a patch) and may raise
:class:`~b2c_tui.graph.errors.ValidationError`: the message then shows beside the field it
names and nothing is sent.

The dialog never calls Graph. Without a ``submit`` callback it closes with the result. With
one, it hands the result to the callback (the pane, which runs the request in a worker) and
stays open, showing "Saving…": the pane then calls :meth:`FormDialog.finish` on success, or
:meth:`FormDialog.fail` with the error, which puts Graph's message beside the field it concerns
and keeps everything that was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...graph.errors import GraphError, ValidationError
from ..safe_text import safe, safe_text
from ..widgets.safe_input import SafeInput

T = TypeVar("T")
#: The key :meth:`FormDialog.show_errors` uses for the form-level error line.
FORM = ""
KINDS = ("text", "password", "integer", "bool", "choice")


@dataclass(frozen=True)
class FormField:
    """One field of a form: ``kind`` is ``text``, ``password`` (masked), ``integer``, ``bool``
    (a checkbox) or ``choice`` (``choices`` as ``(label, value)`` pairs)."""

    name: str
    label: str
    kind: str = "text"
    value: Any = ""
    placeholder: str = ""
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    read_only: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r} (one of {', '.join(KINDS)})")


class FormErrors(ValidationError):
    """Several fields refused at once (``errors``: field -> message)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field or None)
        self.errors = dict(errors)


class Checks:
    """Runs validators and collects their ``ValidationError``s, so that a form shows every
    refused field at once rather than one per Save."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def run(self, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``check(*args, **kwargs)``, or ``None`` after recording its error."""
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            self.errors.setdefault(exc.field or FORM, exc.message)
            return None

    def done(self) -> None:
        """Raise :class:`FormErrors` if anything was refused."""
        if self.errors:
            raise FormErrors(self.errors)


def field_for_message(message: str, hints: Iterable[tuple[str, str]]) -> str:
    """The field a Graph error message is about: the first hint whose text occurs in the
    message (case-insensitively), else :data:`FORM`."""
    lower = message.lower()
    return next((name for needle, name in hints if needle in lower), FORM)


def describe_error(error: BaseException) -> str:
    """A one-line summary of a failed request for the form-level line (no secrets)."""
    if isinstance(error, GraphError) and error.status is None:
        # No answer at all: Graph did not refuse anything (the connection failed).
        return "No answer from Graph (the connection failed)."
    if isinstance(error, GraphError):
        return f"Graph refused the change ({error.status} {error.code or 'error'})."
    return safe(str(error))


class FormDialog(ModalScreen[T | None], Generic[T]):
    """A modal form. Subclasses give the fields and :meth:`build`; see the module docs."""

    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
        background: $background 60%;
    }
    FormDialog > .form-frame {
        width: 88;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $panel;
        padding: 0 1;
    }
    FormDialog .form-title { text-style: bold; margin-bottom: 1; }
    FormDialog .form-subtitle { color: $foreground-muted; margin-bottom: 1; }
    FormDialog .form-body { height: auto; max-height: 60vh; }
    FormDialog .form-subtitle { max-height: 3; }
    FormDialog .form-row { height: auto; margin-bottom: 1; }
    FormDialog .form-label { width: 24; padding-right: 1; color: $foreground-muted; }
    FormDialog .form-control { width: 1fr; height: auto; }
    FormDialog .form-control > Input { width: 1fr; padding: 0 1; }
    FormDialog .form-control > Select { width: 1fr; }
    FormDialog .form-help { color: $foreground-muted; }
    FormDialog .form-error { color: $text-error; display: none; width: 1fr; }
    FormDialog .form-error.-shown { display: block; }
    FormDialog .form-status { color: $foreground-muted; height: auto; display: none; }
    FormDialog .form-status.-shown { display: block; }
    FormDialog .form-status.-error { color: $text-error; text-style: bold; }
    FormDialog .form-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FormDialog .form-buttons > Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    #: Field names used by validation and Graph (``passwordProfile.password``) -> form fields.
    FIELD_ALIASES: ClassVar[dict[str, str]] = {}
    #: ``(text in Graph's message, field)``, tried in order when Graph refuses the request.
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = ()
    save_label: ClassVar[str] = "Save"

    def __init__(self, title: str | Text, fields: Sequence[FormField], *,
                 subtitle: str | Text | None = None,
                 submit: Callable[[FormDialog[T], T], None] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.form_title = title if isinstance(title, Text) else safe_text(title)
        self.form_subtitle = subtitle if subtitle is None or isinstance(subtitle, Text) \
            else safe_text(subtitle)
        self.fields = list(fields)
        self.submit = submit
        self.saving = False
        self.result: T | None = None
        self._save_label: str | None = None

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(classes="form-frame"):
            yield Static(self.form_title, classes="form-title", id="form-title")
            if self.form_subtitle is not None:
                yield Static(self.form_subtitle, classes="form-subtitle", id="form-subtitle")
            with VerticalScroll(classes="form-body"):
                for spec in self.fields:
                    yield self.compose_field(spec)
                yield from self.compose_extra()
            yield Static("", id="form-error", classes="form-status")
            with Horizontal(classes="form-buttons"):
                # Compact (one line): at 80x24 the buttons stay on screen under a long form.
                yield Button(self.save_label, id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)

    def compose_field(self, spec: FormField) -> Widget:
        """One labelled row: the control, its help line and its (hidden) error line."""
        children: list[Widget] = [self.make_control(spec)]
        if spec.help:
            children.append(Static(Text(spec.help), classes="form-help"))
        children.append(Label("", id=f"error-{spec.name}", classes="form-error"))
        return Horizontal(
            Label(Text(spec.label), classes="form-label"),
            Vertical(*children, classes="form-control"),
            classes="form-row", id=f"row-{spec.name}",
        )

    def make_control(self, spec: FormField) -> Widget:
        wid = f"field-{spec.name}"
        if spec.kind == "bool":
            return Checkbox(Text(spec.placeholder or "yes"), bool(spec.value), id=wid,
                            disabled=spec.read_only, compact=True)
        if spec.kind == "choice":
            return Select([(safe_text(label), value) for label, value in spec.choices],
                          value=spec.value, allow_blank=False, id=wid, compact=True,
                          disabled=spec.read_only)
        return SafeInput(safe(spec.value), placeholder=spec.placeholder, id=wid, compact=True,
                     password=spec.kind == "password", disabled=spec.read_only,
                     type="integer" if spec.kind == "integer" else "text")

    def compose_extra(self) -> ComposeResult:
        """Hook: more widgets after the fields (the edit dialog's identities)."""
        yield from ()

    def on_mount(self) -> None:
        first = next((w for w in self.query("Input, Checkbox, Select") if not w.disabled), None)
        if first is not None:
            first.focus()

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What is in every field now: text, a bool, or the chosen value."""
        out: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Checkbox):
                out[spec.name] = widget.value
            elif isinstance(widget, Select):
                out[spec.name] = None if widget.is_blank() else widget.value
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    def build(self, values: dict[str, Any]) -> T:
        """The dialog's result from ``values``; raise ``ValidationError`` to refuse them."""
        raise NotImplementedError

    # -- errors ----------------------------------------------------------------------------
    def field_name(self, name: str | None) -> str:
        """The form field a validation/Graph field name refers to (:data:`FORM` if none)."""
        if not name:
            return FORM
        name = self.FIELD_ALIASES.get(name, name)
        return name if self.query(f"#error-{name}") else FORM

    def graph_hints(self) -> Iterable[tuple[str, str]]:
        """``(text, field)`` pairs placing Graph's messages (:attr:`GRAPH_HINTS` by default)."""
        return self.GRAPH_HINTS

    def clear_errors(self) -> None:
        for label in self.query(".form-error").results(Label):
            label.update("")
            label.remove_class("-shown")
        status = self.query_one("#form-error", Static)
        status.update("")
        status.remove_class("-error", "-shown")

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message beside its field (``""`` or an unknown name: the form-level line);
        what was typed stays as it is."""
        self.clear_errors()
        form_level: list[str] = []
        first: Widget | None = None
        for name, message in errors.items():
            field = self.field_name(name)
            if field == FORM:
                form_level.append(safe(message))
                continue
            label = self.query_one(f"#error-{field}", Label)
            label.update(safe_text(message))
            label.add_class("-shown")
            if first is None:
                first = self.query_one(f"#field-{field}") if self.query(f"#field-{field}") \
                    else None
        if form_level:
            self.set_status(" ".join(form_level), error=True)
        if first is not None and first.focusable:
            first.focus()

    def set_status(self, message: str | Text, *, error: bool = False) -> None:
        """The line above the buttons: progress ("Saving…") or a form-level error."""
        status = self.query_one("#form-error", Static)
        status.update(message if isinstance(message, Text) else safe_text(message))
        status.set_class(error, "-error")
        status.set_class(bool(message), "-shown")

    # -- save / cancel ---------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Validate, then close with the result or hand it to ``submit``."""
        if self.saving:
            return
        try:
            result = self.build(self.values())
        except FormErrors as exc:
            self.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self.show_errors({exc.field or FORM: exc.message})
            return
        self.clear_errors()
        self.result = result
        if self.submit is None:
            self.dismiss(result)
            return
        self._set_saving(True)
        self.submit(self, result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        button = self.query_one("#form-save", Button)
        button.disabled = saving
        button.label = "Saving…" if saving else (self._save_label or self.save_label)
        if saving:
            self.set_status("Saving…")

    def set_save_label(self, label: str | None) -> None:
        """Relabel the save button (``None``: back to :attr:`save_label`), enabled."""
        self._save_label = label
        button = self.query_one("#form-save", Button)
        button.disabled = False
        button.label = label or self.save_label

    def finish(self, result: T | None = None) -> None:
        """The pane's request succeeded: close with ``result`` (or what was submitted)."""
        if self.is_attached and self.app.screen is self:
            self.dismiss(self.result if result is None else result)

    def fail(self, error: BaseException) -> None:
        """The pane's request failed: show why beside the field it concerns, keep the input."""
        if not self.is_attached:
            return
        self._set_saving(False)
        if isinstance(error, ValidationError):
            self.show_errors({error.field or FORM: error.message})
            return
        message = getattr(error, "message", None) or str(error)
        field = field_for_message(message, self.graph_hints()) if isinstance(
            error, GraphError) else FORM
        errors = {field: message} if field != FORM else {}
        self.show_errors(errors)
        summary = describe_error(error)
        self.set_status(summary if errors else f"{summary} {safe(message)}", error=True)
