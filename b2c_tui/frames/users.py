"""User columns: the default users view, optional columns, and extension attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .columns import Column

_LOCAL_TYPES = ("username", "phonenumber")  # phoneNumber: users who sign in by SMS


def _is_local(sign_in_type: Any) -> bool:
    kind = str(sign_in_type or "").lower()
    # Custom policies may use emailAddress1, emailAddress2, ... as sign-in types.
    return kind in _LOCAL_TYPES or kind.startswith("emailaddress")


def sign_in_name(user: Mapping[str, Any]) -> str | None:
    """The local sign-in name(s) (emailAddress/userName/phoneNumber identities), else the
    federated issuer.

    Several local identities are joined with ``; ``; a social user shows its identity provider
    (``google.com``, ``facebook.com``, ...). ``None`` when the user has neither.
    """
    identities = [i for i in user.get("identities") or [] if isinstance(i, Mapping)]
    local = [str(i["issuerAssignedId"]) for i in identities
             if _is_local(i.get("signInType")) and i.get("issuerAssignedId")]
    if local:
        return "; ".join(local)
    issuers = [str(i["issuer"]) for i in identities
               if str(i.get("signInType") or "").lower() == "federated" and i.get("issuer")]
    return "; ".join(dict.fromkeys(issuers)) or None


def email(user: Mapping[str, Any]) -> str | None:
    """``mail``, or the first of ``otherMails`` (where B2C keeps local accounts' addresses)."""
    mail = user.get("mail")
    if mail:
        return str(mail)
    others = user.get("otherMails") or []
    return str(others[0]) if others else None


def identities_text(user: Mapping[str, Any]) -> str | None:
    """Every identity as ``signInType: issuerAssignedId (issuer)``, joined with ``; ``."""
    parts = [
        f"{i.get('signInType')}: {i.get('issuerAssignedId')} ({i.get('issuer')})"
        for i in user.get("identities") or [] if isinstance(i, Mapping)
    ]
    return "; ".join(parts) or None


#: The default users view.
USER_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Display name", width=24),
    Column("signInName", "Sign-in name", select=("identities",), get=sign_in_name, width=30),
    Column("mail", "Email", select=("mail", "otherMails"), get=email, width=30),
    Column("creationType", "Creation type", width=13),
    Column("accountEnabled", "Enabled", kind="bool", width=7),
    Column("createdDateTime", "Created", kind="datetime", width=16),
)

#: Columns a user can add to the users view.
USER_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("id", "Object id", width=36),
    Column("userPrincipalName", "User principal name"),
    Column("givenName", "Given name"),
    Column("surname", "Surname"),
    Column("userType", "User type", width=9),
    Column("identities", "Identities", get=identities_text),
    Column("otherMails", "Other emails"),
    Column("mailNickname", "Mail nickname"),
    Column("jobTitle", "Job title"),
    Column("department", "Department"),
    Column("companyName", "Company"),
    Column("city", "City"),
    Column("state", "State"),
    Column("country", "Country"),
    Column("postalCode", "Postal code"),
    Column("mobilePhone", "Mobile phone"),
    Column("businessPhones", "Business phones"),
    Column("preferredLanguage", "Language"),
    Column("usageLocation", "Usage location"),
    Column("ageGroup", "Age group"),
    Column("consentProvidedForMinor", "Minor consent"),
    Column("externalUserState", "External state"),
    Column("passwordPolicies", "Password policies"),
    Column("lastPasswordChangeDateTime", "Password changed", kind="datetime", width=16),
    Column("signInSessionsValidFromDateTime", "Sessions valid from", kind="datetime", width=16),
    Column("showInAddressList", "In address list", kind="bool"),
)

#: Every known user column by key.
USER_COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in USER_COLUMNS + USER_OPTIONAL_COLUMNS}


def extension_key(app_id: str, name: str) -> str:
    """``extension_<appid without dashes>_<name>``; a full key passes through unchanged."""
    if name.startswith("extension_"):
        return name
    return f"extension_{app_id.replace('-', '').lower()}_{name}"


def extension_columns(app_id_nodash: str, names: Iterable[str],
                      kinds: Mapping[str, str] | None = None) -> list[Column]:
    """Columns for custom (extension) attributes, labelled with their friendly names.

    ``app_id_nodash`` is the b2c-extensions-app's client id (dashes are removed if present);
    ``names`` are friendly names (``loyaltyNumber``) or full keys; ``kinds`` optionally maps a
    friendly name to a column kind (``bool``, ``number``, ``datetime``).
    """
    prefix = f"extension_{app_id_nodash.replace('-', '').lower()}_"
    columns: list[Column] = []
    for name in names:
        friendly = name[len(prefix):] if name.lower().startswith(prefix) else name
        key = extension_key(app_id_nodash, friendly)
        kind = (kinds or {}).get(friendly, "text")
        columns.append(Column(key, friendly, kind=kind))
    return columns
