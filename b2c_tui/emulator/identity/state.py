"""State of the identity, trust-framework and conditional-access families of the demo tenant.

Plain containers, no HTTP: the rules of :mod:`.providers`, :mod:`.keysets`... change them,
:mod:`.seed` fills them, key factories live in :mod:`.keys`. Ids in B2C are case-insensitive
(``B2C_1A_TokenSigningKeyContainer`` and ``B2C_1A_TOKENSIGNINGKEYCONTAINER`` are the same
keyset), so most collections are :class:`CIDict`. Key material (``k``, RSA private parts) is
write-only: it is kept out of every serialised form.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..clock import seeded_uuid

log = logging.getLogger(__name__)

V = TypeVar("V")
SECRET_MASK = "******"


class CIDict(Generic[V]):
    """An insertion-ordered mapping with case-insensitive string keys that keeps their casing."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, V]] = {}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def get(self, key: str) -> V | None:
        """The value for ``key`` (any casing), or None."""
        found = self._items.get(key.lower())
        return found[1] if found else None

    def canonical(self, key: str) -> str | None:
        """The stored casing of ``key``, or None when absent."""
        found = self._items.get(key.lower())
        return found[0] if found else None

    def set(self, key: str, value: V) -> None:
        """Insert or replace; a replaced entry keeps its original casing and position."""
        current = self._items.get(key.lower())
        self._items[key.lower()] = (current[0] if current else key, value)

    def pop(self, key: str) -> V | None:
        """Remove and return the value for ``key``, or None."""
        found = self._items.pop(key.lower(), None)
        return found[1] if found else None

    def values(self) -> list[V]:
        """Values in insertion order."""
        return [value for _, value in self._items.values()]


@dataclass
class StoredPolicy:
    """An uploaded Trust Framework policy: its id, XML text and the id of its base."""

    id: str
    xml: str
    base_id: str | None


@dataclass
class TrustFrameworkKey:
    """A JWK in a keyset. ``secret`` holds write-only material and is never serialised."""

    kid: str
    use: str
    kty: str
    nbf: int | None = None
    exp: int | None = None
    n: str | None = None
    e: str | None = None
    x5c: list[str] = field(default_factory=list)
    x5t: str | None = None
    secret: dict[str, str] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The readable members, as Graph returns them (no private key material)."""
        out: dict[str, Any] = {"kid": self.kid, "use": self.use, "kty": self.kty}
        if self.nbf is not None:
            out["nbf"] = self.nbf
        if self.exp is not None:
            out["exp"] = self.exp
        if self.kty == "RSA":
            out.update({"e": self.e, "n": self.n, "x5c": list(self.x5c)})
            if self.x5t:
                out["x5t"] = self.x5t
        return out

    def is_active(self, now: int) -> bool:
        """True when ``nbf <= now < exp`` (a missing bound is open)."""
        return (self.nbf is None or self.nbf <= now) and (self.exp is None or now < self.exp)


@dataclass
class Keyset:
    """A trustFrameworkKeySet: an id and its keys in upload order."""

    id: str
    keys: list[TrustFrameworkKey] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The keyset with readable key members only."""
        return {"id": self.id, "keys": [key.to_json() for key in self.keys]}

    def active_key(self, now: int) -> TrustFrameworkKey | None:
        """The key in force at ``now``: among active keys, the one with the latest ``nbf``."""
        active = [key for key in self.keys if key.is_active(now)]
        if not active:
            return None
        return max(reversed(active), key=lambda key: key.nbf if key.nbf is not None else -1)


@dataclass
class IdentityState:
    """Everything the identity/trust-framework/conditional-access routes serve."""

    rng: random.Random
    extension_app_id: str
    identity_providers: CIDict[dict[str, Any]] = field(default_factory=CIDict)
    b2c_user_flows: CIDict[dict[str, Any]] = field(default_factory=CIDict)
    events_flows: CIDict[dict[str, Any]] = field(default_factory=CIDict)
    b2c_auth_methods: dict[str, Any] = field(default_factory=dict)
    policies: CIDict[StoredPolicy] = field(default_factory=CIDict)
    keysets: CIDict[Keyset] = field(default_factory=CIDict)
    attributes: CIDict[dict[str, Any]] = field(default_factory=CIDict)
    ca_policies: CIDict[dict[str, Any]] = field(default_factory=CIDict)
    ca_templates: list[dict[str, Any]] = field(default_factory=list)
    provider_types: list[str] = field(default_factory=list)

    def new_guid(self) -> str:
        """A deterministic GUID from the state's RNG."""
        return seeded_uuid(self.rng)

    def extension_attribute_id(self, name: str) -> str:
        """``extension_<b2c-extensions-app appId without dashes>_<name>``."""
        return f"extension_{self.extension_app_id.replace('-', '')}_{name}"

    def policy_bases(self) -> dict[str, str | None]:
        """Lower-cased policy id -> its base id, for the upload checks."""
        return {policy.id.lower(): policy.base_id for policy in self.policies.values()}


def mask_secrets(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``record`` with the named write-only properties shown as ``******``."""
    return {k: (SECRET_MASK if k in names and v is not None else v) for k, v in record.items()}


def fingerprint(text: str) -> str:
    """Short stable digest, for logs (never log policy or secret contents)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]



def default_input(state: IdentityState, attr_id: str) -> dict[str, Any]:
    """The attributeCollectionPage input Graph adds for an attribute with default settings."""
    attribute = state.attributes.get(attr_id) or {}
    is_email = attr_id.lower() == "email"
    return {
        "attribute": attribute.get("id", attr_id),
        "label": attribute.get("displayName", attr_id),
        "inputType": "boolean" if attribute.get("dataType") == "boolean" else "text",
        "defaultValue": None,
        "hidden": is_email,
        "editable": not is_email,
        "writeToDirectory": True,
        "required": is_email,
        "validationRegEx": "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*$"
        if is_email
        else "^.*",
        "options": [],
    }
