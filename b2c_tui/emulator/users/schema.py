"""The user resource as the emulator exposes it: properties, filter support, write rules.

Filter operators per property follow resource-user.json with the advanced-only ones (``ne``,
``not``, ``endsWith``) left out, since B2C tenants have no advanced queries.
"""

from __future__ import annotations

import re
from typing import Any

from ..http import GraphError
from ..odata.filter import FilterSpec, Node, filter_table, prop, unsupported
from ..odata.query import ResourceSpec
from .directory import DEFAULT_ORDER

_FILTERS = {
    "accountEnabled": "eq in/bool",
    "ageGroup": "eq in",
    "city": "eq ge le in startswith",
    "companyName": "eq ge le in startswith",
    "consentProvidedForMinor": "eq in",
    "country": "eq ge le in startswith",
    "createdDateTime": "eq ge le in/datetime",
    "creationType": "eq in",
    "deletedDateTime": "eq ge le in/datetime",
    "department": "eq ge le in",
    "displayName": "eq ge le in startswith",
    "employeeHireDate": "eq ge le in/datetime",
    "employeeId": "eq ge le in startswith",
    "employeeType": "eq ge le in startswith",
    "externalUserState": "eq in",
    "faxNumber": "eq ge le in startswith",
    "givenName": "eq ge le in startswith",
    "id": "eq in",
    "jobTitle": "eq ge le in startswith",
    "mail": "eq ge le in startswith",
    "mailNickname": "eq ge le in startswith",
    "mobilePhone": "eq ge le in startswith",
    "officeLocation": "eq ge le in startswith",
    "onPremisesImmutableId": "eq ge le in",
    "onPremisesSyncEnabled": "eq in/bool",
    "postalCode": "eq ge le in startswith",
    "preferredLanguage": "eq ge le in startswith",
    "showInAddressList": "eq in/bool",
    "state": "eq ge le in startswith",
    "streetAddress": "eq ge le in startswith",
    "surname": "eq ge le in startswith",
    "usageLocation": "eq ge le in startswith",
    "userPrincipalName": "eq ge le in startswith",
    "userType": "eq in",
    "passwordPolicies": "eq",
    "lastPasswordChangeDateTime": "ge le/datetime",
}
_COLLECTIONS = {
    "otherMails": "eq startswith",
    "proxyAddresses": "eq startswith",
    "imAddresses": "eq startswith",
    "businessPhones": "eq",
}

PROPERTIES: tuple[str, ...] = (
    "aboutMe",
    "accountEnabled",
    "ageGroup",
    "assignedLicenses",
    "assignedPlans",
    "birthday",
    "businessPhones",
    "city",
    "companyName",
    "consentProvidedForMinor",
    "country",
    "createdDateTime",
    "creationType",
    "deletedDateTime",
    "department",
    "displayName",
    "employeeHireDate",
    "employeeId",
    "employeeOrgData",
    "employeeType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "faxNumber",
    "givenName",
    "hireDate",
    "id",
    "identities",
    "imAddresses",
    "interests",
    "isResourceAccount",
    "jobTitle",
    "lastPasswordChangeDateTime",
    "legalAgeGroupClassification",
    "licenseAssignmentStates",
    "mail",
    "mailboxSettings",
    "mailNickname",
    "mobilePhone",
    "mySite",
    "officeLocation",
    "onPremisesDistinguishedName",
    "onPremisesDomainName",
    "onPremisesExtensionAttributes",
    "onPremisesImmutableId",
    "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "onPremisesUserPrincipalName",
    "otherMails",
    "passwordPolicies",
    "passwordProfile",
    "pastProjects",
    "postalCode",
    "preferredDataLocation",
    "preferredLanguage",
    "preferredName",
    "provisionedPlans",
    "proxyAddresses",
    "refreshTokensValidFromDateTime",
    "responsibilities",
    "schools",
    "showInAddressList",
    "skills",
    "signInSessionsValidFromDateTime",
    "state",
    "streetAddress",
    "surname",
    "usageLocation",
    "userPrincipalName",
    "userType",
)
#: Properties Graph can only return for a single user (``$select`` on a list gives 501).
SINGLE_ONLY = (
    "aboutMe",
    "birthday",
    "hireDate",
    "interests",
    "mySite",
    "pastProjects",
    "preferredName",
    "responsibilities",
    "schools",
    "skills",
    "mailboxSettings",
)

