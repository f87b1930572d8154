"""The tenant's directory audit log (``/auditLogs/directoryAudits``).

Every change made through the emulator's API appends an entry via :meth:`Store.audit`;
:class:`~.audit_history.AuditHistory` derives the entries of the week before the tenant was
made. Like B2C, the log serves only the last :data:`WINDOW` (seven days) on the store's clock.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso7, seeded_uuid
from ..http import current_request

if TYPE_CHECKING:
    from .audit_history import AuditHistory

#: How long B2C keeps audit entries.
WINDOW = timedelta(days=7)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(when: datetime) -> int:
    """Microseconds since the epoch (UTC): the audit log's time axis."""
    return (when - _EPOCH) // timedelta(microseconds=1)

#: activityDisplayName -> operationType, for entries written through the API.
_OPERATION = {"add": "Add", "update": "Update", "delete": "Delete", "restore": "Restore"}


def _operation_type(activity: str) -> str:
    first = activity.split(" ", 1)[0].lower()
    return _OPERATION.get(first, "Other")


class AuditLog:
    """The entries written through the API (:attr:`entries`, oldest first) and the generated
    history before them; :meth:`get`, ``len()`` and the listing serve the last seven days."""

    def __init__(self, rng: random.Random, clock: Callable[[], datetime]) -> None:
        self._rng = rng
        self.clock = clock
        self.entries: list[dict[str, Any]] = []
        #: When each of :attr:`entries` happened (microseconds), in the same order.
        self.times: list[int] = []
        self._by_id: dict[str, int] = {}
        self.history: AuditHistory | None = None

    def window_start(self) -> int:
        """The oldest time served now (microseconds): seven days ago."""
        return micros(self.clock() - WINDOW)

    def __len__(self) -> int:
        """How many entries are served now."""
        start = self.window_start()
        written = len(self.times) - bisect.bisect_left(self.times, start)
        history = self.history
        return written + (history.count - history.first_at_or_after(start) if history else 0)

    def get(self, entry_id: str) -> dict[str, Any] | None:
        """The served entry with this id, or None (also once it is older than seven days)."""
        start = self.window_start()
        index = self._by_id.get(entry_id.lower())
        if index is not None:
            return self.entries[index] if self.times[index] >= start else None
        k = self.history.index_of(entry_id) if self.history else None
        if k is None or self.history is None or self.history.time_of(k) < start:
            return None
        return self.history.entry(k)

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
        correlation = seeded_uuid(self._rng)
        prefix = "B2C" if service == "B2C" else "Directory"
        suffix = seeded_uuid(self._rng)[:8].upper()
        entry_id = f"{prefix}_{correlation.split('-')[0].upper()}_{suffix}"
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
        self._by_id[entry_id.lower()] = len(self.entries)
        self.entries.append(entry)
        self.times.append(micros(when))
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
