"""Which user columns a DataFrame may change, and how a cell becomes a PATCH value.

The rules are the explorer's (:mod:`b2c_tui.graph.validation`): a display name of 1-256
characters, sign-in names checked as emails or user names, UPNs, password policies, and
extension attributes typed by their ``dataType``
(:func:`~b2c_tui.frames.extensions.parse_attribute`, which the explorer's form uses too).
Length limits are the documented ones (``../shared/graph-contract/resource-user.json``). A
cell that breaks a rule raises :class:`~b2c_tui.graph.errors.ValidationError`; nothing of that
row is sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..frames.users import sign_in_name
from ..graph.errors import ValidationError
from ..graph.validation import (
    PASSWORD_POLICIES,
    validate_email,
    validate_upn,
    validate_username,
)


def is_missing(value: Any) -> bool:
    """``None``, ``NaN``, ``NaT`` and ``pd.NA`` (pandas' missing values) without pandas."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaT and NA compare unequal to themselves
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def plain(value: Any) -> Any:
    """A cell as a plain Python value: missing -> ``None``, numpy scalars unwrapped."""
    if is_missing(value):
        return None
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _text(value: Any, prop: str, max_length: int | None, *, required: bool = False) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("cannot be empty.", field=prop)
        return None
    if not isinstance(value, str):
        raise ValidationError(f"is text, not {type(value).__name__}.", field=prop)
    if max_length is not None and len(value) > max_length:
        raise ValidationError(f"has at most {max_length} characters.", field=prop)
    return value


def _flag(value: Any, prop: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValidationError("is true or false.", field=prop)


def _policies(value: Any, prop: str) -> str | None:
    text = _text(value, prop, None)
    if text is None:
        return None
    names = [p.strip() for p in text.split(",") if p.strip()]
    unknown = sorted(set(names) - set(PASSWORD_POLICIES))
    if unknown:
        raise ValidationError(f"Unknown password policy {unknown[0]!r}; use "
                              f"{' and/or '.join(PASSWORD_POLICIES)}.", field=prop)
    return ", ".join(names)


@dataclass(frozen=True)
class Editable:
    """A column a frame may change: the Graph property, and the cell -> value rule."""

    prop: str
    parse: Callable[[Any, str], Any]
    #: compare as the column shows it (``None``: the property's value)
    shown: Callable[[Mapping[str, Any]], Any] | None = None


def _limited(max_length: int | None, *, required: bool = False) -> Callable[[Any, str], Any]:
    return lambda value, prop: _text(value, prop, max_length, required=required)


def _display_name(value: Any, prop: str) -> Any:
    text = _text(value, prop, 256, required=True)
    if not text.strip():
        raise ValidationError("A display name (1-256 characters) is required.", field=prop)
    return text


def _upn(value: Any, prop: str) -> str:
    return validate_upn(_text(value, prop, None, required=True))


#: Plain user properties a frame may change (limits from the documented resource).
EDITABLE: dict[str, Editable] = {
    "displayName": Editable("displayName", _display_name),
    "givenName": Editable("givenName", _limited(64)),
    "surname": Editable("surname", _limited(64)),
    "accountEnabled": Editable("accountEnabled", _flag),
    "jobTitle": Editable("jobTitle", _limited(128)),
    "department": Editable("department", _limited(64)),
    "companyName": Editable("companyName", _limited(64)),
    "city": Editable("city", _limited(128)),
    "state": Editable("state", _limited(128)),
    "country": Editable("country", _limited(128)),
    "postalCode": Editable("postalCode", _limited(40)),
    "mobilePhone": Editable("mobilePhone", _limited(64)),
    "preferredLanguage": Editable("preferredLanguage", _limited(None)),
    "usageLocation": Editable("usageLocation", _limited(2)),
    "userPrincipalName": Editable("userPrincipalName", _upn),
    "passwordPolicies": Editable("passwordPolicies", _policies),
}

#: Columns of the users frame that are shown but not changed from a frame (derived, or set by
#: the service); a frame that changes one gets a per-row error instead of a silent skip.
READ_ONLY = frozenset({
    "mail", "creationType", "createdDateTime", "userType", "identities", "otherMails",
    "mailNickname", "externalUserState", "lastPasswordChangeDateTime",
    "signInSessionsValidFromDateTime", "businessPhones", "ageGroup", "consentProvidedForMinor",
    "showInAddressList",
})

#: The sign-in names column: local identities are rebuilt from its ``; ``-joined names.
SIGN_IN = "signInName"


def _local(identity: Mapping[str, Any]) -> bool:
    kind = str(identity.get("signInType") or "").lower()
    return kind == "username" or kind.startswith("emailaddress")


def sign_in_identities(user: Mapping[str, Any], value: Any, issuer: str) -> list[dict[str, Any]]:
    """The whole ``identities`` collection with the local sign-in names replaced by ``value``
    (``a@x.com; jdoe``); federated and UPN identities are kept, as the explorer's edit does.
    Names with ``@`` are emails, others user names; each is validated."""
    identities = [dict(i) for i in user.get("identities") or () if isinstance(i, Mapping)]
    if not any(_local(i) for i in identities):
        raise ValidationError(
            "This user has no local sign-in name (it signs in through another provider); "
            "sign-in names are added to such users in the explorer, not from a frame.",
            field=SIGN_IN)
    text = "" if value is None else str(value)
    names = list(dict.fromkeys(n.strip() for n in text.split(";") if n.strip()))
    if not names:
        raise ValidationError("A user needs at least one sign-in name.", field=SIGN_IN)
    existing = {str(i.get("issuerAssignedId", "")).lower(): i for i in identities if _local(i)}
    kept = [i for i in identities if not _local(i)]
    for name in names:
        old = existing.get(name.lower())
        if old is not None and old.get("issuerAssignedId") == name:
            kept.append(old)
            continue
        if "@" in name:
            kept.append({"signInType": "emailAddress", "issuer": issuer,
                         "issuerAssignedId": validate_email(name, field=SIGN_IN)})
        else:
            kept.append({"signInType": "userName", "issuer": issuer,
                         "issuerAssignedId": validate_username(name)})
    return kept


def shown_sign_in(user: Mapping[str, Any]) -> str | None:
    """The sign-in names as the users frame shows them."""
    return sign_in_name(user)
