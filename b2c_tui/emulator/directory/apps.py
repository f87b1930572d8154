"""Applications, service principals and delegated permission grants of the demo tenant, with
the rules Graph applies when they are created, changed and deleted.

Small collections (a B2C tenant has tens of apps), kept as insertion-ordered dicts keyed by
lower-cased object id. The ``b2c-extensions-app`` is present unless the tenant is built
without it: its appId names the tenant's extension attributes
(``extension_<appId without dashes>_<name>``).
"""

from __future__ import annotations

import copy
import random
from typing import TYPE_CHECKING, Any

from ..http import GraphError
from ..odata import DIRECTORY
from .app_records import application, grant_id, seed_apps, service_principal
from .audit_log import target
from .schema import APP_SPEC, GRANT_SPEC, SP_SPEC

if TYPE_CHECKING:
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
SP_READ_ONLY = ("id", "deletedDateTime", "appOwnerOrganizationId")
INVALID = "Invalid value specified for property '{}' of resource '{}'."
DUPLICATE = "Another object with the same value for property {} already exists."
CATEGORY = "ApplicationManagement"

bad = DIRECTORY.bad_request


def check_body(
    body: dict[str, Any], allowed: tuple[str, ...], read_only: tuple[str, ...], type_name: str
) -> None:
    """400 for a read-only or unknown property in a create/update body."""
    for key in body:
        if key.startswith("@odata."):
            continue
        if key in read_only:
            raise bad(f"Property '{key}' is read-only and cannot be set.")
        if key not in allowed:
            raise bad(
                f"Property '{key}' does not exist as a declared property or extension "
                f"property of resource '{type_name}'."
            )


def _copy_into(record: dict[str, Any], body: dict[str, Any], *skip: str) -> None:
    for key, value in body.items():
        if not key.startswith("@odata.") and key not in skip:
            record[key] = copy.deepcopy(value)


def app_target(
    app: dict[str, Any], modified: dict[str, tuple[Any, Any]] | None = None
) -> dict[str, Any]:
    """The audit ``targetResources`` item of an application."""
    return target(app["id"], app.get("displayName"), "Application", modified=modified)


def sp_target(
    sp: dict[str, Any], modified: dict[str, tuple[Any, Any]] | None = None
) -> dict[str, Any]:
    """The audit ``targetResources`` item of a service principal."""
    return target(sp["id"], sp["displayName"], "ServicePrincipal", modified=modified)


