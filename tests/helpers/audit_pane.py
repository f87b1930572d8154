"""Helpers for the audit pane and tenant dashboard tests: audit entries made to order, an
archive written straight from them, and the explorer opened on a pane."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from b2c_tui.audit import AuditArchive, to_table
from b2c_tui.emulator.clock import iso7
from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import settle


def entry(n: int, when: datetime, *, category: str = "Authentication",
          activity: str = "Issue an id_token to the application", result: str = "success",
          policy: str | None = "B2C_1A_signup_signin",
          app: str = "11111111-aaaa-4aaa-8aaa-111111111111",
          user: str | None = None, prefix: str = "T") -> dict[str, Any]:
    """A ``directoryAudit`` entry as Graph sends it (id ``<prefix>-<n>``)."""
    details = [{"key": "ApplicationId", "value": app}]
    if policy:
        details.insert(0, {"key": "PolicyId", "value": policy})
    initiated: dict[str, Any] = (
        {"user": {"id": f"user-{user}", "userPrincipalName": f"{user}@contoso.example",
                  "displayName": user.title(), "ipAddress": "192.0.2.1"}, "app": None}
        if user else {"app": {"appId": app, "displayName": "Contoso Web"}, "user": None})
    return {
        "id": f"{prefix}-{n:06d}", "category": category, "correlationId": f"corr-{n}",
        "result": result, "resultReason": "" if result == "success" else "It failed.",
        "activityDisplayName": activity, "activityDateTime": iso7(when),
        "loggedByService": "B2C", "operationType": "Other", "initiatedBy": initiated,
        "targetResources": [{"id": f"target-{n}", "displayName": f"User {n}", "type": "User",
                             "modifiedProperties": []}],
        "additionalDetails": details,
    }


def spread(count: int, newest: datetime, step: timedelta, **kw: Any) -> list[dict[str, Any]]:
    """``count`` entries, one every ``step`` back from ``newest`` (newest first)."""
    return [entry(n, newest - n * step, **kw) for n in range(count)]


def write_archive(archive: AuditArchive | Path, entries: list[dict[str, Any]]
                  ) -> AuditArchive:
    """Write ``entries`` into the archive's day files, as a pull would leave them."""
    target = archive if isinstance(archive, AuditArchive) else AuditArchive(archive)
    by_day: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in entries:
        by_day[item["activityDateTime"][:10]].append(item)
    for day_text, items in by_day.items():
        from datetime import date

        target.files.write(date.fromisoformat(day_text), to_table(items))
    return target


async def open_pane(pilot: Any, app: B2CApp, name: str) -> Any:
    """Show pane ``name`` with ``:`` as a person would, wait for it, focus its table."""
    await settle(pilot, app)
    await pilot.press("colon", *name, "enter")
    await settle(pilot, app)
    pane = app.pane(name)
    assert pane is not None, f"no pane {name}"
    table = getattr(pane, "table", None)
    if table is not None:
        table.focus()
        await settle(pilot, app)
    return pane
