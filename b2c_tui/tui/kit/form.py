"""A form dialog made from a :class:`~.spec.FormSpec`: values in, a body or a patch out.

Creating: the result is every field's checked value. Editing (``record`` given): fields start
from the record, fields that are not ``patchable`` are shown read-only, and the result is the
patch of the patchable fields that changed (nothing to send is said in the form). A
``write_only`` field (a secret) is never filled from the record: left empty, it is not sent.
The dialog never calls Graph: the pane's ``submit`` does, and puts Graph's refusal beside the field
(:meth:`~b2c_tui.tui.dialogs.form.FormDialog.fail`).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final, Literal, TypeVar

from ...graph.errors import B2CTuiError, ValidationError
from ..dialogs.form import Checks, FormDialog, FormField
from ..safe_text import safe
from .spec import FieldSpec, FormSpec

log = logging.getLogger(__name__)
T = TypeVar("T")

#: field kinds a form shows as another (a date is typed as ISO 8601 text)
FORM_KINDS = {"datetime": "text"}


class _Failed(enum.Enum):
    FAILED = "failed"


#: what :func:`send_form` returns when the request failed (the dialog says why)
FAILED: Final = _Failed.FAILED


def _start_value(spec: FieldSpec, record: Mapping[str, Any] | None) -> Any:
    if record is None and spec.default is not None:
        return spec.default
    if record is None:
        return spec.choices[0][1] if spec.kind == "choice" and spec.choices else (
            False if spec.kind == "bool" else "")
    if spec.write_only:
        return ""  # a secret is never shown, not even Graph's mask of it
    value = record.get(spec.name)
    if spec.show is not None:
        return spec.show(value)
    if spec.kind == "bool":
        return bool(value)
    return "" if value is None else value


def _shown(value: Any) -> Any:
    """What the form showed for ``value`` (text made safe): an untouched field is unchanged
    even when the tenant's value holds characters the form shows visibly."""
    return safe(value).strip() if isinstance(value, str) else value


def check_field(spec: FieldSpec, value: Any) -> Any:
    """The value to send for ``spec`` from what was typed; raises ``ValidationError``."""
    if isinstance(value, str):
        value = value.strip()
    if spec.required and (value is None or value == ""):
        raise ValidationError(f"{spec.label} is required.", field=spec.name)
    if spec.max_length is not None and isinstance(value, str) and len(value) > spec.max_length:
        raise ValidationError(f"{spec.label} has at most {spec.max_length} characters; this "
                              f"has {len(value)}.", field=spec.name)
    if spec.check is not None:
        value = spec.check(value)
    return value


class SpecForm(FormDialog[dict[str, Any]]):
    """The form of a create or edit operation (see the module docs)."""

    def __init__(self, form: FormSpec, *, record: Mapping[str, Any] | None = None,
                 submit: Callable[[FormDialog[dict[str, Any]], dict[str, Any]], None]
                 | None = None) -> None:
        self.spec = form
        self.record = dict(record) if record is not None else None
        editing = record is not None
        fields = [FormField(f.name, f.label, FORM_KINDS.get(f.kind, f.kind),
                            _start_value(f, record),
                            placeholder=f.placeholder, help=f.help, choices=f.choices,
                            read_only=editing and not f.patchable)
                  for f in form.fields]
        self.save_label = form.save_label  # type: ignore[misc]
        super().__init__(form.title, fields, subtitle=form.subtitle or None, submit=submit)

    def graph_hints(self) -> Iterable[tuple[str, str]]:
        return self.spec.hints

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        checks = Checks()
        out: dict[str, Any] = {}
        for spec in self.spec.fields:
            if self.record is not None and not spec.patchable:
                continue
            typed = values.get(spec.name)
            if self.record is not None and spec.write_only and not typed:
                continue  # left empty: the secret stays as it is
            value = checks.run(check_field, spec, typed)
            if self.record is None:
                if value not in (None, ""):
                    out[spec.name] = value
            elif spec.show is not None:  # the text shown changed, not the value it makes
                if _shown(typed) != _shown(_start_value(spec, self.record)):
                    out[spec.name] = value
            elif value != _shown(_start_value(spec, self.record)):
                out[spec.name] = value
        checks.done()
        if self.spec.check is not None:
            out = self.spec.check(out)
        if self.record is not None and not out:
            raise ValidationError("Nothing changed: there is nothing to save.")
        return out


async def send_form(dialog: FormDialog[Any], call: Callable[[], Awaitable[T]],
                    what: str) -> T | Literal[_Failed.FAILED]:
    """Send what ``dialog`` collected: ``call()``'s answer, the dialog closed; or
    :data:`FAILED`, the dialog still open with Graph's refusal beside the field it names and
    what was typed kept (an unexpected exception is logged too, as ``what`` failed)."""
    try:
        answer = await call()
    except Exception as exc:
        if not isinstance(exc, B2CTuiError):
            log.error("%s failed: %s", what, type(exc).__name__, exc_info=exc)
        dialog.fail(exc)
        return FAILED
    dialog.finish()
    return answer
