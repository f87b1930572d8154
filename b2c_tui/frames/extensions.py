"""Extension (custom) attributes of users under their friendly names: a domain type shared by
the users view, its forms and the Python API. No Textual here.

``extension_<b2c-extensions-app appId without dashes>_<friendly name>`` is the property Graph
uses on users; :class:`ExtensionAttribute` pairs it with the user-flow attribute's data type.
:func:`parse_attribute` is the one rule for turning what a form field or a DataFrame cell holds
into the value Graph stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..graph.errors import ValidationError
from ._values import aware_time
from .columns import Column

#: ``extension_<b2c-extensions-app appId without dashes>_<friendly name>``.
EXTENSION_KEY = re.compile(r"^extension_([0-9a-fA-F]{32})_(\w+)$")
#: User-flow attribute ``dataType`` -> the column kind the users table uses for it.
COLUMN_KINDS = {"boolean": "bool", "int64": "number", "dateTime": "datetime"}


@dataclass(frozen=True)
class ExtensionAttribute:
    """A custom attribute users can carry, under its friendly name.

    ``key`` is the property name Graph uses on users (``extension_<appid>_<name>``), ``name``
    the friendly name (``loyaltyNumber``), ``data_type`` the user-flow attribute's ``dataType``
    (``string``, ``boolean``, ``int64``, ``dateTime``, ``stringCollection``).
    """

    key: str
    name: str
    data_type: str = "string"
    description: str = ""

    @property
    def app_id(self) -> str:
        """The b2c-extensions-app id (without dashes) embedded in the key."""
        match = EXTENSION_KEY.match(self.key)
        return match.group(1).lower() if match else ""

    @property
    def column_kind(self) -> str:
        """``text``, ``bool``, ``number`` or ``datetime``."""
        return COLUMN_KINDS.get(self.data_type, "text")

    @classmethod
    def from_key(cls, key: str, data_type: str = "string",
                 description: str = "") -> ExtensionAttribute | None:
        """The attribute named by a full ``extension_...`` key (``None`` for other names)."""
        match = EXTENSION_KEY.match(key)
        if match is None:
            return None
        return cls(key, match.group(2), data_type, description)

    def column(self, name: str | None = None) -> Column:
        """The column showing it on users (under its friendly name unless ``name`` says
        otherwise)."""
        key = self.key
        return Column(name or self.name, self.name, select=(key,),
                      get=lambda record: record.get(key), kind=self.column_kind)


def custom_attributes(records: Iterable[Mapping[str, Any]]) -> list[ExtensionAttribute]:
    """The custom attributes among user-flow attribute records (``GET
    /identity/userFlowAttributes``), in order; built-in ones are left out."""
    found = (ExtensionAttribute.from_key(str(item.get("id") or ""),
                                         str(item.get("dataType") or "string"),
                                         str(item.get("description") or ""))
             for item in records)
    return [a for a in found if a is not None]


def friendly_name(key: str) -> str:
    """``extension_<appid>_loyaltyNumber`` -> ``loyaltyNumber``; other names unchanged."""
    match = EXTENSION_KEY.match(key)
    return match.group(2) if match else key


def format_attribute(value: Any, data_type: str) -> str:
    """An extension attribute's value as the text a form field starts with."""
    if value is None:
        return ""
    if data_type == "boolean":
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def parse_attribute(value: Any, attribute: ExtensionAttribute, *, separator: str = ",") -> Any:
    """The value Graph stores for ``attribute``, typed by its ``dataType``, from what a form
    field holds (text) or a DataFrame cell holds (text, a flag, a number, a timestamp, a list);
    ``None`` (clear the value) when empty.

    Flags are ``true``/``false`` (also ``yes``/``no``, ``1``/``0`` as text); ``int64`` is a
    whole number within 64 bits; ``dateTime`` is written as UTC ISO 8601 (``...Z``, a naive
    time taken as UTC); a ``stringCollection`` typed as text is split at ``separator`` (the
    form's ``a, b``; frames show ``a; b``). Raises :class:`ValidationError` naming the
    attribute, with its key as the field.
    """
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    kind = attribute.data_type
    if kind == "boolean":
        return _flag(value, attribute)
    if kind == "int64":
        return _whole_number(value, attribute)
    if kind == "dateTime":
        return _moment(value, attribute)
    if kind == "stringCollection":
        items = value if isinstance(value, list) else str(value).split(separator)
        return [str(v).strip() for v in items if str(v).strip()]
    if not isinstance(value, str):
        raise _refused(attribute, f"is text, not {type(value).__name__}.")
    return value


def _refused(attribute: ExtensionAttribute, rule: str) -> ValidationError:
    return ValidationError(f"{attribute.name} {rule}", field=attribute.key)


def _flag(value: Any, attribute: ExtensionAttribute) -> bool:
    if isinstance(value, bool):
        return value
    text = value.lower() if isinstance(value, str) else None
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise _refused(attribute, "is true or false.")


def _whole_number(value: Any, attribute: ExtensionAttribute) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _refused(attribute, "is a whole number.")
    try:
        number = int(value)
    except (ValueError, OverflowError):
        raise _refused(attribute, "is a whole number.") from None
    if isinstance(value, float) and number != value:
        raise _refused(attribute, "is a whole number.")
    if not -(2**63) <= number < 2**63:
        raise _refused(attribute, "does not fit in 64 bits.")
    return number


def _moment(value: Any, attribute: ExtensionAttribute) -> str:
    if isinstance(value, datetime):
        moment: datetime | None = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
    else:
        moment = aware_time(str(value))
    if moment is None:
        raise _refused(attribute, "is a date and time such as 2026-11-01T09:30:00Z.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
