"""``/auditLogs/directoryAudits``: the last seven days, newest first, filters on time,
category, activity, result, actor and target (see :mod:`..directory.audit_listing`)."""

from __future__ import annotations

from ..directory.audit_listing import AuditLister
from ..directory.schema import AUDIT_SPEC
from ..http import Request, Response
from ..odata import entity, parse_query
from ..store import Store
from .base import Family, route


class DirectoryAudits(Family):
    """The tenant's directory audit log (throttled as the audit-log family)."""

    throttle = "audit"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.lister = AuditLister(store.audit_log)

    @route("GET", "/auditLogs/directoryAudits")
    def list_audits(self, request: Request) -> Response:
        return self.lister.page(request, AUDIT_SPEC, parse_query(request, AUDIT_SPEC))

    @route("GET", "/auditLogs/directoryAudits/{id}")
    def get_audit(self, request: Request) -> Response:
        entry = self.store.audit_log.get(request.params["id"])
        if entry is None:
            raise self.not_found(request.params["id"])
        return entity(request, AUDIT_SPEC, entry, context_url="auditLogs/directoryAudits/$entity")
