"""Keeping secrets out of the journal.

The journal keeps old and new values so a change can be reviewed and undone; it must never
keep a password or key material. Properties that carry them are replaced by :data:`MARKER`
wherever they appear, however deeply nested; a JSON Web Key's private members are masked
too. A change holding a marker cannot be undone (the value to restore was never kept).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["MARKER", "has_secret", "scrub"]

MARKER = "[secret: not kept in the journal]"

# Compared case-insensitively, with "_" and "-" ignored.
_SECRET_NAMES = frozenset(
    name.lower()
    for name in (
        "passwordProfile", "password", "newPassword", "currentPassword", "secretText",
        "passwordCredentials", "keyCredentials", "secret", "clientSecret", "client_secret",
        "key", "privateKey", "pfx", "certificatePassword", "token", "accessToken",
        "refreshToken", "idToken", "assertion", "keyMaterial", "signingKey",
        "certificateData",  # an Apple identity provider's private key (.p8)
    )
)
# Private members of a JSON Web Key (RFC 7518): only masked inside something that has "kty".
_JWK_PRIVATE = frozenset({"d", "p", "q", "dp", "dq", "qi", "k", "oth"})


def _is_secret_name(name: str) -> bool:
    return name.replace("_", "").replace("-", "").lower() in _SECRET_NAMES


def scrub(value: Any) -> Any:
    """A copy of ``value`` with every secret property replaced by :data:`MARKER`."""
    if isinstance(value, Mapping):
        jwk = "kty" in value
        return {
            str(k): MARKER if _is_secret_name(str(k)) or (jwk and str(k) in _JWK_PRIVATE)
            else scrub(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def has_secret(value: Any) -> bool:
    """Whether ``value`` (already scrubbed) had a secret masked somewhere."""
    if value == MARKER:
        return True
    if isinstance(value, Mapping):
        return any(has_secret(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(has_secret(v) for v in value)
    return False
