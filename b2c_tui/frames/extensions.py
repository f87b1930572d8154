"""Extension (custom) attributes of users under their friendly names: a domain type shared by
the users view, its forms and the Python API. No Textual here.

``extension_<b2c-extensions-app appId without dashes>_<friendly name>`` is the property Graph
uses on users; :class:`ExtensionAttribute` pairs it with the user-flow attribute's data type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..graph.errors import ValidationError

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


def parse_attribute(text: str, attribute: ExtensionAttribute) -> Any:
    """What a form field holds, typed by the attribute's ``dataType``; ``None`` (clear the
    value) when empty. Raises :class:`ValidationError` naming the attribute's key."""
    value = text.strip()
    if not value:
        return None
    kind = attribute.data_type
    if kind == "boolean":
        if value.lower() in ("true", "yes", "1"):
            return True
        if value.lower() in ("false", "no", "0"):
            return False
        raise ValidationError(f"{attribute.name} is true or false.", field=attribute.key)
    if kind == "int64":
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(f"{attribute.name} is a whole number.",
                                  field=attribute.key) from None
        if not -(2**63) <= number < 2**63:
            raise ValidationError(f"{attribute.name} does not fit in 64 bits.",
                                  field=attribute.key)
        return number
    if kind == "dateTime":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(
                f"{attribute.name} is a date and time such as 2026-11-01T09:30:00Z.",
                field=attribute.key) from None
        return value
    if kind == "stringCollection":
        return [part.strip() for part in value.split(",") if part.strip()]
    return value
