"""Policy keys (Trust Framework keysets): list, get, create, replace, delete, and add keys.

Endpoints (beta only): ``/trustFramework/keySets`` and, per keyset, the actions
``generateKey``, ``uploadSecret``, ``uploadCertificate``, ``uploadPkcs12`` and the function
``getActiveKey``. Keyset ids carry the ``B2C_1A_`` prefix; Graph adds it on create when it is
missing. Secrets (an uploaded ``k``, a PFX and its password) travel wrapped in :class:`Secret`,
are unwrapped only into the request body, and are masked out of any error Graph sends back.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..errors import GraphError, ValidationError
from ..paging import PageIterator
from ..redact import MASK, register_secret
from ..validation import (
    POLICY_PREFIX,
    normalize_keyset_id,
    validate_key_type,
    validate_key_use,
    validate_keyset_id,
)
from .base import ResourceAPI, mutating, seg

BETA = "beta"
KEYSETS = "/trustFramework/keySets"
KEYSET_PREFIX = POLICY_PREFIX


class Secret:
    """A secret value that does not show itself: ``repr``/``str`` give ``Secret('***')``.

    Call :meth:`reveal` at the one place the value must go over the wire.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | bytes | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        if not isinstance(value, str):
            raise TypeError("A secret is text (or bytes of UTF-8 text).")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(
            other._value.encode(), self._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))


def _secret(value: str | bytes | Secret, field: str) -> Secret:
    secret = Secret(value)
    if not secret:
        raise ValidationError(f"{field} is empty.", field=field)
    register_secret(secret.reveal())  # masked in every log line from now on
    return secret


def create_id(keyset_id: str) -> str:
    """The id to send on create: validated; a missing ``B2C_1A_`` is left for Graph to add
    (as in Graph's own example), a present one gets its canonical case."""
    normalized = normalize_keyset_id(keyset_id)
    return normalized if keyset_id.strip().upper().startswith(KEYSET_PREFIX) else keyset_id.strip()


