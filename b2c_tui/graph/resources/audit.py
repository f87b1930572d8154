"""Directory audit logs: list (filtered by time, category, actor, target) and get.

Endpoints: ``/auditLogs/directoryAudits`` and ``/auditLogs/directoryAudits/{id}`` (v1.0).
Audit logs are throttled hard (5 requests per 10 s per app per tenant), so paging does not
prefetch by default: each page is asked for only when the caller wants it. Slice by time and
``$select`` what you show. B2C's own events have ``loggedByService eq 'B2C'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypedDict, Unpack

from ..paging import PageIterator
from ..query import F, Filter
from ._query import QueryArg, to_params
from .base import ResourceAPI, seg

AUDITS = "/auditLogs/directoryAudits"
RESOURCE = "directoryAudits"

AUDIT_SELECT = (
    "id", "activityDateTime", "activityDisplayName", "category", "result", "resultReason",
    "loggedByService", "operationType", "initiatedBy", "targetResources", "correlationId",
)


class AuditFilters(TypedDict, total=False):
    """The keywords of :func:`audit_filter`, also taken by :meth:`AuditAPI.list`."""

    since: datetime | date | None
    until: datetime | date | None
    category: str | None
    activity: str | None
    activity_prefix: str | None
    logged_by_service: str | None
    result: str | None
    initiated_by_user_id: str | None
    initiated_by_upn: str | None
    initiated_by_app_id: str | None
    target_id: str | None
    correlation_id: str | None


#: The keywords of :func:`audit_filter` answered by ``property eq value``.
_EQUALS = {
    "category": "category",
    "activity": "activityDisplayName",
    "logged_by_service": "loggedByService",
    "result": "result",
    "initiated_by_user_id": "initiatedBy/user/id",
    "initiated_by_upn": "initiatedBy/user/userPrincipalName",
    "initiated_by_app_id": "initiatedBy/app/appId",
    "correlation_id": "correlationId",
}


def audit_filter(**filters: Unpack[AuditFilters]) -> Filter | None:
    """The ``$filter`` for the common audit questions (the keywords of
    :class:`AuditFilters`), every condition joined with ``and``.

    ``since``/``until`` bound ``activityDateTime`` (``ge``/``le``, unquoted DateTimeOffset
    literals; naive datetimes are UTC). ``category`` and ``result`` are filterable in practice
    though the docs' table does not list them.
    """
    unknown = sorted(set(filters) - set(AuditFilters.__annotations__))
    if unknown:
        raise TypeError(f"audit_filter() got an unexpected keyword argument {unknown[0]!r}")
    parts: list[Filter] = []
    if (since := filters.get("since")) is not None:
        parts.append(F.ge("activityDateTime", since))
    if (until := filters.get("until")) is not None:
        parts.append(F.le("activityDateTime", until))
    for keyword, prop in _EQUALS.items():
        if (value := filters.get(keyword)) is not None:
            parts.append(F.eq(prop, value))
    if (prefix := filters.get("activity_prefix")) is not None:
        parts.append(F.startswith("activityDisplayName", prefix))
    if (target_id := filters.get("target_id")) is not None:
        parts.append(F.any_("targetResources", F.eq("t/id", target_id), var="t"))
    return F.and_(*parts) if parts else None


class AuditAPI(ResourceAPI):
    """``/auditLogs/directoryAudits`` (v1.0)."""

    def list(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
             top: int | None = None, newest_first: bool = False, prefetch: bool = False,
             **filters: Unpack[AuditFilters]) -> PageIterator:
        """Pages of audit records: ``GET /auditLogs/directoryAudits``.

        ``filters`` are the keywords of :func:`audit_filter` (``since=``, ``category=``...);
        they are joined with ``and`` to any ``$filter`` in ``query``. ``newest_first`` sorts by
        ``activityDateTime desc``. ``prefetch`` is off: audit reads are throttled at 5 per 10 s.
        """
        extra: dict[str, str] = {}
        where = audit_filter(**filters)
        if where is not None:
            given = to_params(query).get("$filter")
            extra["$filter"] = f"({given}) and {where}" if given else str(where)
        if newest_first:
            extra["$orderby"] = "activityDateTime desc"
        return self._list(AUDITS, query, select=select, top=top, prefetch=prefetch,
                          resource=RESOURCE, extra=extra)

    async def get(self, audit_id: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        """One audit record: ``GET /auditLogs/directoryAudits/{id}``."""
        return await self._get(f"{AUDITS}/{seg(audit_id)}", select=select)