class AppDirectory:
    """Applications, service principals and oauth2PermissionGrants."""

    def __init__(self, store: Store, *, extensions_app: bool = True) -> None:
        self.store = store
        self.apps: dict[str, dict[str, Any]] = {}
        self.sps: dict[str, dict[str, Any]] = {}
        self.grants: dict[str, dict[str, Any]] = {}
        #: Insertion sequence per object id: the stable paging key.
        self.seq: dict[str, int] = {}
        rng = random.Random(f"b2c-emulator:{store.seed}:apps")
        self.extensions_app_id = ""
        self.client_app_id = ""
        seed_apps(self, rng, store, extensions_app=extensions_app)

    def live_count(self) -> int:
        """Applications plus service principals (grants are not directory objects)."""
        return len(self.apps) + len(self.sps)

    # -- lookups -------------------------------------------------------------------------
    def app(self, key: str) -> dict[str, Any] | None:
        """Application by object id."""
        return self.apps.get(key.lower())

    def app_by_app_id(self, app_id: str) -> dict[str, Any] | None:
        """Application by appId (client id)."""
        low = app_id.lower()
        return next((a for a in self.apps.values() if a["appId"].lower() == low), None)

    def sp(self, key: str) -> dict[str, Any] | None:
        """Service principal by object id."""
        return self.sps.get(key.lower())

    def sp_by_app_id(self, app_id: str) -> dict[str, Any] | None:
        """Service principal by appId."""
        low = app_id.lower()
        return next((s for s in self.sps.values() if s["appId"].lower() == low), None)

    def of_kind(self, kind: str) -> dict[str, dict[str, Any]]:
        """The applications (``kind="app"``) or the service principals (``"sp"``)."""
        return self.apps if kind == "app" else self.sps

    def find(self, kind: str, params: dict[str, str]) -> dict[str, Any]:
        """The application (``kind="app"``) or service principal (``"sp"``) a path names by
        ``{id}`` or ``(appId='{appId}')``; Graph's 404 when there is none."""
        by_app_id = "appId" in params
        key = params["appId"] if by_app_id else params["id"]
        if kind == "app":
            found = self.app_by_app_id(key) if by_app_id else self.app(key)
        else:
            found = self.sp_by_app_id(key) if by_app_id else self.sp(key)
        if found is None:
            raise DIRECTORY.not_found(key)
        return found

    def grant(self, key: str) -> dict[str, Any]:
        """A grant by id; Graph's 404 when there is none."""
        found = self.grants.get(key)
        if found is None:
            raise DIRECTORY.not_found(key)
        return found

    # -- changes -------------------------------------------------------------------------
    def _stamp(self, key: str) -> None:
        if key not in self.seq:
            self.seq[key] = len(self.seq) + 1

    def add_app(self, record: dict[str, Any]) -> None:
        """Insert or replace an application."""
        self._stamp(record["id"].lower())
        self.apps[record["id"].lower()] = record

    def add_sp(self, record: dict[str, Any]) -> None:
        """Insert or replace a service principal."""
        self._stamp(record["id"].lower())
        self.sps[record["id"].lower()] = record

    def add_grant(self, grant: dict[str, Any]) -> None:
        """Insert or replace a grant."""
        self._stamp(grant["id"])
        self.grants[grant["id"]] = grant

    def ordered(self, collection: dict[str, dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
        """``(sequence, object)`` pairs of one collection in sequence order."""
        return sorted(((self.seq[k], v) for k, v in collection.items()), key=lambda kv: kv[0])

    # -- rules: applications ---------------------------------------------------------------
    def create_app(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate a create body, add the application and audit it."""
        store = self.store
        check_body(body, APP_SPEC.properties, APP_READ_ONLY, "Application")
        name = body.get("displayName")
        if not isinstance(name, str) or not name.strip():
            raise bad(INVALID.format("displayName", "Application"))
        audience = body.get("signInAudience", "AzureADandPersonalMicrosoftAccount")
        if audience not in AUDIENCES:
            raise bad(INVALID.format("signInAudience", "Application"))
        self._check_identifier_uris(body, None)
        app = application(
            store.new_id(), store.new_id(), name, store.now_iso(), store.tenant_domain, audience
        )
        _copy_into(app, body)
        self.add_app(app)
        store.audit("Add application", CATEGORY, app_target(app))
        return app

    def update_app(self, app: dict[str, Any], body: dict[str, Any]) -> None:
        """Apply a PATCH body (its service principal follows the name and app roles)."""
        check_body(body, APP_SPEC.properties, APP_READ_ONLY, "Application")
        if "displayName" in body and not (
            isinstance(body["displayName"], str) and body["displayName"].strip()
        ):
            raise bad(INVALID.format("displayName", "Application"))
        if "signInAudience" in body and body["signInAudience"] not in AUDIENCES:
            raise bad(INVALID.format("signInAudience", "Application"))
        self._check_identifier_uris(body, app)
        modified = {k: (app.get(k), v) for k, v in body.items() if app.get(k) != v}
        _copy_into(app, body)
        sp = self.sp_by_app_id(app["appId"])
        if sp is not None:
            sp["appDisplayName"] = app["displayName"]
            sp["appRoles"] = copy.deepcopy(app.get("appRoles") or [])
        self.store.audit("Update application", CATEGORY, app_target(app, modified))

    def _check_identifier_uris(self, body: dict[str, Any], app: dict[str, Any] | None) -> None:
        """Graph's 400 when another application already uses one of the body's App ID URIs
        (they identify an API tenant-wide)."""
        wanted = {str(u).lower() for u in body.get("identifierUris") or ()}
        for other in self.apps.values():
            if other is not app and wanted & {
                str(u).lower() for u in other.get("identifierUris") or ()
            }:
                raise bad(DUPLICATE.format("identifierUris"))

    def delete_app(self, app: dict[str, Any]) -> None:
        """Soft-delete an application and its service principal."""
        store = self.store
        del self.apps[app["id"].lower()]
        store.deleted.add("application", app)
        store.audit("Delete application", CATEGORY, app_target(app))
        sp = self.sp_by_app_id(app["appId"])
        if sp is not None:
            self.delete_sp(sp)

    # -- rules: service principals ---------------------------------------------------------
    def create_sp(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate a create body (an app of this tenant, no service principal yet) and add
        the service principal."""
        check_body(body, SP_SPEC.properties, SP_READ_ONLY, "ServicePrincipal")
        app_id = body.get("appId")
        if not isinstance(app_id, str) or not app_id:
            raise bad(INVALID.format("appId", "ServicePrincipal"))
        app = self.app_by_app_id(app_id)
        if app is None:
            raise bad(
                f"The appId '{app_id}' of the service principal does not reference a "
                "valid application object."
            )
        if self.sp_by_app_id(app_id) is not None:
            raise GraphError(
                409,
                "Request_MultipleObjectsWithSameKeyValue",
                DUPLICATE.format("servicePrincipalNames"),
            )
        store = self.store
        sp = service_principal(store.new_id(), app, store.tenant_id, store.display_name)
        _copy_into(sp, body, "appId")
        self.add_sp(sp)
        store.audit("Add service principal", CATEGORY, sp_target(sp))
        return sp

    def update_sp(self, sp: dict[str, Any], body: dict[str, Any]) -> None:
        """Apply a PATCH body to a service principal."""
        check_body(body, SP_SPEC.properties, ("appId", *SP_READ_ONLY), "ServicePrincipal")
        modified = {k: (sp.get(k), v) for k, v in body.items() if sp.get(k) != v}
        sp.update(copy.deepcopy(body))
        self.store.audit("Update service principal", CATEGORY, sp_target(sp, modified))

    def delete_sp(self, sp: dict[str, Any]) -> None:
        """Soft-delete a service principal."""
        del self.sps[sp["id"].lower()]
        self.store.deleted.add("servicePrincipal", sp)
        self.store.audit("Remove service principal", CATEGORY, sp_target(sp))

    # -- rules: oauth2PermissionGrants ------------------------------------------------------
    def create_grant(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate a create body (both service principals exist, no such grant yet)."""
        check_body(body, GRANT_SPEC.properties, ("id",), "OAuth2PermissionGrant")
        for required in ("clientId", "consentType", "resourceId", "scope"):
            if not isinstance(body.get(required), str):
                raise bad(
                    f"Invalid value specified for property '{required}' of resource "
                    "'OAuth2PermissionGrant'."
                )
        consent = body["consentType"]
        principal = body.get("principalId")
        if consent not in ("AllPrincipals", "Principal") or (consent == "Principal") != bool(
            principal
        ):
            raise bad(
                "consentType must be 'AllPrincipals' (principalId null) or 'Principal' "
                "(with principalId)."
            )
        for key in ("clientId", "resourceId"):
            if self.sp(body[key]) is None:
                raise bad(
                    f"Invalid value specified for property '{key}': no service principal "
                    f"with id '{body[key]}'."
                )
        gid = grant_id(body["clientId"], body["resourceId"], principal)
        if gid in self.grants:
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
        self.add_grant(grant)
        self._audit_grant("Add delegated permission grant", grant, (None, body["scope"]))
        return grant

    def update_grant(self, grant: dict[str, Any], body: dict[str, Any]) -> None:
        """Change a grant's scope (the only writable property)."""
        check_body(body, ("scope",), (), "OAuth2PermissionGrant")
        old = grant["scope"]
        grant["scope"] = body.get("scope", old)
        self._audit_grant("Update delegated permission grant", grant, (old, grant["scope"]))

    def delete_grant(self, grant: dict[str, Any]) -> None:
        """Remove a grant (grants are not soft-deleted)."""
        del self.grants[grant["id"]]
        self._audit_grant("Remove delegated permission grant", grant, None)

    def _audit_grant(
        self, activity: str, grant: dict[str, Any], scope: tuple[Any, Any] | None
    ) -> None:
        modified = {"DelegatedPermissionGrant.Scope": scope} if scope is not None else None
        self.store.audit(
            activity,
            CATEGORY,
            target(grant["resourceId"], None, "ServicePrincipal", modified=modified),
        )
