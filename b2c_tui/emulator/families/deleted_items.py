"""``/directory/deletedItems``: list per type, get, restore, permanent delete (30 days).

The rules live in :class:`..directory.deleted.DeletedItems`.
"""

from __future__ import annotations

from typing import Any

from ..directory.deleted import DeletedItem
from ..directory.schema import APP_SPEC, SP_SPEC
from ..http import GraphError, Request, Response, empty, json_response
from ..odata import ResourceSpec, page, parse_query, project
from ..users.directory import DEFAULT_ORDER
from ..users.schema import USER_SPEC
from .base import Family, route

#: cast segment -> (deleted item kind, spec, entity set named in @odata.context)
CASTS: dict[str, tuple[str, ResourceSpec, str]] = {
    "microsoft.graph.user": ("user", USER_SPEC, "users"),
    "microsoft.graph.application": ("application", APP_SPEC, "applications"),
    "microsoft.graph.serviceprincipal": ("servicePrincipal", SP_SPEC, "servicePrincipals"),
    "microsoft.graph.group": ("group", USER_SPEC, "groups"),
    "microsoft.graph.administrativeunit": ("administrativeUnit", USER_SPEC, "administrativeUnits"),
}
ITEM = "/directory/deletedItems/{id}"


def _user_view(rec: dict[str, Any]) -> dict[str, Any]:
    out = {k: rec.get(k) for k in DEFAULT_ORDER}
    out["deletedDateTime"] = rec.get("deletedDateTime")
    out.update({k: v for k, v in rec.items() if k not in out})
    return out


def _view(item: DeletedItem) -> dict[str, Any]:
    body: dict[str, Any] = {"@odata.type": f"#microsoft.graph.{item.kind}"}
    if item.kind == "user":
        body.update(project(item.record, (*DEFAULT_ORDER, "deletedDateTime")))
    else:
        body.update(item.record)
    return body


class DeletedItems(Family):
    """Soft-deleted users, applications and service principals."""

    def _find(self, request: Request) -> DeletedItem:
        item = self.store.deleted.get(request.params["id"])
        if item is None:
            raise self.not_found(request.params["id"])
        return item

    @route("GET", *(f"/directory/deletedItems/{cast}" for cast in CASTS))
    def list_cast(self, request: Request) -> Response:
        cast = request.path.rstrip("/").rsplit("/", 1)[-1].lower()
        kind, spec, entity_set = CASTS[cast]
        items = list(enumerate(item.record for item in self.store.deleted.of_kind(kind)))
        if kind != "user":
            return page(request, spec, items, entity_set=entity_set)
        # deleted users come back with the default property set plus deletedDateTime
        query = parse_query(request, spec)
        if not query.select_given:
            query.select = (*DEFAULT_ORDER, "deletedDateTime")
        return page(request, spec, items, query=query, entity_set=entity_set, shape=_user_view)

    @route("GET", "/directory/deletedItems")
    def list_untyped(self, request: Request) -> Response:
        raise GraphError(
            400,
            "Request_BadRequest",
            "A type cast segment (for example microsoft.graph.user) is required to "
            "list deleted items.",
        )

    @route("GET", ITEM)
    def get_item(self, request: Request) -> Response:
        body = {"@odata.context": request.context_url("directoryObjects/$entity")}
        body.update(_view(self._find(request)))
        return json_response(200, body)

    @route("POST", f"{ITEM}/restore")
    def restore(self, request: Request) -> Response:
        item = self._find(request)
        options: dict[str, Any] = request.json_object() if request.body.strip() else {}
        new_upn = options.get("newUserPrincipalName") if item.kind == "user" else None
        rec = self.store.deleted.restore(item, new_upn)
        body = {
            "@odata.context": request.context_url("directoryObjects/$entity"),
            "@odata.type": f"#microsoft.graph.{item.kind}",
        }
        restored = DeletedItem(item.kind, rec, item.deleted_at, item.extra)
        body.update({k: v for k, v in _view(restored).items() if k != "deletedDateTime"})
        return json_response(200, body)

    @route("DELETE", ITEM)
    def purge(self, request: Request) -> Response:
        self.store.deleted.purge(self._find(request))
        return empty(204)