#: Writable properties and their JSON type (``str``, ``bool``, ``list``, ``dict``).
WRITABLE: dict[str, type] = {
    "accountEnabled": bool,
    "ageGroup": str,
    "businessPhones": list,
    "city": str,
    "companyName": str,
    "consentProvidedForMinor": str,
    "country": str,
    "department": str,
    "displayName": str,
    "employeeId": str,
    "employeeType": str,
    "givenName": str,
    "identities": list,
    "jobTitle": str,
    "mail": str,
    "mailNickname": str,
    "mobilePhone": str,
    "officeLocation": str,
    "otherMails": list,
    "passwordPolicies": str,
    "passwordProfile": dict,
    "postalCode": str,
    "preferredLanguage": str,
    "showInAddressList": bool,
    "state": str,
    "streetAddress": str,
    "surname": str,
    "usageLocation": str,
    "userPrincipalName": str,
    "userType": str,
    "faxNumber": str,
    "onPremisesImmutableId": str,
}
READ_ONLY = (
    "id",
    "createdDateTime",
    "creationType",
    "deletedDateTime",
    "lastPasswordChangeDateTime",
    "externalUserState",
    "proxyAddresses",
)
PASSWORD_POLICIES = {"DisableStrongPassword", "DisablePasswordExpiration"}
_UPN_LOCAL = re.compile(r"^[A-Za-z0-9'.\-_!#^~]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
LOCAL_SIGN_IN_TYPES = ("emailaddress", "username")


#: A local account's identity (its issuer is ignored when filtering, as Graph does).
_LOCAL_IDENTITY: Node = (
    "or", ("startswith", "signInType", "emailAddress"), ("eq", "signInType", "userName")
)


def _issuer_ignored_for_local_accounts(node: Node) -> Node:
    """``issuer eq 'x'`` -> ``issuer eq 'x' or <a local account identity>``."""
    if node[0] == "and":
        return ("and", *(_issuer_ignored_for_local_accounts(n) for n in node[1:]))
    if str(node[1]).lower() == "issuer":
        return ("or", node, _LOCAL_IDENTITY)
    return node


def _check_identities_filter(body: Node) -> Node:
    """Graph's rules for ``identities/any(...)``: ``eq`` joined by ``and``, an issuer always
    (with issuerAssignedId too); looking a sign-in name up, the issuer of emailAddress and
    userName identities is ignored ("by design", objectIdentity's docs)."""
    names: set[str] = set()

    def walk(node: Node) -> None:
        if node[0] == "and":
            walk(node[1])
            walk(node[2])
        elif node[0] == "eq":
            names.add(str(node[1]).lower())
        else:
            raise unsupported("identities", "User")

    walk(body)
    if "issuerassignedid" in names and "issuer" not in names:
        raise GraphError(
            400,
            "Request_UnsupportedQuery",
            "Unsupported or invalid query filter clause specified for property 'identities' of "
            "resource 'User'. Filtering on issuerAssignedId requires both issuer and "
            "issuerAssignedId.",
        )
    if "issuer" not in names:
        raise unsupported("identities", "User")
    if "issuerassignedid" not in names:  # issuer alone: who signs in with google.com...
        return body
    return _issuer_ignored_for_local_accounts(body)


def _filter_spec() -> FilterSpec:
    props = filter_table(_FILTERS)
    for name, ops in _COLLECTIONS.items():
        props[name.lower()] = prop(name, ops, "strcoll")
    inner = {k.lower(): prop(k, "eq") for k in ("issuer", "issuerAssignedId")}
    inner["signintype"] = prop("signInType", "eq startswith")
    props["identities"] = prop("identities", "any", "coll", inner, _check_identities_filter)
    return FilterSpec("User", props, extension_attributes=True)


USER_SPEC = ResourceSpec(
    entity_set="users",
    type_name="User",
    properties=PROPERTIES,
    default_select=DEFAULT_ORDER,
    filter=_filter_spec(),
    orderby=("displayName", "userPrincipalName"),
    not_in_collection=SINGLE_ONLY,
    extension_attributes=True,
)


def bad(message: str) -> GraphError:
    """A 400 ``Request_BadRequest`` with ``message``."""
    return GraphError(400, "Request_BadRequest", message)


def check_password(profile: Any, policies: str | None) -> None:
    """Validate a passwordProfile (B2C's strong-password rule unless DisableStrongPassword)."""
    if not isinstance(profile, dict):
        raise bad("Invalid value specified for property 'passwordProfile' of resource 'User'.")
    password = profile.get("password")
    if not isinstance(password, str) or not password:
        raise bad("Invalid value specified for property 'passwordProfile' of resource 'User'.")
    if "DisableStrongPassword" in (policies or ""):
        return
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if not 8 <= len(password) <= 256 or classes < 3:
        raise bad(
            "The specified password does not comply with password complexity "
            "requirements. Please provide a different password."
        )


def check_password_policies(value: Any) -> None:
    """Validate passwordPolicies text."""
    if value is None:
        return
    parts = {p.strip() for p in str(value).split(",") if p.strip()}
    if not isinstance(value, str) or not parts or not parts <= PASSWORD_POLICIES:
        raise bad("Invalid value specified for property 'passwordPolicies' of resource 'User'.")


def check_identities(identities: Any, tenant_domain: str) -> bool:
    """Validate an identities collection; returns whether it has a local account identity."""
    if not isinstance(identities, list):
        raise bad("Invalid value specified for property 'identities' of resource 'User'.")
    local = False
    for ident in identities:
        if not isinstance(ident, dict) or not all(
            isinstance(ident.get(k), str) and ident.get(k)
            for k in ("signInType", "issuer", "issuerAssignedId")
        ):
            raise bad("Each identity requires signInType, issuer and issuerAssignedId.")
        kind = ident["signInType"].lower()
        if kind in ("federated", "userprincipalname"):
            continue
        local = True
        if ident["issuer"].lower() != tenant_domain:
            raise bad(
                f"The issuer '{ident['issuer']}' of a local account identity must be the "
                f"tenant's domain '{tenant_domain}'."
            )
        if kind.startswith("emailaddress") and not _EMAIL.match(ident["issuerAssignedId"]):
            raise bad(
                "Invalid value specified for property 'identities.issuerAssignedId': an "
                "emailAddress identity requires a valid email address."
            )
        if kind == "username" and not _USERNAME.match(ident["issuerAssignedId"]):
            raise bad(
                "Invalid value specified for property 'identities.issuerAssignedId': a "
                "userName must start with a letter or digit and contain only letters, "
                "digits, '-' and '_' (64 characters at most)."
            )
    return local


def check_upn(upn: Any, tenant_domain: str) -> None:
    """Validate a userPrincipalName: allowed characters and a verified (tenant) domain."""
    if not isinstance(upn, str) or upn.count("@") != 1:
        raise bad("Invalid value specified for property 'userPrincipalName' of resource 'User'.")
    local, domain = upn.split("@")
    if domain.lower() != tenant_domain:
        raise bad(
            "The domain portion of the userPrincipalName property is invalid. You must use "
            "one of the verified domain names in your organization."
        )
    if not local or not _UPN_LOCAL.match(local):
        raise bad("Invalid value specified for property 'userPrincipalName' of resource 'User'.")


def check_types(body: dict[str, Any], ext_prefix: str, ext_names: set[str]) -> None:
    """Reject unknown, read-only or mistyped properties in a POST/PATCH body."""
    for key, value in body.items():
        if key.startswith("@odata."):
            continue
        if key.lower().startswith("extension_"):
            if (
                not key.lower().startswith(ext_prefix.lower())
                or key[len(ext_prefix) :].lower() not in ext_names
            ):
                raise bad(
                    f"Property '{key}' does not exist as a declared property or extension property."
                )
            continue
        if key in READ_ONLY:
            raise bad(f"Property '{key}' is read-only and cannot be set.")
        kind = WRITABLE.get(key)
        if kind is None:
            raise bad(
                f"Property '{key}' does not exist as a declared property or extension property."
            )
        if value is not None and not isinstance(value, kind):
            raise bad(f"Invalid value specified for property '{key}' of resource 'User'.")
    if "mail" in body and isinstance(body["mail"], str) and not body["mail"].isascii():
        raise bad("Invalid value specified for property 'mail' of resource 'User'.")
