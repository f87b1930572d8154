"""``/users``: list, get, create, update, delete — with B2C's local-account rules."""

from __future__ import annotations

import copy
from typing import Any

from ..audit_log import target
from ..http import GraphError, Request, Response, empty, json_response, not_found
from ..odata import context, parse_query, parse_select, project
from ..router import Router
from ..store import Store
from ..user_listing import UserLister
from ..user_schema import (
    LOCAL_SIGN_IN_TYPES,
    USER_SPEC,
    bad,
    check_identities,
    check_password,
    check_password_policies,
    check_types,
    check_upn,
)
from ..users_store import DEFAULT_ORDER

#: Extension attributes registered on the b2c-extensions-app of every demo tenant.
DEFAULT_EXTENSIONS = ("loyaltyNumber", "membershipTier", "marketingConsent")
DUPLICATE = "Another object with the same value for property {} already exists."


def user_target(
    rec: dict[str, Any], modified: dict[str, tuple[Any, Any]] | None = None
) -> dict[str, Any]:
    """The audit ``targetResources`` item of a user."""
    return target(
        rec["id"],
        rec.get("displayName"),
        "User",
        user_principal_name=rec.get("userPrincipalName"),
        modified=modified,
    )


def _entity_body(
    request: Request, rec: dict[str, Any], select: tuple[str, ...] | None
) -> dict[str, Any]:
    out = {"@odata.context": context(request, USER_SPEC, select, entity=True)}
    out.update(project(rec, select or DEFAULT_ORDER))
    return out


