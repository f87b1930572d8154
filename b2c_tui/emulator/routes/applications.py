"""``/applications``, ``/servicePrincipals`` and ``/oauth2PermissionGrants``."""

from __future__ import annotations

import copy
from typing import Any

from ..apps_store import application, grant_id, service_principal
from ..audit_log import target
from ..collection import entity, page
from ..directory_schema import APP_SPEC, GRANT_SPEC, SP_SPEC
from ..http import GraphError, Request, Response, empty, not_found
from ..odata import parse_select
from ..router import Router
from ..store import Store

AUDIENCES = (
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
)
APP_READ_ONLY = (
    "id",
    "appId",
    "createdDateTime",
    "publisherDomain",
    "deletedDateTime",
    "passwordCredentials",
)
DUPLICATE = "Another object with the same value for property {} already exists."


def _bad(message: str) -> GraphError:
    return GraphError(400, "Request_BadRequest", message)


def _check_body(
    body: dict[str, Any], allowed: tuple[str, ...], read_only: tuple[str, ...], type_name: str
) -> None:
    for key in body:
        if key.startswith("@odata."):
            continue
        if key in read_only:
            raise _bad(f"Property '{key}' is read-only and cannot be set.")
        if key not in allowed:
            raise _bad(
                f"Property '{key}' does not exist as a declared property or extension "
                f"property of resource '{type_name}'."
            )


