"""The detail view's sections for one ``directoryAudit`` entry: what happened, who did it, to
what (modified properties as old → new, readable) and B2C's additional details.

Graph writes a modified property's values as JSON text (``"[\\"Ann\\"]"``); they are shown
decoded (``Ann``), a missing value as ``—``. Everything from the tenant goes through
:func:`~b2c_tui.tui.safe_text.safe`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ....audit.schema import parse_time
from ... import kit
from ...safe_text import safe

Record = Mapping[str, Any]


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    return grid


def _text(value: Any) -> Text:
    if value is None or value == "" or value == []:
        return Text("—", style="dim")
    return Text(safe(value))


def when(record: Record) -> str:
    """The entry's time to the microsecond, UTC."""
    parsed = parse_time(record.get("activityDateTime"))
    if parsed is None:
        return safe(record.get("activityDateTime") or "")
    return parsed.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def readable(value: Any) -> str | None:
    """A modified property's old or new value as a person reads it (JSON text decoded; a
    one-item list as its item; ``None`` when there is none)."""
    if value is None or value == "":
        return None
    decoded = value
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
    if isinstance(decoded, list):
        items = [readable(v) if not isinstance(v, str) else v for v in decoded]
        shown = [str(i) for i in items if i not in (None, "")]
        return "; ".join(shown) if shown else None
    if isinstance(decoded, dict):
        return json.dumps(decoded, ensure_ascii=False, sort_keys=True)
    return None if decoded is None else str(decoded)


def render_entry(record: Record) -> Table:
    grid = _grid()
    result = Text(safe(record.get("result") or ""))
    if str(record.get("result", "")).lower() == "failure":
        result.stylize("bold reverse")
    rows: list[tuple[str, Text]] = [
        ("Time", Text(when(record))),
        ("Category", _text(record.get("category"))),
        ("Activity", _text(record.get("activityDisplayName"))),
        ("Result", result),
        ("Reason", _text(record.get("resultReason"))),
        ("Service", _text(record.get("loggedByService"))),
        ("Operation", _text(record.get("operationType"))),
        ("Correlation id", _text(record.get("correlationId"))),
        ("Id", _text(record.get("id"))),
    ]
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def render_initiator(record: Record) -> RenderableType:
    initiated = record.get("initiatedBy")
    initiated = initiated if isinstance(initiated, Mapping) else {}
    grid = _grid()
    user, app = initiated.get("user"), initiated.get("app")
    if isinstance(user, Mapping) and any(user.get(k) for k in ("id", "userPrincipalName")):
        grid.add_row("User", _text(user.get("displayName")))
        grid.add_row("Sign-in name", _text(user.get("userPrincipalName")))
        grid.add_row("Object id", _text(user.get("id")))
        grid.add_row("IP address", _text(user.get("ipAddress")))
    elif isinstance(app, Mapping):
        grid.add_row("App", _text(app.get("displayName")))
        grid.add_row("Client id", _text(app.get("appId")))
        grid.add_row("Service principal", _text(app.get("servicePrincipalId")))
    else:
        return Text("Not recorded.", style="dim")
    return grid


def render_targets(record: Record) -> RenderableType:
    targets = [t for t in record.get("targetResources") or [] if isinstance(t, Mapping)]
    if not targets:
        return Text("None recorded.", style="dim")
    parts: list[RenderableType] = []
    for target in targets:
        head = Text()
        head.append(safe(target.get("type") or "Object"), style="bold")
        head.append("  ")
        head.append(safe(target.get("displayName") or target.get("userPrincipalName") or "—"))
        if target.get("id"):
            head.append(f"  {safe(target.get('id'))}", style="dim")
        parts.append(head)
        if target.get("userPrincipalName") and target.get("displayName"):
            parts.append(Text(f"  {safe(target['userPrincipalName'])}", style="dim"))
        for change in target.get("modifiedProperties") or []:
            if not isinstance(change, Mapping):
                continue
            line = Text("  ")
            line.append(safe(change.get("displayName") or "property"), style="italic")
            line.append(": ")
            old, new = readable(change.get("oldValue")), readable(change.get("newValue"))
            line.append(safe(old) if old is not None else "—", style="" if old else "dim")
            line.append(" → ")
            line.append(safe(new) if new is not None else "—", style="bold" if new else "dim")
            parts.append(line)
    return Group(*parts)


def render_details(record: Record) -> RenderableType:
    details = [d for d in record.get("additionalDetails") or [] if isinstance(d, Mapping)]
    if not details:
        return Text("None.", style="dim")
    grid = _grid()
    for detail in details:
        grid.add_row(safe(detail.get("key") or ""), _text(detail.get("value")))
    return grid


SECTIONS = (
    kit.Section("Entry", render_entry),
    kit.Section("Initiated by", render_initiator),
    kit.Section("Targets (old → new)", render_targets),
    kit.Section("Additional details", render_details),
)