def register(router: Router, store: Store) -> None:
    """Add the /users routes."""
    users = store.users
    lister = UserLister(users)
    ext_names: set[str] = store.extras.setdefault(
        "user_extension_attributes", set(DEFAULT_EXTENSIONS)
    )
    ext_prefix = users.ext_prefix

    def known_extensions() -> set[str]:
        """Extension attribute names users may carry: the defaults, anything registered in
        ``store.extras["user_extension_attributes"]`` and the custom user-flow attributes."""
        names = {n.lower() for n in ext_names}
        attributes = getattr(store.extras.get("identity"), "attributes", None) or ()
        for key in attributes:
            if str(key).lower().startswith(ext_prefix.lower()):
                names.add(str(key)[len(ext_prefix) :].lower())
        return names

    def lookup(request: Request) -> int:
        key = request.params["id"]
        ordinal = users.find(key)
        if ordinal is None:
            raise not_found(key)
        return ordinal

    def check_unique_identities(identities: list[dict[str, Any]], ordinal: int | None) -> None:
        for ident in identities:
            if ident["signInType"].lower() == "userprincipalname":
                continue
            issuer = ident["issuer"]
            if ident["signInType"].lower() in LOCAL_SIGN_IN_TYPES:
                issuer = store.tenant_domain
            others = [
                o for o in users.find_identity(issuer, ident["issuerAssignedId"]) if o != ordinal
            ]
            for o in others:
                rec = users.get(o) or {}
                if any(
                    i["issuer"].lower() == issuer.lower()
                    and i["issuerAssignedId"].lower() == ident["issuerAssignedId"].lower()
                    for i in rec.get("identities") or ()
                ):
                    raise bad(DUPLICATE.format("identities"))

    def list_users(request: Request) -> Response:
        query = parse_query(request, USER_SPEC)
        return lister.page(request, query)

    def count_users(request: Request) -> Response:
        raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")

    def get_user(request: Request) -> Response:
        ordinal = lookup(request)
        select = parse_select(request, USER_SPEC, collection=False)
        rec = users.get(ordinal) or {}
        return json_response(200, _entity_body(request, rec, select))

    def create_user(request: Request) -> Response:
        body = request.json_object()
        check_types(body, ext_prefix, known_extensions())
        identities = copy.deepcopy(body.get("identities") or [])
        local = check_identities(identities, store.tenant_domain) if identities else False
        federated_only = bool(identities) and not local
        if not federated_only and not (
            isinstance(body.get("displayName"), str) and body["displayName"].strip()
        ):
            raise bad("Invalid value specified for property 'displayName' of resource 'User'.")
        check_password_policies(body.get("passwordPolicies"))
        if local:
            if "passwordProfile" not in body:
                raise bad(
                    "A passwordProfile is required to create a local account (identities "
                    "with signInType emailAddress or userName)."
                )
            if "DisablePasswordExpiration" not in (body.get("passwordPolicies") or ""):
                raise bad("Local accounts require passwordPolicies 'DisablePasswordExpiration'.")
            if body["passwordProfile"].get("forceChangePasswordNextSignIn"):
                raise bad(
                    "forceChangePasswordNextSignIn must be false for Azure AD B2C local "
                    "accounts; force a password reset with a custom policy instead."
                )
        elif not identities:
            for required in (
                "accountEnabled",
                "mailNickname",
                "passwordProfile",
                "userPrincipalName",
            ):
                if required not in body:
                    raise bad(
                        f"Property '{required}' is required when creating a user without "
                        "identities."
                    )
        if "passwordProfile" in body:
            check_password(body["passwordProfile"], body.get("passwordPolicies"))
        check_unique_identities(identities, None)
        oid = store.new_id()
        upn = body.get("userPrincipalName") or f"{oid}@{store.tenant_domain}"
        check_upn(upn, store.tenant_domain)
        if users.find(upn) is not None:
            raise bad(DUPLICATE.format("userPrincipalName"))
        if not any(i["signInType"].lower() == "userprincipalname" for i in identities):
            identities.append(
                {
                    "signInType": "userPrincipalName",
                    "issuer": store.tenant_domain,
                    "issuerAssignedId": upn,
                }
            )
        now = store.now_iso()
        rec: dict[str, Any] = {k: None for k in DEFAULT_ORDER}
        rec.update(
            {
                "businessPhones": [],
                "otherMails": [],
                "accountEnabled": True,
                "userType": "Member",
                "deletedDateTime": None,
                "passwordPolicies": None,
            }
        )
        rec.update(
            {
                k: copy.deepcopy(v)
                for k, v in body.items()
                if not k.startswith("@odata.") and k != "passwordProfile" and v is not None
            }
        )
        rec.update(
            {
                "id": oid,
                "userPrincipalName": upn,
                "identities": identities,
                "createdDateTime": now,
                "creationType": "LocalAccount" if local else None,
                "lastPasswordChangeDateTime": now if "passwordProfile" in body else None,
                "passwordProfile": None,
                "mailNickname": body.get("mailNickname") or f"unknown{oid[:8]}",
            }
        )
        users.create(rec)
        store.audit("Add user", "UserManagement", user_target(rec))
        shown = {
            k: v
            for k, v in rec.items()
            if k in DEFAULT_ORDER or k in body or k in ("identities", "passwordPolicies")
        }
        shown.pop("passwordProfile", None)
        out = {"@odata.context": request.context_url("users/$entity"), **shown}
        location = (
            f"{request.base_url}/v2/{store.tenant_id}/directoryObjects/{oid}"
            "/Microsoft.DirectoryServices.User"
        )
        return json_response(201, out, {"Location": location})

    def update_user(request: Request) -> Response:
        ordinal = lookup(request)
        body = request.json_object()
        check_types(body, ext_prefix, known_extensions())
        current = users.get(ordinal) or {}
        if "displayName" in body and not (
            isinstance(body["displayName"], str) and body["displayName"].strip()
        ):
            raise bad("Invalid value specified for property 'displayName' of resource 'User'.")
        policies = body.get("passwordPolicies", current.get("passwordPolicies"))
        check_password_policies(body.get("passwordPolicies"))
        changes = {k: copy.deepcopy(v) for k, v in body.items() if not k.startswith("@odata.")}
        if "passwordProfile" in body:
            check_password(body["passwordProfile"], policies)
            changes.pop("passwordProfile")
            changes["lastPasswordChangeDateTime"] = store.now_iso()
        if "identities" in body:
            identities = changes["identities"] or []
            had_local = current.get("creationType") == "LocalAccount" or any(
                i["signInType"].lower() in LOCAL_SIGN_IN_TYPES
                for i in current.get("identities") or ()
            )
            if check_identities(identities, store.tenant_domain) and not had_local:
                raise bad("Adding a local account identity to a user that has none is not allowed.")
            check_unique_identities(identities, ordinal)
            if not any(i["signInType"].lower() == "userprincipalname" for i in identities):
                identities.append(
                    {
                        "signInType": "userPrincipalName",
                        "issuer": store.tenant_domain,
                        "issuerAssignedId": changes.get(
                            "userPrincipalName", current["userPrincipalName"]
                        ),
                    }
                )
        if "userPrincipalName" in body:
            check_upn(body["userPrincipalName"], store.tenant_domain)
            other = users.find(body["userPrincipalName"])
            if other is not None and other != ordinal:
                raise bad(DUPLICATE.format("userPrincipalName"))
        modified = {k: (current.get(k), v) for k, v in changes.items() if current.get(k) != v}
        if "passwordProfile" in body:
            modified["PasswordProfile"] = (None, None)
        rec = users.update(ordinal, changes)
        store.audit("Update user", "UserManagement", user_target(rec, modified))
        return empty(204)

    def delete_user(request: Request) -> Response:
        ordinal = lookup(request)
        rec, methods = users.delete(ordinal)
        store.deleted.add("user", rec, ordinal=ordinal, methods=methods)
        store.audit("Delete user", "UserManagement", user_target(rec))
        return empty(204)

    def me(request: Request) -> Response:
        claims = request.state.get("claims") or {}
        if not claims.get("scp"):
            raise GraphError(
                400, "BadRequest", "/me request is only valid with delegated authentication flow."
            )
        request.params["id"] = str(claims.get("oid", ""))
        return get_user(request)

    router.add("GET", "/users", list_users)
    router.add("POST", "/users", create_user)
    router.add("GET", "/users/$count", count_users)
    for template in ("/users/{id}", "/users('{id}')"):
        router.add("GET", template, get_user)
        router.add("PATCH", template, update_user)
        router.add("DELETE", template, delete_user)
    router.add("GET", "/me", me)
