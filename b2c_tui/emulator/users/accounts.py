"""The rules of B2C user accounts: what a create or an update must hold, and what it writes.

Local accounts (``emailAddress``/``userName`` identities) need a password profile that B2C
accepts and ``DisablePasswordExpiration``; sign-in names and userPrincipalNames are unique;
extension attributes must be registered on the tenant's b2c-extensions-app.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..directory.audit_log import target
from .directory import DEFAULT_ORDER
from .schema import (
    LOCAL_SIGN_IN_TYPES,
    bad,
    check_identities,
    check_password,
    check_password_policies,
    check_types,
    check_upn,
)

if TYPE_CHECKING:
    from ..store import Store

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


def known_extensions(store: Store) -> set[str]:
    """Extension attribute names users may carry: the directory's registered ones and the
    custom user-flow attributes."""
    users = store.users
    prefix = users.ext_prefix.lower()
    names = {n.lower() for n in users.extension_names}
    for key in store.identity.attributes:
        if str(key).lower().startswith(prefix):
            names.add(str(key)[len(prefix) :].lower())
    return names


def check_unique_identities(
    store: Store, identities: list[dict[str, Any]], ordinal: int | None
) -> None:
    """400 when another user already signs in with one of ``identities``."""
    users = store.users
    for ident in identities:
        if ident["signInType"].lower() == "userprincipalname":
            continue
        issuer = ident["issuer"]
        if ident["signInType"].lower() in LOCAL_SIGN_IN_TYPES:
            issuer = store.tenant_domain
        others = [o for o in users.find_identity(issuer, ident["issuerAssignedId"]) if o != ordinal]
        for o in others:
            rec = users.get(o) or {}
            if any(
                i["issuer"].lower() == issuer.lower()
                and i["issuerAssignedId"].lower() == ident["issuerAssignedId"].lower()
                for i in rec.get("identities") or ()
            ):
                raise bad(DUPLICATE.format("identities"))


def _valid_display_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_local_account(body: dict[str, Any]) -> None:
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


def _with_upn_identity(identities: list[dict[str, Any]], domain: str, upn: str) -> None:
    if not any(i["signInType"].lower() == "userprincipalname" for i in identities):
        identities.append(
            {"signInType": "userPrincipalName", "issuer": domain, "issuerAssignedId": upn}
        )


def create_user(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body, add the user and audit it; returns the stored record."""
    users = store.users
    check_types(body, users.ext_prefix, known_extensions(store))
    identities = copy.deepcopy(body.get("identities") or [])
    local = check_identities(identities, store.tenant_domain) if identities else False
    federated_only = bool(identities) and not local
    if not federated_only and not _valid_display_name(body.get("displayName")):
        raise bad("Invalid value specified for property 'displayName' of resource 'User'.")
    check_password_policies(body.get("passwordPolicies"))
    if local:
        _check_local_account(body)
    elif not identities:
        for required in ("accountEnabled", "mailNickname", "passwordProfile", "userPrincipalName"):
            if required not in body:
                raise bad(
                    f"Property '{required}' is required when creating a user without identities."
                )
    if "passwordProfile" in body:
        check_password(body["passwordProfile"], body.get("passwordPolicies"))
    check_unique_identities(store, identities, None)
    oid = store.new_id()
    upn = body.get("userPrincipalName") or f"{oid}@{store.tenant_domain}"
    check_upn(upn, store.tenant_domain)
    if users.find(upn) is not None:
        raise bad(DUPLICATE.format("userPrincipalName"))
    _with_upn_identity(identities, store.tenant_domain, upn)
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
    return rec


def update_user(store: Store, ordinal: int, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a PATCH body, apply it and audit what changed; returns the new record."""
    users = store.users
    check_types(body, users.ext_prefix, known_extensions(store))
    current = users.get(ordinal) or {}
    if "displayName" in body and not _valid_display_name(body["displayName"]):
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
            i["signInType"].lower() in LOCAL_SIGN_IN_TYPES for i in current.get("identities") or ()
        )
        if check_identities(identities, store.tenant_domain) and not had_local:
            raise bad("Adding a local account identity to a user that has none is not allowed.")
        check_unique_identities(store, identities, ordinal)
        upn = changes.get("userPrincipalName", current["userPrincipalName"])
        _with_upn_identity(identities, store.tenant_domain, upn)
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
    return rec


def delete_user(store: Store, ordinal: int) -> None:
    """Soft-delete a user (restorable from deleted items for 30 days)."""
    rec, methods = store.users.delete(ordinal)
    store.deleted.add("user", rec, ordinal=ordinal, methods=methods)
    store.audit("Delete user", "UserManagement", user_target(rec))
