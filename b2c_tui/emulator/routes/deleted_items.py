"""``/directory/deletedItems``: list per type, get, restore, permanent delete (30 days)."""

from __future__ import annotations

from typing import Any

from ..audit_log import target
from ..collection import page
from ..deleted_store import DeletedItem
from ..directory_schema import APP_SPEC, SP_SPEC
from ..http import GraphError, Request, Response, empty, json_response, not_found
from ..odata import ResourceSpec, parse_query, project
from ..router import Router
from ..store import Store
from ..user_schema import USER_SPEC, check_upn
from ..users_store import DEFAULT_ORDER

#: cast segment -> (deleted item kind, spec, entity set named in @odata.context)
CASTS: dict[str, tuple[str, ResourceSpec, str]] = {
    "microsoft.graph.user": ("user", USER_SPEC, "users"),
    "microsoft.graph.application": ("application", APP_SPEC, "applications"),
    "microsoft.graph.serviceprincipal": ("servicePrincipal", SP_SPEC, "servicePrincipals"),
    "microsoft.graph.group": ("group", USER_SPEC, "groups"),
    "microsoft.graph.administrativeunit": ("administrativeUnit", USER_SPEC, "administrativeUnits"),
}
TYPE_NAMES = {"user": "User", "application": "Application", "servicePrincipal": "ServicePrincipal"}
DUPLICATE = "Another object with the same value for property {} already exists."


def _user_view(rec: dict[str, Any]) -> dict[str, Any]:
    out = {k: rec.get(k) for k in DEFAULT_ORDER}
    out["deletedDateTime"] = rec.get("deletedDateTime")
    out.update({k: v for k, v in rec.items() if k not in out})
    return out


def register(router: Router, store: Store) -> None:
    """Add the deleted items routes."""
    deleted = store.deleted
    users = store.users
    apps = store.apps

    def list_cast(cast: str) -> Any:
        kind, spec, entity_set = CASTS[cast]

        def handler(request: Request) -> Response:
            items = list(enumerate(item.record for item in deleted.of_kind(kind)))
            if kind != "user":
                return page(request, spec, items, entity_set=entity_set)
            # deleted users come back with the default property set plus deletedDateTime
            query = parse_query(request, spec)
            if not query.select_given:
                query.select = (*DEFAULT_ORDER, "deletedDateTime")
            return page(request, spec, items, query=query, entity_set=entity_set, shape=_user_view)

        return handler

    def list_untyped(request: Request) -> Response:
        raise GraphError(
            400,
            "Request_BadRequest",
            "A type cast segment (for example microsoft.graph.user) is required to "
            "list deleted items.",
        )

    def find(request: Request) -> DeletedItem:
        item = deleted.get(request.params["id"])
        if item is None:
            raise not_found(request.params["id"])
        return item

    def view(item: DeletedItem) -> dict[str, Any]:
        rec = item.record
        body: dict[str, Any] = {"@odata.type": f"#microsoft.graph.{item.kind}"}
        if item.kind == "user":
            body.update(project(rec, (*DEFAULT_ORDER, "deletedDateTime")))
        else:
            body.update(rec)
        return body

    def get_item(request: Request) -> Response:
        item = find(request)
        body = {"@odata.context": request.context_url("directoryObjects/$entity")}
        body.update(view(item))
        return json_response(200, body)

    def restore(request: Request) -> Response:
        item = find(request)
        options: dict[str, Any] = request.json_object() if request.body.strip() else {}
        rec = dict(item.record)
        rec["deletedDateTime"] = None
        if item.kind == "user":
            new_upn = options.get("newUserPrincipalName")
            if new_upn is not None:
                check_upn(new_upn, store.tenant_domain)
                rec["userPrincipalName"] = new_upn
                rec["identities"] = [
                    {**i, "issuerAssignedId": new_upn}
                    if i.get("signInType") == "userPrincipalName"
                    else i
                    for i in rec.get("identities") or ()
                ]
            if users.find(rec["userPrincipalName"]) is not None:
                raise GraphError(400, "Request_BadRequest", DUPLICATE.format("userPrincipalName"))
            for ident in rec.get("identities") or ():
                if ident.get("signInType") == "userPrincipalName":
                    continue
                if users.find_identity(ident["issuer"], ident["issuerAssignedId"]):
                    raise GraphError(400, "Request_BadRequest", DUPLICATE.format("identities"))
            deleted.pop(rec["id"])
            users.restore(
                item.extra["ordinal"],
                rec,
                item.extra.get("methods") or {"phones": {}, "email": None, "oath": []},
            )
            tgt = target(
                rec["id"],
                rec.get("displayName"),
                "User",
                user_principal_name=rec.get("userPrincipalName"),
            )
            store.audit("Restore user", "UserManagement", tgt)
        elif item.kind == "application":
            if apps.app_by_app_id(rec["appId"]) is not None:
                raise GraphError(400, "Request_BadRequest", DUPLICATE.format("appId"))
            deleted.pop(rec["id"])
            apps.add_app(rec)
            store.audit(
                "Restore application",
                "ApplicationManagement",
                target(rec["id"], rec.get("displayName"), "Application"),
            )
        elif item.kind == "servicePrincipal":
            if apps.sp_by_app_id(rec["appId"]) is not None:
                raise GraphError(400, "Request_BadRequest", DUPLICATE.format("appId"))
            deleted.pop(rec["id"])
            apps.add_sp(rec)
            store.audit(
                "Restore service principal",
                "ApplicationManagement",
                target(rec["id"], rec.get("displayName"), "ServicePrincipal"),
            )
        body = {
            "@odata.context": request.context_url("directoryObjects/$entity"),
            "@odata.type": f"#microsoft.graph.{item.kind}",
        }
        restored = DeletedItem(item.kind, rec, item.deleted_at, item.extra)
        body.update({k: v for k, v in view(restored).items() if k != "deletedDateTime"})
        return json_response(200, body)

    def purge(request: Request) -> Response:
        item = find(request)
        deleted.pop(item.record["id"])
        rec = item.record
        store.audit(
            f"Hard delete {item.kind if item.kind != 'servicePrincipal' else 'service principal'}",
            "UserManagement" if item.kind == "user" else "ApplicationManagement",
            target(
                rec["id"],
                rec.get("displayName"),
                TYPE_NAMES.get(item.kind, item.kind),
                user_principal_name=rec.get("userPrincipalName"),
            ),
        )
        return empty(204)

    for cast in CASTS:
        router.add("GET", f"/directory/deletedItems/{cast}", list_cast(cast))
    router.add("GET", "/directory/deletedItems", list_untyped)
    router.add("GET", "/directory/deletedItems/{id}", get_item)
    router.add("POST", "/directory/deletedItems/{id}/restore", restore)
    router.add("DELETE", "/directory/deletedItems/{id}", purge)
