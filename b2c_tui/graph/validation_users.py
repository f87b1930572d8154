"""User accounts: email addresses, userPrincipalName, sign-in names, passwords and B2C
local-account bodies.

Re-exported by :mod:`b2c_tui.graph.validation`. Password messages never repeat the password.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ValidationError

_ATEXT = set(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def validate_domain(domain: str, *, field: str = "domain", max_length: int = 253) -> str:
    """A DNS name of two or more labels; internationalized labels are accepted (IDNA)."""
    labels = domain.split(".") if isinstance(domain, str) else []
    if not domain or len(domain) > max_length or len(labels) < 2:
        raise ValidationError(
            f"{domain!r} is not a domain name like contoso.com (at most {max_length} characters).",
            field=field)
    for label in labels:
        ascii_label = label
        if not label.isascii():
            try:
                ascii_label = label.encode("idna").decode("ascii")
            except UnicodeError:
                ascii_label = ""
        if not _LABEL.fullmatch(ascii_label):
            raise ValidationError(
                f"{label!r} in {domain!r} is not a valid domain label: use letters, digits and "
                "inner hyphens, 1-63 characters.", field=field)
    if labels[-1].isdigit():
        raise ValidationError(f"{domain!r} ends in a number, not a top-level domain.", field=field)
    return domain


def validate_email(address: str, *, field: str = "email") -> str:
    """A pragmatic RFC 5322 / 6531 subset: ``local@domain.tld``, Unicode allowed, no quoted or
    commented local parts. Returns the address with surrounding blanks removed."""
    text = address.strip() if isinstance(address, str) else ""
    if not text:
        raise ValidationError("An email address is required.", field=field)
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ValidationError("An email address cannot contain spaces or control characters.",
                              field=field)
    if text.count("@") != 1:
        raise ValidationError(
            f"{text!r} needs exactly one @ between the name and the domain (quoted names such "
            "as \"a@b\"@x.com are not supported).", field=field)
    local, domain = text.split("@")
    if not local or len(local.encode()) > 64:
        raise ValidationError("The part before @ must be 1 to 64 bytes long.", field=field)
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise ValidationError(
            "The part before @ cannot start or end with a dot or hold two dots in a row.",
            field=field)
    bad = sorted({ch for ch in local if ch != "." and ch.isascii() and ch not in _ATEXT})
    if bad:
        raise ValidationError(
            f"The part before @ cannot contain {' '.join(bad)}.", field=field)
    validate_domain(domain, field=field)
    if len(text) > 254:
        raise ValidationError("An email address has at most 254 characters.", field=field)
    return text


#: Characters a userPrincipalName may hold before the @ (no accents, no spaces).
UPN_ALLOWED_CHARACTERS = string.ascii_letters + string.digits + "'.-_!#^~"
#: Every character a UPN may begin with, case-folded: Graph's ``startswith`` ignores case, so
#: ``startswith(userPrincipalName,'a')`` also finds ``A...`` and these partition all users.
UPN_FIRST_CHARACTERS = string.ascii_lowercase + string.digits + "'-_!#^~"
#: The symbols that count towards B2C's strong-password character classes.
PASSWORD_SYMBOLS = "@#$%^&*-_+=[]{}|\\:',.?/`~\"();!"
_PASSWORD_CHARS = set(string.ascii_letters + string.digits + PASSWORD_SYMBOLS + " ")
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
PASSWORD_POLICIES = ("DisablePasswordExpiration", "DisableStrongPassword")


def validate_upn(upn: str, *, domains: Iterable[str] | None = None) -> str:
    """``name@domain``: A-Z a-z 0-9 ' . - _ ! # ^ ~ before the @ (at most 64, no dot first or
    last), a domain of at most 48 characters, one of ``domains`` (the tenant's verified ones)
    when given."""
    text = upn.strip() if isinstance(upn, str) else ""
    field = "userPrincipalName"
    local, at, domain = text.rpartition("@")
    if not at or not local or "@" in local:
        raise ValidationError(f"{upn!r} is not name@domain.", field=field)
    bad = sorted(set(local) - set(UPN_ALLOWED_CHARACTERS))
    if bad:
        raise ValidationError(
            f"A user principal name cannot contain {' '.join(map(repr, bad))}; use A-Z a-z 0-9 "
            "and ' . - _ ! # ^ ~ only.", field=field)
    if len(local) > 64 or local[0] == "." or local[-1] == "." or ".." in local:
        raise ValidationError(
            "The name before @ has at most 64 characters and cannot start or end with a dot "
            "(or hold two in a row).", field=field)
    validate_domain(domain, field=field, max_length=48)
    allowed = {d.lower() for d in domains or ()}
    if domains is not None and domain.lower() not in allowed:
        raise ValidationError(
            f"{domain} is not a verified domain of this tenant; use one of: "
            f"{', '.join(sorted(allowed))}.", field=field)
    return text


def validate_username(name: str) -> str:
    """A ``userName`` sign-in name: a letter or digit first, then letters, digits, - or _."""
    text = name.strip() if isinstance(name, str) else ""
    if not _USERNAME.fullmatch(text):
        raise ValidationError(
            f"{name!r} is not a valid user name: start with a letter or digit, then use only "
            "letters, digits, '-' and '_', at most 64 characters.", field="issuerAssignedId")
    return text


def validate_password(password: str, *, strong: bool = True) -> str:
    """B2C's strong-password rule (8-64 characters, three of: lower case, upper case, digit,
    symbol from :data:`PASSWORD_SYMBOLS`); with ``strong=False`` only non-empty, at most 256."""
    field = "passwordProfile.password"
    if not isinstance(password, str) or not password:
        raise ValidationError("A password is required.", field=field)
    if not strong:
        if len(password) > 256:
            raise ValidationError("A password has at most 256 characters.", field=field)
        return password
    if not 8 <= len(password) <= 64:
        raise ValidationError("A password needs 8 to 64 characters.", field=field)
    if not set(password) <= _PASSWORD_CHARS:
        raise ValidationError(
            "The password holds a character B2C does not accept: use A-Z, a-z, 0-9, spaces and "
            f"{PASSWORD_SYMBOLS}", field=field)
    classes = sum(any(test(ch) for ch in password) for test in (
        str.islower, str.isupper, str.isdigit, lambda ch: ch in PASSWORD_SYMBOLS))
    if classes < 3:
        raise ValidationError(
            "A password needs three of: a lower-case letter, an upper-case letter, a digit, "
            "a symbol.", field=field)
    return password


def build_local_account(
    tenant_domain: str, *, display_name: str, email: str | None = None,
    username: str | None = None, password: str, force_change: bool = False,
    given_name: str | None = None, surname: str | None = None,
    extra: Mapping[str, Any] | None = None, disable_strong_password: bool = False,
) -> dict[str, Any]:
    """The body of ``POST /users`` for a B2C local account signing in with ``email`` and/or
    ``username`` (issuer: the tenant's ``<name>.onmicrosoft.com`` domain).

    ``force_change`` should stay ``False``: B2C user flows ignore it (force a reset through a
    custom policy instead). ``extra`` adds properties such as ``extension_<appid>_<name>``.
    """
    issuer = validate_domain(tenant_domain.strip(), field="issuer")
    identities = [{"signInType": kind, "issuer": issuer, "issuerAssignedId": value}
                  for kind, value in (("emailAddress", email), ("userName", username)) if value]
    policies = ", ".join(PASSWORD_POLICIES[: 2 if disable_strong_password else 1])
    body: dict[str, Any] = {
        "accountEnabled": True,
        "displayName": display_name,
        "identities": identities,
        "passwordProfile": {"password": password, "forceChangePasswordNextSignIn": force_change},
        "passwordPolicies": policies,
    }
    body.update({k: v for k, v in (("givenName", given_name), ("surname", surname)) if v})
    clash = sorted(set(extra or {}) & set(body))
    if clash:
        raise ValidationError(f"extra cannot replace {', '.join(clash)}; use the arguments.",
                              field=clash[0])
    body.update(extra or {})
    return validate_local_account(body)


def _check_identity(identity: Any) -> None:
    if not isinstance(identity, Mapping) or not all(
            isinstance(identity.get(k), str) and identity.get(k)
            for k in ("signInType", "issuer", "issuerAssignedId")):
        raise ValidationError("Each identity needs signInType, issuer and issuerAssignedId.",
                              field="identities")
    kind, value = identity["signInType"], identity["issuerAssignedId"]
    if len(identity["issuer"]) > 512:
        raise ValidationError("An identity issuer has at most 512 characters.", field="issuer")
    if kind.startswith("emailAddress"):
        validate_email(value, field="issuerAssignedId")
    elif kind == "userName":
        validate_username(value)


def validate_local_account(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check a ``POST /users`` body for a B2C account; returns it as a dict."""
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip() or len(name) > 256:
        raise ValidationError("A display name (1-256 characters) is required.",
                              field="displayName")
    if not isinstance(body.get("accountEnabled", True), bool):
        raise ValidationError("accountEnabled is true or false.", field="accountEnabled")
    identities = body.get("identities")
    if not isinstance(identities, list) or not identities:
        raise ValidationError("A B2C account needs at least one identity (an email address or "
                              "user name to sign in with).", field="identities")
    for identity in identities:
        _check_identity(identity)
    if "userPrincipalName" in body:
        validate_upn(body["userPrincipalName"])
    policies = [p.strip() for p in str(body.get("passwordPolicies") or "").split(",") if p.strip()]
    unknown = sorted(set(policies) - set(PASSWORD_POLICIES))
    if unknown:
        raise ValidationError(f"Unknown password policy {unknown[0]!r}; use "
                              f"{' and/or '.join(PASSWORD_POLICIES)}.", field="passwordPolicies")
    local = any(i["signInType"] in ("userName",) or i["signInType"].startswith("emailAddress")
                for i in identities)
    if local:
        if "DisablePasswordExpiration" not in policies:
            raise ValidationError(
                "B2C local accounts must set passwordPolicies to DisablePasswordExpiration.",
                field="passwordPolicies", suggestion=", ".join(
                    ["DisablePasswordExpiration", *policies]))
        profile = body.get("passwordProfile")
        if not isinstance(profile, Mapping):
            raise ValidationError("A local account needs a passwordProfile with a password.",
                                  field="passwordProfile")
        if not isinstance(profile.get("forceChangePasswordNextSignIn", False), bool):
            raise ValidationError("forceChangePasswordNextSignIn is true or false.",
                                  field="passwordProfile.forceChangePasswordNextSignIn")
        validate_password(profile.get("password"),  # type: ignore[arg-type]
                          strong="DisableStrongPassword" not in policies)
    return dict(body)
