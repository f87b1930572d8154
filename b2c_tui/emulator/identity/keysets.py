"""Policy keysets (``B2C_1A_...``): naming, the keys a create or replace may carry and the keys
the actions add. Private material is kept write-only (see :mod:`.keys`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..http import GraphError
from .keys import KeyInputError, certificate_key, generated_key, key_from_jwk, secret_key
from .rules import KEY, audit, bad
from .state import IdentityState, Keyset, TrustFrameworkKey

if TYPE_CHECKING:
    from ..store import Store

PREFIX = "B2C_1A_"
CATEGORY = KEY
_VALID_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")

#: A key action's body -> the new key (``state`` for its RNG, ``now`` in epoch seconds).
KeyMaker = Callable[[IdentityState, dict[str, Any], int], TrustFrameworkKey]


def parse_keys(state: IdentityState, raw: Any) -> list[TrustFrameworkKey]:
    """The keys of a create or replace body (JWKs); Graph's 400 for an invalid one."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad("The 'keys' property must be a collection of keys.")
    try:
        return [key_from_jwk(state.rng, jwk) for jwk in raw]
    except KeyInputError as exc:
        raise bad(str(exc)) from None


def create_keyset(store: Store, body: dict[str, Any]) -> Keyset:
    """A new keyset (``B2C_1A_`` prepended when missing) with the body's keys."""
    state = store.identity
    raw_id = body.get("id")
    if not isinstance(raw_id, str) or not _VALID_ID.match(raw_id):
        raise bad("A keyset 'id' of letters, digits, '_', '-' or '.' is required.")
    keyset_id = raw_id if raw_id.upper().startswith(PREFIX) else PREFIX + raw_id
    if keyset_id in state.keysets:
        raise GraphError(409, "Conflict", f"The keyset '{keyset_id}' already exists.")
    keyset = Keyset(keyset_id, parse_keys(state, body.get("keys")))
    state.keysets.set(keyset_id, keyset)
    audit(store, "Create keyset", CATEGORY, keyset_id, keyset_id, "KeySet")
    return keyset


def replace_keyset(store: Store, keyset: Keyset, body: dict[str, Any]) -> None:
    """Replace every key of ``keyset`` (an id in the body must name this keyset)."""
    given = body.get("id")
    if given is not None and str(given).lower() not in (
        keyset.id.lower(), keyset.id.lower().removeprefix(PREFIX.lower())
    ):
        raise bad(f"The id '{given}' in the payload does not match '{keyset.id}'.")
    keyset.keys = parse_keys(store.identity, body.get("keys"))
    audit(store, "Update keyset", CATEGORY, keyset.id, keyset.id, "KeySet",
          modified={"keys": (None, [key.kid for key in keyset.keys])})


def delete_keyset(store: Store, keyset: Keyset) -> None:
    """Delete a keyset and audit it."""
    store.identity.keysets.pop(keyset.id)
    audit(store, "Delete keyset", CATEGORY, keyset.id, keyset.id, "KeySet")


def add_key(
    store: Store, keyset: Keyset, activity: str, make: KeyMaker, body: dict[str, Any]
) -> TrustFrameworkKey:
    """Add the key ``make`` builds from ``body`` (Graph's 400 for invalid key input)."""
    try:
        key = make(store.identity, body, int(store.clock().timestamp()))
    except KeyInputError as exc:
        raise bad(str(exc)) from None
    keyset.keys.append(key)
    audit(store, activity, CATEGORY, keyset.id, keyset.id, "KeySet",
          modified={"kid": (None, key.kid)})
    return key


def generate(state: IdentityState, body: dict[str, Any], now: int) -> TrustFrameworkKey:
    """``generateKey``: a key made by the service."""
    return generated_key(
        state.rng, use=body.get("use"), kty=body.get("kty"), nbf=body.get("nbf"),
        exp=body.get("exp"), now=now,
    )


def upload_secret(state: IdentityState, body: dict[str, Any], now: int) -> TrustFrameworkKey:
    """``uploadSecret``: a shared secret."""
    return secret_key(state.rng, body, now)


def upload_certificate(state: IdentityState, body: dict[str, Any], now: int) -> TrustFrameworkKey:
    """``uploadCertificate``: a certificate's public key."""
    return certificate_key(body.get("key"))


def upload_pkcs12(state: IdentityState, body: dict[str, Any], now: int) -> TrustFrameworkKey:
    """``uploadPkcs12``: a certificate and its private key, behind a password."""
    password = body.get("password")
    if not isinstance(password, str):
        raise KeyInputError("The 'password' property is required.")
    return certificate_key(body.get("key"), password=password)
