"""``/auditLogs/directoryAudits``: newest first, filters on time, category, actor, target."""

from __future__ import annotations

from ..collection import page
from ..directory_schema import AUDIT_SPEC
from ..http import Request, Response, json_response, not_found
from ..odata import parse_query, parse_select, project
from ..router import Router
from ..store import Store


def register(router: Router, store: Store) -> None:
    """Add the directory audit routes (throttled as the audit-log family)."""
    log = store.audit_log

    def list_audits(request: Request) -> Response:
        query = parse_query(request, AUDIT_SPEC)
        ascending = query.orderby is not None and not query.orderby[1]
        entries = log.entries
        if ascending:
            items = ((n, entries[n]) for n in range(len(entries)))
        else:  # Graph lists audit entries most recent first
            items = ((n, entries[n]) for n in range(len(entries) - 1, -1, -1))
        return page(request, AUDIT_SPEC, items, query=query, descending=not ascending)

    def get_audit(request: Request) -> Response:
        entry = log.get(request.params["id"])
        if entry is None:
            raise not_found(request.params["id"])
        select = parse_select(request, AUDIT_SPEC, collection=False)
        body = {"@odata.context": request.context_url("auditLogs/directoryAudits/$entity")}
        body.update(project(entry, select))
        return json_response(200, body)

    router.add("GET", "/auditLogs/directoryAudits", list_audits, family="audit")
    router.add("GET", "/auditLogs/directoryAudits/{id}", get_audit, family="audit")
