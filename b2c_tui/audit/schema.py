"""How a ``directoryAudit`` entry is archived: the whole entry as JSON, plus flat columns the
archive filters on without parsing JSON (pyarrow compute over dictionary-encoded strings).

B2C's own events name the policy and the application in ``additionalDetails`` (``PolicyId``,
``ApplicationId``) or in ``targetResources`` (a ``Policy`` or ``Application`` target); both are
gathered into ``policyIds`` and ``applicationIds`` (lower case) so one filter finds either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa

_TEXT = pa.string()
_LIST = pa.list_(pa.string())

#: The archive's columns. ``entry`` is the whole entry as Graph sent it (JSON text).
SCHEMA = pa.schema([
    ("id", _TEXT),
    ("activityDateTime", pa.timestamp("us", tz="UTC")),
    ("category", _TEXT),
    ("activityDisplayName", _TEXT),
    ("result", _TEXT),
    ("resultReason", _TEXT),
    ("loggedByService", _TEXT),
    ("operationType", _TEXT),
    ("correlationId", _TEXT),
    ("initiatedByUserId", _TEXT),
    ("initiatedByUserPrincipalName", _TEXT),
    ("initiatedByUserDisplayName", _TEXT),
    ("initiatedByAppId", _TEXT),
    ("initiatedByAppDisplayName", _TEXT),
    ("initiatedBy", _TEXT),  # who, for display: the user's UPN or name, else the app's name
    ("targets", _TEXT),  # what, for display: "User: Ann (id); ..."
    ("targetIds", _LIST),
    ("policyIds", _LIST),
    ("applicationIds", _LIST),
    ("details", _TEXT),  # additionalDetails as "key=value; key=value"
    ("entry", _TEXT),
])

#: Columns with few distinct values, read dictionary-encoded: a filter compares each distinct
#: value once, not once per row.
DICTIONARY_COLUMNS = frozenset({
    "category", "activityDisplayName", "result", "resultReason", "loggedByService",
    "operationType", "initiatedByUserId", "initiatedByUserPrincipalName",
    "initiatedByUserDisplayName", "initiatedByAppId", "initiatedByAppDisplayName",
    "initiatedBy", "details", "policyIds", "applicationIds"})

#: Where free text is looked for: what the entry says in words (ids have filters of their own).
TEXT_COLUMNS = ("activityDisplayName", "resultReason", "initiatedBy",
                "initiatedByUserDisplayName", "targets", "details")

#: What a view shows (the pane's columns and the id to fetch the whole entry with); every other
#: column can be asked for by name.
VIEW_COLUMNS = ["id", "activityDateTime", "category", "activityDisplayName", "result",
                "resultReason", "loggedByService", "operationType", "initiatedBy", "targets",
                "correlationId"]

#: Text columns copied from the entry as they are, and from its initiator (``user``/``app``).
_ENTRY_TEXT = ("category", "activityDisplayName", "result", "resultReason", "loggedByService",
               "operationType", "correlationId")
_INITIATOR_TEXT = {
    "initiatedByUserId": ("user", "id"),
    "initiatedByUserPrincipalName": ("user", "userPrincipalName"),
    "initiatedByUserDisplayName": ("user", "displayName"),
    "initiatedByAppId": ("app", "appId"),
    "initiatedByAppDisplayName": ("app", "displayName"),
}

_POLICY_KEYS = frozenset({"policyid", "policy", "b2cpolicyid"})
_APP_KEYS = frozenset({"applicationid", "appid", "clientid", "application", "client_id"})


def parse_time(text: Any) -> datetime | None:
    """Graph's ``activityDateTime`` (up to 7 fractional digits, ``Z``) as an aware UTC time
    (microseconds; the 7th digit is dropped)."""
    if not isinstance(text, str) or not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    head, dot, rest = value.partition(".")
    if dot:
        digits = "".join(c for c in rest if c.isdigit())
        value = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def flatten(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One entry as a row of :data:`SCHEMA`."""
    initiated = _mapping(entry.get("initiatedBy"))
    user, app = _mapping(initiated.get("user")), _mapping(initiated.get("app"))
    targets = [t for t in entry.get("targetResources") or [] if isinstance(t, Mapping)]
    details = [d for d in entry.get("additionalDetails") or [] if isinstance(d, Mapping)]
    policies: dict[str, None] = {}
    apps: dict[str, None] = {}
    for detail in details:
        key, value = str(detail.get("key") or "").lower(), _text(detail.get("value"))
        if value and key in _POLICY_KEYS:
            policies[value.lower()] = None
        if value and key in _APP_KEYS:
            apps[value.lower()] = None
    for target in targets:
        kind = str(target.get("type") or target.get("Type") or "").lower()
        for value in (_text(target.get("id")), _text(target.get("displayName"))):
            if value and kind == "policy":
                policies[value.lower()] = None
            if value and kind in ("application", "serviceprincipal", "app") \
                    and value == _text(target.get("id")):
                apps[value.lower()] = None
    if _text(app.get("appId")):
        apps[str(app["appId"]).lower()] = None
    # Who, in words: the user's UPN, else their name, else the app's name (or id).
    who = (_text(user.get("userPrincipalName")) or _text(user.get("displayName"))
           or _text(app.get("displayName")) or _text(app.get("appId")))
    what = "; ".join(
        f"{target.get('type') or target.get('Type') or 'Object'}: "
        f"{target.get('displayName') or target.get('userPrincipalName') or ''}"
        f" ({target.get('id') or ''})" for target in targets)
    initiator = {"user": user, "app": app}
    row = {
        "id": str(entry.get("id") or ""),
        "activityDateTime": parse_time(entry.get("activityDateTime")),
        **{name: _text(entry.get(name)) for name in _ENTRY_TEXT},
        **{name: _text(initiator[side].get(prop))
           for name, (side, prop) in _INITIATOR_TEXT.items()},
        "initiatedBy": who,
        "targets": what or None,
        "targetIds": [str(t["id"]).lower() for t in targets if _text(t.get("id"))],
        "policyIds": list(policies),
        "applicationIds": list(apps),
        "details": None,
        "entry": orjson.dumps(entry).decode("utf-8"),
    }
    row["details"] = "; ".join(f"{d.get('key')}={d.get('value')}" for d in details) or None
    return row


def to_table(entries: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Entries as an archive table (in the given order)."""
    rows = [flatten(e) for e in entries]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def entries_of(table: pa.Table) -> list[dict[str, Any]]:
    """The whole entries held by ``table`` (its ``entry`` column), decoded."""
    return [orjson.loads(text) for text in table.column("entry").to_pylist() if text]


def empty_table(columns: Sequence[str] | None = None) -> pa.Table:
    schema = SCHEMA if columns is None else pa.schema([SCHEMA.field(c) for c in columns])
    return schema.empty_table()
