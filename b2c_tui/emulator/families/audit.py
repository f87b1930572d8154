"""``/auditLogs/directoryAudits``: newest first, filters on time, category, actor, target."""

from __future__ import annotations

from ..directory.schema import AUDIT_SPEC
from ..http import Request, Response
from ..odata import entity, page, parse_query
from .base import Family, route


class DirectoryAudits(Family):
    """The tenant's directory audit log (throttled as the audit-log family)."""

    throttle = "audit"

    @route("GET", "/auditLogs/directoryAudits")
    def list_audits(self, request: Request) -> Response:
        query = parse_query(request, AUDIT_SPEC)
        ascending = query.orderby is not None and not query.orderby[1]
        entries = self.store.audit_log.entries
        if ascending:
            items = ((n, entries[n]) for n in range(len(entries)))
        else:  # Graph lists audit entries most recent first
            items = ((n, entries[n]) for n in range(len(entries) - 1, -1, -1))
        return page(request, AUDIT_SPEC, items, query=query, descending=not ascending)

    @route("GET", "/auditLogs/directoryAudits/{id}")
    def get_audit(self, request: Request) -> Response:
        entry = self.store.audit_log.get(request.params["id"])
        if entry is None:
            raise self.not_found(request.params["id"])
        return entity(request, AUDIT_SPEC, entry, context_url="auditLogs/directoryAudits/$entity")
