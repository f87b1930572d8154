"""The tenant's directory audit log (``/auditLogs/directoryAudits``).

Every change made through the emulator's API appends an entry via :meth:`Store.audit`; the
generator also seeds a plausible history (sign-ups, profile edits, a few failures).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime
from typing import Any

from ..clock import iso7
from ..http import current_request

#: activityDisplayName -> operationType, for entries written through the API.
_OPERATION = {"add": "Add", "update": "Update", "delete": "Delete", "restore": "Restore"}


def _operation_type(activity: str) -> str:
    first = activity.split(" ", 1)[0].lower()
    return _OPERATION.get(first, "Other")


class AuditLog:
    """Append-only list of directoryAudit entries, oldest first."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.entries: list[dict[str, Any]] = []
        self._by_id: dict[str, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> dict[str, Any] | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id.lower())

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def append(
        self,
        when: datetime,
        activity: str,
        category: str,
        *,
        targets: list[dict[str, Any]],
        result: str = "success",
        result_reason: str = "",
        service: str = "Core Directory",
        initiated_by: dict[str, Any] | None = None,
        additional: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Record an entry and return it."""
        correlation = self._uuid()
        prefix = "B2C" if service == "B2C" else "Directory"
        entry_id = f"{prefix}_{correlation.split('-')[0].upper()}_{self._uuid()[:8].upper()}"
        entry = {
            "id": entry_id,
            "category": category,
            "correlationId": correlation,
            "result": result,
            "resultReason": result_reason,
            "activityDisplayName": activity,
            "activityDateTime": iso7(when),
            "loggedByService": service,
            "operationType": _operation_type(activity),
            "initiatedBy": initiated_by or _initiator(),
            "targetResources": targets,
            "additionalDetails": additional or [],
        }
        self.entries.append(entry)
        self._by_id[entry_id.lower()] = entry
        return entry


def _initiator() -> dict[str, Any]:
    """``initiatedBy`` for the request being handled (its token's app or user)."""
    req = current_request.get()
    claims: dict[str, Any] = (req.state.get("claims") if req is not None else None) or {}
    ip = "127.0.0.1"
    if claims.get("scp") and claims.get("oid"):
        return {
            "app": None,
            "user": {
                "id": claims.get("oid"),
                "displayName": claims.get("name"),
                "userPrincipalName": claims.get("upn") or claims.get("preferred_username"),
                "ipAddress": ip,
                "userType": None,
                "homeTenantId": claims.get("tid"),
                "homeTenantName": None,
            },
        }
    app_id = claims.get("appid") or claims.get("azp") or "00000000-0000-0000-0000-000000000000"
    return {
        "app": {
            "appId": app_id,
            "displayName": claims.get("app_displayname") or "b2c-tui",
            "servicePrincipalId": claims.get("oid"),
            "servicePrincipalName": None,
        },
        "user": None,
    }


def target(
    obj_id: str | None,
    display_name: str | None,
    type_: str,
    *,
    user_principal_name: str | None = None,
    modified: dict[str, tuple[Any, Any]] | None = None,
) -> dict[str, Any]:
    """A ``targetResources`` item; ``modified`` maps property -> (old, new)."""
    props = [
        {"displayName": name, "oldValue": _text(old), "newValue": _text(new)}
        for name, (old, new) in (modified or {}).items()
    ]
    return {
        "id": obj_id,
        "displayName": display_name,
        "type": type_,
        "userPrincipalName": user_principal_name,
        "groupType": None,
        "modifiedProperties": props,
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    import orjson

    return orjson.dumps(value).decode() if not isinstance(value, str) else f'["{value}"]'
