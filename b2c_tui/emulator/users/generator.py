"""Deterministic, lazily derived B2C users: every field is a pure function of (seed, ordinal).

Nothing is built up front, so a 1,000,000-user tenant starts instantly. The derivations are
chosen so that queries stay cheap at that size:

* ``id``: its first 8 hex digits are ``(i*K + C) mod 2**32`` written least-significant nibble
  first, so an id inverts to its ordinal, and ``startswith(userPrincipalName, '3fa')`` (UPN is
  ``<id>@<tenant>`` as in real B2C) is an arithmetic progression of ordinals.
* names: ordinal ``i`` uses name combination ``(i*Kt + Ct) mod T``; a prefix test on a name
  is evaluated once per combination (T is a few thousand) and repeats with period T.
* sign-in names carry a number ``(i*Kn + Cn) mod 10**7`` that inverts to the ordinal, so an
  ``identities/any(...)`` lookup is O(1).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from math import gcd
from typing import Any

from ..clock import iso
from .combos import Combo, build_combos
from .names import CITIES

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1
TA, TB = 4093, 4091
M30 = (1 << 30) - 1
#: 16-bit value -> its 4 hex digits, least significant first (ids put the low nibble first).
_REV8 = [f"{x:02x}"[::-1] for x in range(1 << 8)]
_REV16 = [low + high for high in _REV8 for low in _REV8]  # x = high*256 + low
NUM_MOD = 10**7
GOOGLE_MOD = 10**20
FACEBOOK_MOD = 10**16
HISTORY = timedelta(days=3 * 365)

CALLING_CODES = {
    "US": "1",
    "GB": "44",
    "DE": "49",
    "FR": "33",
    "ES": "34",
    "PL": "48",
    "IS": "354",
    "NL": "31",
    "SE": "46",
    "BR": "55",
    "TR": "90",
    "CN": "86",
    "JP": "81",
}
TIERS = ("Bronze", "Bronze", "Bronze", "Silver", "Silver", "Gold", "Platinum")
PHONE_IDS = {
    "mobile": "3179e48a-750b-4051-897c-87b9720928f7",
    "alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
    "office": "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}
EMAIL_METHOD_ID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"


def _coprime(rng: random.Random, modulus: int) -> int:
    while True:
        k = rng.randrange(modulus // 3, modulus - 1)
        if gcd(k, modulus) == 1:
            return k


class UserGenerator:
    """Derives generated users of one tenant from (seed, ordinal)."""

    def __init__(self, seed: int, domain: str, anchor: datetime, count: int, ext_prefix: str):
        r = random.Random(f"b2c-emulator:{seed}:users")
        self.domain = domain
        self.anchor = anchor
        self.count = count
        self.ext_prefix = ext_prefix
        self.k, self.c = r.getrandbits(32) | 1, r.getrandbits(32)
        self.k_inv = pow(self.k, -1, 1 << 32)
        # id tails come from two seeded tables (primes 4093, 4091): cheap, and the pair
        # (i mod 4093, (i + i // 4093) mod 4091) is unique below 16.7M ordinals.
        self._tail_a = [f"{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-" for _ in range(TA)]
        self._tail_b = [
            f"{'89ab'[r.getrandbits(2)]}{r.getrandbits(12):03x}-{r.getrandbits(48):012x}"
            for _ in range(TB)
        ]
        self.kh, self.ch = r.getrandbits(64) | 1, r.getrandbits(64)
        self.k30, self.c30 = r.getrandbits(30) | 1, r.getrandbits(30)
        self.kn, self.cn = _coprime(r, NUM_MOD), r.randrange(NUM_MOD)
        self.kn_inv = pow(self.kn, -1, NUM_MOD)
        self.kg, self.cg = _coprime(r, GOOGLE_MOD), r.randrange(GOOGLE_MOD)
        self.kg_inv = pow(self.kg, -1, GOOGLE_MOD)
        self.kf, self.cf = _coprime(r, FACEBOOK_MOD), r.randrange(FACEBOOK_MOD)
        self.kf_inv = pow(self.kf, -1, FACEBOOK_MOD)
        self.combos = build_combos(r)
        self.t = len(self.combos)
        self.kt, self.ct = _coprime(r, self.t), r.randrange(self.t)
        self.kt_inv = pow(self.kt, -1, self.t)
        self._upn_mid = f'@{domain}","id":"'
        self.start = anchor - HISTORY
        self._step = HISTORY.total_seconds() / max(count, 1)

    # -- pure derivations ----------------------------------------------------------------
    def hash(self, i: int) -> int:
        """64 well-mixed bits for ordinal ``i`` (splitmix64 finalizer)."""
        x = (i * self.kh + self.ch) & M64
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
        return x ^ (x >> 31)

    def hash30(self, i: int) -> int:
        """30 cheap bits for ordinal ``i`` (small-int arithmetic: the listing hot path)."""
        x = (i * self.k30 + self.c30) & M30
        x = ((x ^ (x >> 15)) * 0x2C1B3C6D) & M30
        x = ((x ^ (x >> 12)) * 0x297A2D39) & M30
        return x ^ (x >> 15)

    def make_id(self, i: int) -> str:
        """The object id of ordinal ``i``."""
        v = (i * self.k + self.c) & M32
        head = _REV16[v & 0xFFFF] + _REV16[v >> 16]
        return f"{head}-{self._tail_a[i % TA]}{self._tail_b[(i + i // TA) % TB]}"

    def ordinal_of_id(self, object_id: str) -> int | None:
        """The ordinal whose id is ``object_id`` (any case), or None."""
        s = object_id.lower()
        if len(s) != 36:
            return None
        try:
            v = int(s[:8][::-1], 16)
        except ValueError:
            return None
        i = ((v - self.c) * self.k_inv) & M32
        return i if i < self.count and self.make_id(i) == s else None

    def combo(self, i: int) -> Combo:
        """The name combination of ordinal ``i``."""
        return self.combos[(i * self.kt + self.ct) % self.t]

    def first_ordinal_of_combo(self, t: int) -> int:
        """The smallest ordinal using combination ``t`` (others follow every ``self.t``)."""
        return ((t - self.ct) * self.kt_inv) % self.t

    def number(self, i: int) -> int:
        """The number in ordinal ``i``'s sign-in names."""
        return (i * self.kn + self.cn) % NUM_MOD

    def ordinal_of_number(self, n: int) -> int:
        """Inverse of :meth:`number` (may be >= count: callers verify)."""
        return ((n - self.cn) * self.kn_inv) % NUM_MOD

    def kind(self, h: int) -> str:
        """Account kind from :meth:`hash30`: local e-mail, local userName, google, facebook."""
        k = h % 100
        return "email" if k < 68 else "username" if k < 78 else "google" if k < 90 else "facebook"

    def google_sub(self, i: int) -> str:
        """A Google ``sub`` (21 digits) that inverts to ``i``."""
        return f"1{(i * self.kg + self.cg) % GOOGLE_MOD:020d}"

    def facebook_id(self, i: int) -> str:
        """A Facebook user id (17 digits) that inverts to ``i``."""
        return f"{FACEBOOK_MOD + (i * self.kf + self.cf) % FACEBOOK_MOD}"

    def ordinal_of_federated(self, issuer: str, assigned: str) -> int | None:
        """The ordinal of a google.com / facebook.com identity, or None."""
        if not assigned.isdigit():
            return None
        if issuer == "google.com" and len(assigned) == 21 and assigned[0] == "1":
            return ((int(assigned[1:]) - self.cg) * self.kg_inv) % GOOGLE_MOD
        if issuer == "facebook.com" and len(assigned) == 17:
            return ((int(assigned) - FACEBOOK_MOD - self.cf) * self.kf_inv) % FACEBOOK_MOD
        return None

    def email(self, i: int, h: int) -> str:
        """The e-mail address ordinal ``i`` signs up with (``h`` from :meth:`hash30`)."""
        combo = self.combo(i)
        return f"{combo.local}{self.number(i)}@{combo.domains[(h >> 8) % len(combo.domains)]}"

    def created(self, i: int, h: int) -> datetime:
        """createdDateTime: ordinals sign up in order over three years."""
        return self.start + timedelta(seconds=(i + ((h >> 20) % 1000) / 1000) * self._step)

    def has_mail(self, kind: str, h: int) -> bool:
        """Whether ``mail`` is set (migrated accounts, social sign-ups with an email)."""
        return kind != "username" and (h >> 16) % 100 < 55

    # -- records -------------------------------------------------------------------------
    def record(self, i: int) -> dict[str, Any]:
        """The full user object of ordinal ``i`` (every property Graph can return)."""
        h = self.hash(i)
        h2 = self.hash(i ^ 0x5DEECE66D)
        h30 = self.hash30(i)
        combo = self.combo(i)
        oid = self.make_id(i)
        upn = f"{oid}@{self.domain}"
        kind = self.kind(h30)
        email = self.email(i, h30)
        created = self.created(i, h)
        identities: list[dict[str, str]]
        if kind == "email":
            identities = [_ident("emailAddress", self.domain, email)]
        elif kind == "username":
            identities = [_ident("userName", self.domain, f"{combo.user_base}{self.number(i)}")]
        elif kind == "google":
            identities = [_ident("federated", "google.com", self.google_sub(i))]
        else:
            identities = [_ident("federated", "facebook.com", self.facebook_id(i))]
        identities.append(_ident("userPrincipalName", self.domain, upn))
        local = kind in ("email", "username")
        cities = CITIES.get(combo.country, ("",))
        rec: dict[str, Any] = {
            "id": oid,
            "businessPhones": [],
            "displayName": combo.display,
            "givenName": combo.given,
            "jobTitle": None,
            "mail": email if self.has_mail(kind, h30) else None,
            "mobilePhone": None,
            "officeLocation": None,
            "preferredLanguage": None,
            "surname": combo.surname,
            "userPrincipalName": upn,
            "accountEnabled": (h >> 16) % 100 >= 4,
            "ageGroup": None,
            "city": cities[(h2 >> 4) % len(cities)] if (h2 % 3) else None,
            "companyName": None,
            "country": combo.country if (h2 % 3) else None,
            "createdDateTime": iso(created),
            "creationType": "LocalAccount" if local else None,
            "deletedDateTime": None,
            "department": None,
            "identities": identities,
            "lastPasswordChangeDateTime": iso(created) if local else None,
            "mailNickname": oid.replace("-", "")[:20] if not local else f"unknown{oid[:8]}",
            "otherMails": [email] if kind != "username" or (h2 >> 8) % 2 else [],
            "passwordPolicies": "DisablePasswordExpiration" if local else None,
            "passwordProfile": None,
            "showInAddressList": None,
            "usageLocation": None,
            "userType": "Member",
            "externalUserState": None,
        }
        if (h2 >> 16) % 100 < 60:
            rec[f"{self.ext_prefix}loyaltyNumber"] = f"LN{(i * 7919 + 104729) % 10**8:08d}"
        if (h2 >> 24) % 100 < 65:
            rec[f"{self.ext_prefix}membershipTier"] = TIERS[(h2 >> 32) % len(TIERS)]
        if (h2 >> 40) % 100 < 30:
            rec[f"{self.ext_prefix}marketingConsent"] = bool((h2 >> 48) & 1)
        return rec

    def default_json(self, i: int) -> bytes:
        """The user in Graph's default property set, serialized."""
        return self.default_json_batch(i, i + 1)[0]

    def default_json_batch(self, start: int, stop: int) -> list[bytes]:
        """Default-property JSON of ordinals ``start..stop-1``, one user at a time.

        Inlines :meth:`hash30`, :meth:`make_id` and :meth:`email` (same results as
        :meth:`record`). This is the reference for :class:`.user_json.DefaultJsonWriter`,
        which makes the same bytes from arrays for listings (a test compares the two); it
        still serves single users and short runs, where the arrays' fixed cost dominates.
        """
        k, c, kt, ct, t, kn, cn = self.k, self.c, self.kt, self.ct, self.t, self.kn, self.cn
        k30, c30, rev = self.k30, self.c30, _REV16
        combos, tail_a, tail_b, upn_mid = self.combos, self._tail_a, self._tail_b, self._upn_mid
        out: list[bytes] = []
        append = out.append
        for i in range(start, stop):
            x = (i * k30 + c30) & M30
            x = ((x ^ (x >> 15)) * 0x2C1B3C6D) & M30
            x = ((x ^ (x >> 12)) * 0x297A2D39) & M30
            h = x ^ (x >> 15)
            combo = combos[(i * kt + ct) % t]
            v = (i * k + c) & M32
            oid = f"{rev[v & 0xFFFF]}{rev[v >> 16]}-{tail_a[i % TA]}{tail_b[(i + i // TA) % TB]}"
            kind = h % 100
            if 68 <= kind < 78 or (h >> 16) % 100 >= 55:  # userName accounts / no mail
                mail = "null"
            else:
                domains = combo.domains
                mail = (
                    f'"{combo.local}{(i * kn + cn) % NUM_MOD}@{domains[(h >> 8) % len(domains)]}"'
                )
            append(f'{combo.json_head}{mail}{combo.json_mid}{oid}{upn_mid}{oid}"}}'.encode())
        return out

    def methods(self, i: int) -> dict[str, Any]:
        """Authentication methods of ordinal ``i``: phones by type, email, software OATH."""
        h = self.hash(i ^ 0x2545F491)
        combo = self.combo(i)
        cc = CALLING_CODES.get(combo.country, "1")
        sep = "" if (h >> 48) % 100 < 15 else " "  # some tenants stored numbers without the space

        def number(salt: int) -> str:
            digits = f"{(self.hash(i * 3 + salt) % 9_000_000_000) + 1_000_000_000}"
            if cc == "1":
                digits = f"{digits[:3]}555{digits[6:]}"
            return f"+{cc}{sep}{digits}"

        phones: dict[str, str] = {}
        if h % 100 < 45:
            phones["mobile"] = number(1)
            if (h >> 8) % 100 < 15:
                phones["alternateMobile"] = number(2)
        if (h >> 16) % 100 < 8:
            phones["office"] = number(3)
        kind = self.kind(self.hash30(i))
        email = None
        if (kind == "username" and (h >> 24) % 100 < 70) or (h >> 24) % 100 < 12:
            email = self.email(i, self.hash30(i))
        oath = []
        if (h >> 32) % 100 < 10:
            w = f"{self.hash(i ^ 0xA5A5):016x}{self.hash(i ^ 0x5A5A):016x}"
            oath.append(f"{w[:8]}-{w[8:12]}-{w[12:16]}-{w[16:20]}-{w[20:32]}")
        return {"phones": phones, "email": email, "oath": oath}


def _ident(sign_in_type: str, issuer: str, assigned: str) -> dict[str, str]:
    return {"signInType": sign_in_type, "issuer": issuer, "issuerAssignedId": assigned}
