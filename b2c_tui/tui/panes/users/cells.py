"""What the users table lets you edit in place, as form fields (the kit's inline edits).

The plain properties a PATCH may change are the Python API's (:data:`~b2c_tui.api.apply_rules
.EDITABLE`: display name 1-256 characters and required, names and address fields with the
documented lengths, the UPN and password policies checked as the explorer's dialogs check
them). Extension attributes are typed by their ``dataType`` with the edit dialog's parser.
Sign-in names (the whole ``identities`` collection) and secrets are edited in their dialogs
(``E``, ``p``), not in a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....api.apply_rules import EDITABLE, Editable
from ....frames.extensions import ExtensionAttribute, parse_attribute
from ....frames.users import USER_COLUMNS_BY_KEY
from ....graph.validation import PASSWORD_POLICIES
from ...kit.spec import FieldSpec

#: field kinds of the properties that are not text
_KINDS = {"accountEnabled": "bool"}
_HELP = {
    "displayName": "Required, 1-256 characters.",
    "userPrincipalName": "user@<a domain of the tenant>; must be unique.",
    "passwordPolicies": f"{' and/or '.join(PASSWORD_POLICIES)}, comma separated; empty "
                        "clears.",
    "usageLocation": "Two-letter country code (ISO 3166), e.g. NL.",
}
#: extension attribute dataType -> inline field kind
_EXTENSION_KINDS = {"boolean": "bool", "int64": "integer", "dateTime": "datetime"}


def _check(rule: Editable) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        return rule.parse(None if value == "" else value, rule.prop)

    return check


def _field(key: str, rule: Editable) -> FieldSpec:
    column = USER_COLUMNS_BY_KEY.get(key)
    return FieldSpec(key, column.label if column else key, _KINDS.get(key, "text"),
                     help=_HELP.get(key, ""), required=key == "displayName",
                     check=_check(rule))


#: One field per editable plain property.
USER_CELL_FIELDS: tuple[FieldSpec, ...] = tuple(_field(k, r) for k, r in EDITABLE.items())
#: The column keys they edit.
USER_PATCHABLE = frozenset(EDITABLE)


def _split_collection(shown: Any) -> list[str]:
    """A ``stringCollection`` as the table shows it (``a; b``) back into its values."""
    return [part.strip() for part in str(shown).split(";") if part.strip()]


def extension_field(attribute: ExtensionAttribute) -> FieldSpec:
    """The inline field of one extension attribute, typed by its ``dataType``."""
    kind = _EXTENSION_KINDS.get(attribute.data_type, "text")

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        return parse_attribute("" if value is None else str(value), attribute)

    collection = attribute.data_type == "stringCollection"
    return FieldSpec(attribute.key, attribute.name, kind, check=check,
                     help="Several values, separated by commas." if collection else "",
                     from_cell=_split_collection if collection else None)