def register(router: Router, store: Store) -> None:
    """Add the application, service principal and grant routes."""
    apps = store.apps

    def app_target(
        app: dict[str, Any], modified: dict[str, tuple[Any, Any]] | None = None
    ) -> dict[str, Any]:
        return target(app["id"], app.get("displayName"), "Application", modified=modified)

    def find_app(request: Request) -> dict[str, Any]:
        if "appId" in request.params:
            app = apps.app_by_app_id(request.params["appId"])
            key = request.params["appId"]
        else:
            key = request.params["id"]
            app = apps.app(key)
        if app is None:
            raise not_found(key)
        return app

    # -- applications ---------------------------------------------------------------------
    def list_apps(request: Request) -> Response:
        return page(request, APP_SPEC, apps.ordered(apps.apps))

    def get_app(request: Request) -> Response:
        select = parse_select(request, APP_SPEC, collection=False)
        return entity(request, APP_SPEC, find_app(request), select=select)

    def create_app(request: Request) -> Response:
        body = request.json_object()
        _check_body(body, APP_SPEC.properties, APP_READ_ONLY, "Application")
        name = body.get("displayName")
        if not isinstance(name, str) or not name.strip():
            raise _bad(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        audience = body.get("signInAudience", "AzureADandPersonalMicrosoftAccount")
        if audience not in AUDIENCES:
            raise _bad(
                "Invalid value specified for property 'signInAudience' of resource 'Application'."
            )
        app = application(
            store.new_id(), store.new_id(), name, store.now_iso(), store.tenant_domain, audience
        )
        for key, value in body.items():
            if not key.startswith("@odata."):
                app[key] = copy.deepcopy(value)
        apps.add_app(app)
        store.audit("Add application", "ApplicationManagement", app_target(app))
        return entity(
            request,
            APP_SPEC,
            app,
            status=201,
            headers={"Location": f"{request.service_root}/applications/{app['id']}"},
        )

    def update_app(request: Request) -> Response:
        app = find_app(request)
        body = request.json_object()
        _check_body(body, APP_SPEC.properties, APP_READ_ONLY, "Application")
        if "displayName" in body and not (
            isinstance(body["displayName"], str) and body["displayName"].strip()
        ):
            raise _bad(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        if "signInAudience" in body and body["signInAudience"] not in AUDIENCES:
            raise _bad(
                "Invalid value specified for property 'signInAudience' of resource 'Application'."
            )
        modified = {k: (app.get(k), v) for k, v in body.items() if app.get(k) != v}
        for key, value in body.items():
            if not key.startswith("@odata."):
                app[key] = copy.deepcopy(value)
        sp = apps.sp_by_app_id(app["appId"])
        if sp is not None:
            sp["appDisplayName"] = app["displayName"]
            sp["appRoles"] = copy.deepcopy(app.get("appRoles") or [])
        store.audit("Update application", "ApplicationManagement", app_target(app, modified))
        return empty(204)

    def delete_app(request: Request) -> Response:
        app = find_app(request)
        del apps.apps[app["id"].lower()]
        store.deleted.add("application", app)
        store.audit("Delete application", "ApplicationManagement", app_target(app))
        sp = apps.sp_by_app_id(app["appId"])
        if sp is not None:
            del apps.sps[sp["id"].lower()]
            store.deleted.add("servicePrincipal", sp)
            store.audit(
                "Remove service principal",
                "ApplicationManagement",
                target(sp["id"], sp["displayName"], "ServicePrincipal"),
            )
        return empty(204)

    # -- service principals -----------------------------------------------------------------
    def find_sp(request: Request) -> dict[str, Any]:
        if "appId" in request.params:
            sp = apps.sp_by_app_id(request.params["appId"])
            key = request.params["appId"]
        else:
            key = request.params["id"]
            sp = apps.sp(key)
        if sp is None:
            raise not_found(key)
        return sp

    def list_sps(request: Request) -> Response:
        return page(request, SP_SPEC, apps.ordered(apps.sps))

    def get_sp(request: Request) -> Response:
        select = parse_select(request, SP_SPEC, collection=False)
        return entity(request, SP_SPEC, find_sp(request), select=select)

    def create_sp(request: Request) -> Response:
        body = request.json_object()
        _check_body(
            body,
            SP_SPEC.properties,
            ("id", "deletedDateTime", "appOwnerOrganizationId"),
            "ServicePrincipal",
        )
        app_id = body.get("appId")
        if not isinstance(app_id, str) or not app_id:
            raise _bad(
                "Invalid value specified for property 'appId' of resource 'ServicePrincipal'."
            )
        app = apps.app_by_app_id(app_id)
        if app is None:
            raise _bad(
                f"The appId '{app_id}' of the service principal does not reference a "
                "valid application object."
            )
        if apps.sp_by_app_id(app_id) is not None:
            raise GraphError(
                409,
                "Request_MultipleObjectsWithSameKeyValue",
                DUPLICATE.format("servicePrincipalNames"),
            )
        sp = service_principal(store.new_id(), app, store.tenant_id)
        for key, value in body.items():
            if not key.startswith("@odata.") and key != "appId":
                sp[key] = copy.deepcopy(value)
        apps.add_sp(sp)
        store.audit(
            "Add service principal",
            "ApplicationManagement",
            target(sp["id"], sp["displayName"], "ServicePrincipal"),
        )
        return entity(request, SP_SPEC, sp, status=201)

    def update_sp(request: Request) -> Response:
        sp = find_sp(request)
        body = request.json_object()
        _check_body(
            body,
            SP_SPEC.properties,
            ("id", "appId", "deletedDateTime", "appOwnerOrganizationId"),
            "ServicePrincipal",
        )
        modified = {k: (sp.get(k), v) for k, v in body.items() if sp.get(k) != v}
        sp.update(copy.deepcopy(body))
        store.audit(
            "Update service principal",
            "ApplicationManagement",
            target(sp["id"], sp["displayName"], "ServicePrincipal", modified=modified),
        )
        return empty(204)

    def delete_sp(request: Request) -> Response:
        sp = find_sp(request)
        del apps.sps[sp["id"].lower()]
        store.deleted.add("servicePrincipal", sp)
        store.audit(
            "Remove service principal",
            "ApplicationManagement",
            target(sp["id"], sp["displayName"], "ServicePrincipal"),
        )
        return empty(204)

    # -- oauth2PermissionGrants ---------------------------------------------------------------
    def find_grant(request: Request) -> dict[str, Any]:
        grant = apps.grants.get(request.params["id"])
        if grant is None:
            raise not_found(request.params["id"])
        return grant

    def list_grants(request: Request) -> Response:
        return page(request, GRANT_SPEC, apps.ordered(apps.grants))

    def get_grant(request: Request) -> Response:
        return entity(request, GRANT_SPEC, find_grant(request))

    def create_grant(request: Request) -> Response:
        body = request.json_object()
        _check_body(body, GRANT_SPEC.properties, ("id",), "OAuth2PermissionGrant")
        for required in ("clientId", "consentType", "resourceId", "scope"):
            if not isinstance(body.get(required), str):
                raise _bad(
                    f"Invalid value specified for property '{required}' of resource "
                    "'OAuth2PermissionGrant'."
                )
        consent = body["consentType"]
        principal = body.get("principalId")
        if consent not in ("AllPrincipals", "Principal") or (consent == "Principal") != bool(
            principal
        ):
            raise _bad(
                "consentType must be 'AllPrincipals' (principalId null) or 'Principal' "
                "(with principalId)."
            )
        for key in ("clientId", "resourceId"):
            if apps.sp(body[key]) is None:
                raise _bad(
                    f"Invalid value specified for property '{key}': no service principal "
                    f"with id '{body[key]}'."
                )
        gid = grant_id(body["clientId"], body["resourceId"], principal)
        if gid in apps.grants:
            raise GraphError(
                409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists."
            )
        grant = {
            "clientId": body["clientId"],
            "consentType": consent,
            "id": gid,
            "principalId": principal,
            "resourceId": body["resourceId"],
            "scope": body["scope"],
        }
        apps.add_grant(grant)
        store.audit(
            "Add delegated permission grant",
            "ApplicationManagement",
            target(
                body["resourceId"],
                None,
                "ServicePrincipal",
                modified={"DelegatedPermissionGrant.Scope": (None, body["scope"])},
            ),
        )
        return entity(request, GRANT_SPEC, grant, status=201)

    def update_grant(request: Request) -> Response:
        grant = find_grant(request)
        body = request.json_object()
        _check_body(body, ("scope",), (), "OAuth2PermissionGrant")
        old = grant["scope"]
        grant["scope"] = body.get("scope", old)
        store.audit(
            "Update delegated permission grant",
            "ApplicationManagement",
            target(
                grant["resourceId"],
                None,
                "ServicePrincipal",
                modified={"DelegatedPermissionGrant.Scope": (old, grant["scope"])},
            ),
        )
        return empty(204)

    def delete_grant(request: Request) -> Response:
        grant = find_grant(request)
        del apps.grants[grant["id"]]
        store.audit(
            "Remove delegated permission grant",
            "ApplicationManagement",
            target(grant["resourceId"], None, "ServicePrincipal"),
        )
        return empty(204)

    def no_count(request: Request) -> Response:
        raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")

    router.add("GET", "/applications", list_apps)
    router.add("POST", "/applications", create_app)
    router.add("GET", "/applications/$count", no_count)
    for template in ("/applications/{id}", "/applications(appId='{appId}')"):
        router.add("GET", template, get_app)
        router.add("PATCH", template, update_app)
        router.add("DELETE", template, delete_app)
    router.add("GET", "/servicePrincipals", list_sps)
    router.add("POST", "/servicePrincipals", create_sp)
    router.add("GET", "/servicePrincipals/$count", no_count)
    for template in ("/servicePrincipals/{id}", "/servicePrincipals(appId='{appId}')"):
        router.add("GET", template, get_sp)
        router.add("PATCH", template, update_sp)
        router.add("DELETE", template, delete_sp)
    router.add("GET", "/oauth2PermissionGrants", list_grants)
    router.add("POST", "/oauth2PermissionGrants", create_grant)
    router.add("GET", "/oauth2PermissionGrants/{id}", get_grant)
    router.add("PATCH", "/oauth2PermissionGrants/{id}", update_grant)
    router.add("DELETE", "/oauth2PermissionGrants/{id}", delete_grant)
