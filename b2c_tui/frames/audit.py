"""Directory audit columns (``/auditLogs/directoryAudits``).

``initiatedBy`` becomes who did it (a user's UPN, else an app's name), ``targets`` the display
names (or ids) of the objects touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import joined, path
from .columns import Column


def initiator(record: Mapping[str, Any]) -> str | None:
    """The user's UPN (or id), else the app's display name (or appId)."""
    user = path("initiatedBy", "user")(record)
    if isinstance(user, Mapping):
        who = user.get("userPrincipalName") or user.get("displayName") or user.get("id")
        if who:
            return str(who)
    app = path("initiatedBy", "app")(record)
    if isinstance(app, Mapping):
        who = app.get("displayName") or app.get("appId")
        if who:
            return str(who)
    return None


def targets(record: Mapping[str, Any]) -> str | None:
    """Each target's display name (its UPN or id when it has none)."""
    items = record.get("targetResources")
    return joined(
        t.get("displayName") or t.get("userPrincipalName") or t.get("id")
        for t in items or () if isinstance(t, Mapping))


AUDIT_COLUMNS: tuple[Column, ...] = (
    Column("activityDateTime", "Time", kind="datetime", width=16),
    Column("activityDisplayName", "Activity", width=28),
    Column("result", "Result", width=8),
    Column("resultReason", "Reason", width=30),
    Column("category", "Category", width=18),
    Column("initiatedBy", "Initiated by", get=initiator, width=30),
    Column("targets", "Targets", select=("targetResources",), get=targets, width=30),
    Column("loggedByService", "Service", width=14),
    Column("id", "Id", width=30),
)

AUDIT_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("operationType", "Operation", width=10),
    Column("correlationId", "Correlation id", width=36),
)