def _numeric_date(value: int | datetime | None, field: str) -> int | None:
    """Seconds since the epoch (RFC 7519 NumericDate); naive datetimes are taken as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{field} must be seconds since 1970 or a datetime.", field=field)
    return value


def _validity(nbf: int | datetime | None, exp: int | datetime | None) -> dict[str, int]:
    out = {k: v for k, v in (("nbf", _numeric_date(nbf, "nbf")),
                              ("exp", _numeric_date(exp, "exp"))) if v is not None}
    if "nbf" in out and "exp" in out and out["exp"] < out["nbf"]:
        raise ValidationError("The key expires (exp) before it becomes valid (nbf).", field="exp")
    return out


def _base64(value: str | bytes, field: str) -> str:
    """Base64 text as Graph wants it; raw bytes (a DER file's content) are encoded for you."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    text = "".join(value.split()) if isinstance(value, str) else ""
    if not text:
        raise ValidationError(f"{field} is empty.", field=field)
    return text


def _scrub(error: GraphError, *secrets: Secret) -> None:
    """Mask any secret Graph echoed in its error message (in place)."""
    message = error.message
    for secret in secrets:
        if secret.reveal():
            message = message.replace(secret.reveal(), MASK)
    error.message = message
    error.args = (message,)


class KeySetsAPI(ResourceAPI):
    """``/trustFramework/keySets`` (beta)."""

    api_version = BETA

    def list(self, *, prefetch: bool = True) -> PageIterator:
        """Pages of keysets, each with its ``keys`` inline: ``GET /trustFramework/keySets``."""
        return self._list(KEYSETS, prefetch=prefetch)

    async def get(self, keyset_id: str) -> dict[str, Any]:
        """One keyset: ``GET /trustFramework/keySets/{id}``."""
        return await self._get(f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}")

    async def get_active_key(self, keyset_id: str) -> dict[str, Any]:
        """The key in use: ``GET /trustFramework/keySets/{id}/getActiveKey``."""
        return await self._get(f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}/getActiveKey")

    @mutating
    async def create(
        self, keyset_id: str, keys: Iterable[Mapping[str, Any]] | None = None
    ) -> dict[str, Any]:
        """Create a keyset: ``POST /trustFramework/keySets`` (201). The usual way is an empty
        keyset followed by :meth:`generate_key` or an upload; ``keys`` are JWKs (RFC 7517).
        Graph may change the id (it adds ``B2C_1A_``): use the returned record's ``id``."""
        body: dict[str, Any] = {"id": create_id(keyset_id)}
        if keys is not None:
            body["keys"] = [dict(k) for k in keys]
        return await self._send("POST", KEYSETS, body)

    @mutating
    async def update(
        self, keyset_id: str, keys: Iterable[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Replace the keyset's keys: ``PUT /trustFramework/keySets/{id}`` (200, keyset back)."""
        path = f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}"
        return await self._send("PUT", path, {"keys": [dict(k) for k in keys]})

    @mutating
    async def delete(self, keyset_id: str) -> None:
        """Delete a keyset and its keys: ``DELETE /trustFramework/keySets/{id}`` (204)."""
        await self._core.request(
            "DELETE", f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}", version=BETA
        )

    @mutating
    async def generate_key(
        self, keyset_id: str, *, use: str, kty: str,
        nbf: int | datetime | None = None, exp: int | datetime | None = None,
    ) -> dict[str, Any]:
        """Have Graph generate a key: ``POST /trustFramework/keySets/{id}/generateKey``."""
        path = f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}/generateKey"
        body = {"use": validate_key_use(use), "kty": validate_key_type(kty), **_validity(nbf, exp)}
        return await self._send("POST", path, body)

    @mutating
    async def upload_secret(
        self, keyset_id: str, *, use: str, k: str | Secret,
        nbf: int | datetime | None = None, exp: int | datetime | None = None,
    ) -> dict[str, Any]:
        """Store a shared secret (an identity provider's client secret) as an ``oct`` key:
        ``POST /trustFramework/keySets/{id}/uploadSecret``. The secret is not echoed back."""
        path = f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}/uploadSecret"
        secret = _secret(k, "k")
        body = {"use": validate_key_use(use), **_validity(nbf, exp)}
        return await self._send("POST", path, body, secrets={"k": secret})

    @mutating
    async def upload_certificate(self, keyset_id: str, key: str | bytes) -> dict[str, Any]:
        """Add a public certificate (base64 text or the DER bytes of a .cer):
        ``POST /trustFramework/keySets/{id}/uploadCertificate``."""
        path = f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}/uploadCertificate"
        return await self._send("POST", path, {"key": _base64(key, "key")})

    @mutating
    async def upload_pkcs12(
        self, keyset_id: str, key: str | bytes | Secret, password: str | Secret
    ) -> dict[str, Any]:
        """Add a certificate with its private key (a PFX, base64 text or the file's bytes):
        ``POST /trustFramework/keySets/{id}/uploadPkcs12``."""
        path = f"{KEYSETS}/{seg(validate_keyset_id(keyset_id))}/uploadPkcs12"
        if isinstance(key, bytes):
            key = base64.b64encode(key).decode("ascii")
        pfx = _secret(key, "key")
        pwd = _secret(password, "password")
        return await self._send("POST", path, {}, secrets={"key": pfx, "password": pwd})

    # -- helpers -------------------------------------------------------------------------------
    async def _send(
        self, method: str, path: str, body: Any = None, *, version: str | None = None,
        secrets: Mapping[str, Secret] | None = None,
    ) -> dict[str, Any]:
        secrets = secrets or {}
        # Unwrapped only here, into the body the core serialises and sends.
        payload = {**(body or {}), **{name: s.reveal() for name, s in secrets.items()}}
        try:
            return await super()._send(method, path, payload, version=version)
        except GraphError as error:
            _scrub(error, *secrets.values())
            raise
