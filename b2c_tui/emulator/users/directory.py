"""The user directory: generated users plus an overlay of created/changed/deleted ones.

Ordinal ``i < base_count`` is a generated user (see :mod:`.generator`) unless the overlay
holds an entry for it: a dict (the user as changed) or ``None`` (deleted). Users created
through the API get ordinals from ``base_count`` upwards, so a listing in ordinal order is
stable under concurrent inserts. Serialized default-property JSON of single generated users
is cached lazily (bounded); runs of them are serialized from arrays (:attr:`writer`).
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import orjson

from ..odata import DIRECTORY
from .generator import UserGenerator
from .json_writer import DefaultJsonWriter
from .names import ADMINS

if TYPE_CHECKING:
    from ..store import Store

#: Extension attributes registered on the b2c-extensions-app of every demo tenant.
DEFAULT_EXTENSIONS = ("loyaltyNumber", "membershipTier", "marketingConsent")
CACHE_LIMIT = 200_000
#: Runs of generated users at least this long are serialized as arrays (below it the fixed
#: cost of the array path exceeds a per-user loop).
BATCH_MIN = 48


class UserDirectory:
    """Users of one tenant, addressable by ordinal, id, UPN or sign-in identity."""

    def __init__(self, store: Store, *, count: int) -> None:
        if count < 0 or count > 10_000_000:
            raise ValueError("users must be between 0 and 10,000,000")
        self.store = store
        self.domain = store.tenant_domain
        self.ext_prefix = f"extension_{store.apps.extensions_app_id.replace('-', '')}_"
        self.gen = UserGenerator(store.seed, self.domain, store.anchor, count, self.ext_prefix)
        self.base_count = count
        self.next_ordinal = count
        self.overlay: dict[int, dict[str, Any] | None] = {}
        self.overlay_keys: list[int] = []  # sorted ordinals present in overlay
        self._ids: dict[str, int] = {}  # overlay user id (lower) -> ordinal
        self._upns: dict[str, int] = {}  # overlay UPN (lower) -> ordinal
        self._idents: dict[tuple[str, str], int] = {}  # overlay (issuer, assignedId) -> ordinal
        self._methods: dict[int, dict[str, Any]] = {}
        self._cache: dict[int, bytes] = {}
        self._writer: DefaultJsonWriter | None = None
        self._live = count
        #: Names of the extension attributes users may carry (besides custom user-flow ones).
        self.extension_names: set[str] = set(DEFAULT_EXTENSIONS)
        #: Bumped on every change; caches of derived orderings compare against it.
        self.version = 0
        self._seed_admins()

    # -- lookup ---------------------------------------------------------------------------
    def get(self, ordinal: int) -> dict[str, Any] | None:
        """The user at ``ordinal`` (a fresh dict for generated users), or None."""
        if ordinal in self.overlay:
            return self.overlay[ordinal]
        if 0 <= ordinal < self.base_count:
            return self.gen.record(ordinal)
        return None

    def is_generated(self, ordinal: int) -> bool:
        """True when ``ordinal`` is an unchanged generated user."""
        return 0 <= ordinal < self.base_count and ordinal not in self.overlay

    def find(self, key: str) -> int | None:
        """The ordinal of the live user whose id or userPrincipalName is ``key``."""
        low = key.lower()
        ordinal = self._ids.get(low)
        if ordinal is None:
            ordinal = self._upns.get(low)
        if ordinal is None:
            local, _, domain = low.partition("@")
            if not domain or domain == self.domain:
                ordinal = self.gen.ordinal_of_id(local)
                if ordinal is not None and domain and ordinal in self.overlay:
                    rec = self.overlay[ordinal]
                    if rec is None or rec["userPrincipalName"].lower() != low:
                        return None
        if ordinal is None:
            return None
        return ordinal if self.get(ordinal) is not None else None

    def ordinal_of(self, key: str) -> int:
        """:meth:`find`, or Graph's 404 for ``key``."""
        ordinal = self.find(key)
        if ordinal is None:
            raise DIRECTORY.not_found(key)
        return ordinal

    def find_identity(self, issuer: str | None, assigned: str | None) -> list[int]:
        """Ordinals of live users holding an identity (issuer may be ignored for local ones)."""
        out: set[int] = set()
        a = (assigned or "").lower()
        if assigned is not None:
            for (iss, aid), ordinal in self._idents.items():
                if aid == a and (issuer is None or iss == issuer.lower() or iss == self.domain):
                    out.add(ordinal)
            cand = self._generated_identity(issuer, a)
            if cand is not None:
                out.add(cand)
        result = []
        for ordinal in sorted(out):
            rec = self.get(ordinal)
            if rec is not None and any(
                i["issuerAssignedId"].lower() == a for i in rec.get("identities") or ()
            ):
                result.append(ordinal)
        return result

    def _generated_identity(self, issuer: str | None, assigned: str) -> int | None:
        iss = (issuer or "").lower()
        if iss in ("google.com", "facebook.com"):
            ordinal = self.gen.ordinal_of_federated(iss, assigned)
        else:
            local = assigned.partition("@")[0]
            digits = len(local) - len(local.rstrip("0123456789"))
            if not digits:
                return None
            ordinal = self.gen.ordinal_of_number(int(local[-digits:]))
        if ordinal is None or ordinal >= self.base_count or ordinal in self.overlay:
            return None
        return ordinal

    # -- changes --------------------------------------------------------------------------
    def _put(self, ordinal: int, record: dict[str, Any] | None) -> None:
        old = self.overlay.get(ordinal)
        if old is not None:
            self._unindex(ordinal, old)
        if ordinal not in self.overlay:
            bisect.insort(self.overlay_keys, ordinal)
        self.overlay[ordinal] = record
        self._cache.pop(ordinal, None)
        if record is not None:
            self._index(ordinal, record)
        self.version += 1

    @staticmethod
    def _keys(rec: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]]]:
        idents = [
            (str(i.get("issuer", "")).lower(), str(i.get("issuerAssignedId", "")).lower())
            for i in rec.get("identities") or ()
        ]
        return rec["id"].lower(), str(rec.get("userPrincipalName") or "").lower(), idents

    def _index(self, ordinal: int, rec: dict[str, Any]) -> None:
        oid, upn, idents = self._keys(rec)
        self._ids[oid] = ordinal
        if upn:
            self._upns[upn] = ordinal
        for key in idents:
            self._idents[key] = ordinal

    def _unindex(self, ordinal: int, rec: dict[str, Any]) -> None:
        oid, upn, idents = self._keys(rec)
        if self._ids.get(oid) == ordinal:
            del self._ids[oid]
        if self._upns.get(upn) == ordinal:
            del self._upns[upn]
        for key in idents:
            if self._idents.get(key) == ordinal:
                del self._idents[key]

    def create(self, record: dict[str, Any]) -> int:
        """Add a new user (``record`` complete, with ``id``); returns its ordinal."""
        ordinal = self.next_ordinal
        self.next_ordinal += 1
        self._put(ordinal, record)
        self._live += 1
        return ordinal

    def update(self, ordinal: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``changes`` (None removes an extension attribute); returns the new record."""
        rec = self.get(ordinal)
        if rec is None:
            raise KeyError(ordinal)
        rec = copy.deepcopy(rec) if ordinal in self.overlay else rec
        for key, value in changes.items():
            if value is None and key.startswith("extension_"):
                rec.pop(key, None)
            else:
                rec[key] = value
        self._put(ordinal, rec)
        return rec

    def delete(self, ordinal: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """Remove a live user; returns (record, its authentication methods) for deletedItems."""
        rec = self.get(ordinal)
        if rec is None:
            raise KeyError(ordinal)
        methods = self.methods(ordinal)
        self._put(ordinal, None)
        self._methods.pop(ordinal, None)
        self._live -= 1
        return rec, methods

    def restore(self, ordinal: int, record: dict[str, Any], methods: dict[str, Any]) -> None:
        """Bring a deleted user back at its ordinal."""
        self._put(ordinal, record)
        self._methods[ordinal] = methods
        self._live += 1

    def live_count(self) -> int:
        """Users that exist (not deleted)."""
        return self._live

    # -- authentication methods -----------------------------------------------------------
    def methods(self, ordinal: int) -> dict[str, Any]:
        """The user's methods: ``{"phones": {type: number}, "email": str|None, "oath": [ids]}``.

        The returned dict is the live state: change it, then call :meth:`methods_changed`.
        """
        found = self._methods.get(ordinal)
        if found is None:
            if 0 <= ordinal < self.base_count and not self._is_created_admin(ordinal):
                found = self.gen.methods(ordinal)
            else:
                found = {"phones": {}, "email": None, "oath": []}
            self._methods[ordinal] = found
        return found

    def _is_created_admin(self, ordinal: int) -> bool:
        return ordinal < len(ADMINS) and ordinal < self.base_count

    # -- serialization --------------------------------------------------------------------
    def default_json(self, ordinal: int, record: dict[str, Any] | None = None) -> bytes:
        """The user's default-property JSON (cached for generated users)."""
        cached = self._cache.get(ordinal)
        if cached is not None:
            return cached
        if ordinal in self.overlay:
            rec = record or self.overlay[ordinal] or {}
            return orjson.dumps({k: rec.get(k) for k in DEFAULT_ORDER})
        data = self.gen.default_json(ordinal)
        if len(self._cache) < CACHE_LIMIT:
            self._cache[ordinal] = data
        return data

    def default_json_many(self, picked: list[tuple[int, dict[str, Any] | None]]) -> list[bytes]:
        """:meth:`default_json` of each ``(ordinal, record or None)``; generated users
        missing from the cache are serialized in one batch (and not cached: that is as
        cheap as a cache lookup)."""
        cache, overlay, base = self._cache, self.overlay, self.base_count
        fresh = [o for o, _ in picked if o not in cache and o not in overlay and 0 <= o < base]
        made: dict[int, bytes] = {}
        if len(fresh) >= BATCH_MIN:
            made = dict(zip(fresh, self.writer.many(fresh), strict=True))
        return [made.get(o) or self.default_json(o, rec) for o, rec in picked]

    @property
    def writer(self) -> DefaultJsonWriter:
        """The batch serializer of generated users (its tables are built on first use)."""
        if self._writer is None:
            self._writer = DefaultJsonWriter(self.gen)
        return self._writer

    def iter_live(self, start: int = 0) -> Iterator[int]:
        """Live ordinals ``>= start`` in ordinal order (generated and overlay merged)."""
        keys = self.overlay_keys
        k = bisect.bisect_left(keys, start)
        i = start
        end = self.next_ordinal
        while i < end:
            nxt = keys[k] if k < len(keys) else end
            while i < min(nxt, self.base_count):
                yield i
                i += 1
            if k < len(keys):
                if self.overlay[nxt] is not None:
                    yield nxt
                k += 1
                i = nxt + 1
            else:
                break

    def _seed_admins(self) -> None:
        for n, (given, surname, alias, role) in enumerate(ADMINS[: self.base_count]):
            rec = self.gen.record(n)
            upn = f"{alias}@{self.domain}"
            rec.update(
                {
                    "displayName": f"{given} {surname}",
                    "givenName": given,
                    "surname": surname,
                    "jobTitle": role,
                    "mail": None,
                    "userPrincipalName": upn,
                    "creationType": None,
                    "accountEnabled": True,
                    "identities": [
                        {
                            "signInType": "userPrincipalName",
                            "issuer": self.domain,
                            "issuerAssignedId": upn,
                        }
                    ],
                    "passwordPolicies": None,
                    "lastPasswordChangeDateTime": rec["createdDateTime"],
                    "mailNickname": alias,
                    "otherMails": [],
                    "preferredLanguage": "en-US",
                }
            )
            for key in [k for k in rec if k.startswith("extension_")]:
                del rec[key]
            self._put(n, rec)
        self.version = 0


#: Graph's default user property set, in the order Graph serializes it.
DEFAULT_ORDER = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)
