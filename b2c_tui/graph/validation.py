"""Input validation where Graph has rules, checked before any request is sent.

Every failure is a :class:`ValidationError` naming the ``field`` (as Graph spells it, so a dialog
can show the message beside the input) and, where one is known, a ``suggestion``. Messages never
repeat a password. Phone numbers live in :mod:`b2c_tui.graph.phone_codes`; email addresses and
user accounts (UPNs, passwords, local-account bodies) in :mod:`b2c_tui.graph.validation_users`.
Both are re-exported here, so ``from b2c_tui.graph.validation import ...`` reaches every rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .errors import ValidationError
from .phone_codes import (
    COUNTRY_CALLING_CODES,
    is_graph_phone,
    phone_needs_fix,
    split_calling_code,
    suggest_phone_fix,
    validate_phone,
)
from .validation_users import (
    PASSWORD_POLICIES,
    PASSWORD_SYMBOLS,
    UPN_ALLOWED_CHARACTERS,
    UPN_FIRST_CHARACTERS,
    build_local_account,
    validate_domain,
    validate_email,
    validate_local_account,
    validate_password,
    validate_upn,
    validate_username,
)

__all__ = [
    "ALTERNATE_MOBILE_PHONE_METHOD_ID", "ATTRIBUTE_DATA_TYPES", "COUNTRY_CALLING_CODES",
    "EMAIL_METHOD_ID", "IDENTITY_PROVIDER_TYPES", "KEY_TYPES", "KEY_USES", "MAX_ID_LENGTH",
    "MOBILE_PHONE_METHOD_ID", "OFFICE_PHONE_METHOD_ID", "PASSWORD_POLICIES", "PASSWORD_SYMBOLS",
    "PHONE_METHOD_IDS", "PHONE_TYPES", "POLICY_PREFIX", "SOCIAL_PROVIDER_TYPES",
    "UPN_ALLOWED_CHARACTERS", "UPN_FIRST_CHARACTERS", "USER_FLOW_PREFIX", "USER_FLOW_TYPES",
    "build_key_options", "build_local_account", "is_graph_phone", "normalize_keyset_id",
    "phone_method_id", "phone_needs_fix", "phone_type_for_method_id", "split_calling_code",
    "suggest_phone_fix", "user_flow_id", "user_flow_name", "validate_attribute_data_type",
    "validate_domain", "validate_email", "validate_identity_provider_type", "validate_key_type",
    "validate_key_use", "validate_keyset_id", "validate_local_account", "validate_password",
    "validate_phone", "validate_phone_type", "validate_policy_id", "validate_upn",
    "validate_user_flow", "validate_user_flow_type", "validate_username",
]


# -- authentication methods --------------------------------------------------------------------

MOBILE_PHONE_METHOD_ID = "3179e48a-750b-4051-897c-87b9720928f7"
ALTERNATE_MOBILE_PHONE_METHOD_ID = "b6332ec1-7057-4abe-9331-3d72feddfe41"
OFFICE_PHONE_METHOD_ID = "e37fc753-ff3b-4958-9484-eaa9425c82bc"
EMAIL_METHOD_ID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
#: phoneType -> the fixed id Graph gives that phone method.
PHONE_METHOD_IDS: dict[str, str] = {
    "mobile": MOBILE_PHONE_METHOD_ID,
    "alternateMobile": ALTERNATE_MOBILE_PHONE_METHOD_ID,
    "office": OFFICE_PHONE_METHOD_ID,
}
PHONE_TYPES = tuple(PHONE_METHOD_IDS)


def _choice(value: Any, allowed: Iterable[str], field: str, what: str) -> str:
    """``value`` spelled as in ``allowed`` (matched case-insensitively), or raise."""
    options = list(allowed)
    for option in options:
        if isinstance(value, str) and value.strip().lower() == option.lower():
            return option
    raise ValidationError(f"{value!r} is not a valid {what}; use one of: {', '.join(options)}.",
                          field=field)


def validate_phone_type(phone_type: str) -> str:
    """``mobile``, ``alternateMobile`` or ``office`` (any case in, Graph's spelling out)."""
    return _choice(phone_type, PHONE_TYPES, "phoneType", "phone type")


def phone_method_id(phone_type: str) -> str:
    """The fixed method id of a phone type (``mobile`` -> ``3179e48a-...``)."""
    return PHONE_METHOD_IDS[validate_phone_type(phone_type)]


def phone_type_for_method_id(method_id: str) -> str | None:
    """Inverse of :func:`phone_method_id`; ``None`` for an unknown id."""
    return next((t for t, i in PHONE_METHOD_IDS.items() if i == method_id.lower()), None)


# -- custom policies, keysets and keys --------------------------------------------------------

POLICY_PREFIX = "B2C_1A_"
USER_FLOW_PREFIX = "B2C_1_"
#: Our ceiling for ids (Graph does not document one); ids in the wild are far shorter.
MAX_ID_LENGTH = 128
_ID_TAIL = re.compile(r"[A-Za-z0-9_.-]+")


def _prefixed_id(value: str, prefix: str, what: str, *, add: bool) -> str:
    """``value`` with ``prefix`` (its case normalized), added when ``add``, else required."""
    text = value.strip() if isinstance(value, str) else ""
    has_prefix = text.upper().startswith(prefix.upper())
    tail = text[len(prefix):] if has_prefix else text
    if not _ID_TAIL.fullmatch(tail) or len(prefix + tail) > MAX_ID_LENGTH:
        raise ValidationError(
            f"{value!r} is not a valid {what} id: after {prefix} use letters, digits, '_', '-' "
            f"or '.', {MAX_ID_LENGTH} characters in all.", field="id")
    if not has_prefix and not add:
        raise ValidationError(f"A {what} id starts with {prefix}: {prefix + tail!r}.",
                              field="id", suggestion=prefix + tail)
    return prefix + tail


def validate_policy_id(policy_id: str) -> str:
    """A custom policy id: ``B2C_1A_`` + letters, digits, ``_ - .`` (matches the XML PolicyId)."""
    return _prefixed_id(policy_id, POLICY_PREFIX, "custom policy", add=False)


def normalize_keyset_id(name: str) -> str:
    """The id Graph will give a keyset: ``keyset1`` -> ``B2C_1A_keyset1`` (prefix added once)."""
    return _prefixed_id(name, POLICY_PREFIX, "policy key", add=True)


def validate_keyset_id(keyset_id: str) -> str:
    """An existing keyset's id (already carrying ``B2C_1A_``)."""
    return _prefixed_id(keyset_id, POLICY_PREFIX, "policy key", add=False)


KEY_USES = ("sig", "enc")
KEY_TYPES = ("RSA", "OCT")


def validate_key_use(use: str) -> str:
    """``sig`` (signature) or ``enc`` (encryption)."""
    return _choice(use, KEY_USES, "use", "key use")


def validate_key_type(kty: str) -> str:
    """``RSA`` or ``OCT`` (Graph's samples spell them in capitals; any case accepted)."""
    return _choice(kty, KEY_TYPES, "kty", "key type")


def _epoch(value: int | datetime | None, field: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise ValidationError(f"{field} must be seconds since 1970 or a datetime.", field=field)


def build_key_options(use: str, kty: str, *, nbf: int | datetime | None = None,
                      exp: int | datetime | None = None) -> dict[str, Any]:
    """The body of ``generateKey`` (and the shared part of ``uploadSecret``)."""
    body: dict[str, Any] = {"use": validate_key_use(use), "kty": validate_key_type(kty)}
    start, end = _epoch(nbf, "nbf"), _epoch(exp, "exp")
    if start is not None and end is not None and end <= start:
        raise ValidationError("The key must expire (exp) after it becomes valid (nbf).",
                              field="exp")
    body.update({k: v for k, v in (("nbf", start), ("exp", end)) if v is not None})
    return body


# -- user flows, attributes, identity providers -----------------------------------------------

#: userFlowType -> the userFlowTypeVersion values B2C offers (1 legacy, 2 preview, 3 current).
USER_FLOW_TYPES: dict[str, tuple[int, ...]] = {
    t: (1, 2, 3) for t in
    ("signUp", "signIn", "signUpOrSignIn", "passwordReset", "profileUpdate", "resourceOwner")
}


def user_flow_name(name: str) -> str:
    """The id to send when creating a user flow: without ``B2C_1_``, which Graph adds."""
    text = name.strip() if isinstance(name, str) else ""
    if text.upper().startswith(USER_FLOW_PREFIX.upper()):
        text = text[len(USER_FLOW_PREFIX):]
    if not _ID_TAIL.fullmatch(text) or len(USER_FLOW_PREFIX + text) > MAX_ID_LENGTH:
        raise ValidationError(
            f"{name!r} is not a valid user flow name: use letters, digits, '_', '-' or '.'.",
            field="id")
    return text


def user_flow_id(name: str) -> str:
    """The id a user flow has once created: ``Customer`` -> ``B2C_1_Customer``."""
    return USER_FLOW_PREFIX + user_flow_name(name)


def validate_user_flow_type(flow_type: Any, version: Any = None) -> str:
    """A ``userFlowType`` in Graph's spelling; with ``version``, also that the type has it."""
    kind = _choice(flow_type, USER_FLOW_TYPES, "userFlowType", "user flow type")
    if version is not None and (isinstance(version, bool) or version not in USER_FLOW_TYPES[kind]):
        raise ValidationError(
            f"{kind} user flows come in versions {', '.join(map(str, USER_FLOW_TYPES[kind]))}; "
            f"use 3 (recommended) rather than {version!r}.", field="userFlowTypeVersion")
    return kind


def validate_user_flow(name: str, flow_type: str, version: float) -> dict[str, Any]:
    """The required body of ``POST /identity/b2cUserFlows`` (name sent without ``B2C_1_``)."""
    kind = validate_user_flow_type(flow_type, version)
    return {"id": user_flow_name(name), "userFlowType": kind, "userFlowTypeVersion": version}


ATTRIBUTE_DATA_TYPES = ("string", "boolean", "int64", "stringCollection", "dateTime")


def validate_attribute_data_type(data_type: str) -> str:
    """A user-flow attribute's ``dataType`` (it cannot be changed after creation)."""
    return _choice(data_type, ATTRIBUTE_DATA_TYPES, "dataType", "attribute data type")


SOCIAL_PROVIDER_TYPES = ("Microsoft", "Google", "Amazon", "LinkedIn", "Facebook", "GitHub",
                         "Twitter", "Weibo", "QQ", "WeChat")
#: What ``availableProviderTypes`` lists in a B2C tenant -> the @odata.type to create it with.
IDENTITY_PROVIDER_TYPES: dict[str, str] = {
    **{t: "#microsoft.graph.socialIdentityProvider" for t in SOCIAL_PROVIDER_TYPES},
    "AppleManaged": "#microsoft.graph.appleManagedIdentityProvider",
    "OpenIdConnect": "#microsoft.graph.openIdConnectIdentityProvider",  # beta only
}


def validate_identity_provider_type(provider_type: str) -> str:
    """A B2C identity provider type in Graph's spelling (``github`` -> ``GitHub``)."""
    return _choice(provider_type, IDENTITY_PROVIDER_TYPES, "identityProviderType",
                   "identity provider type")
