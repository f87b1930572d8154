"""The demo tenant's audit history: entries of the seven days before the tenant was made,
each derived from (seed, index) when it is read, so a tenant can hold 100,000 of them without
building any up front.

Entry ``k`` has a time that grows with ``k`` (a daily rhythm: few sign-ins at night, most in
the evening, UTC) and a *kind* drawn from :data:`KINDS`: B2C's own categories (Authentication,
Authorization, Key, Resource, Application, Directory; ``loggedByService`` B2C) and the Core
Directory's (UserManagement, ApplicationManagement), about one in fourteen a failure, started
by users (the tenant's admins, or a user resetting their own password) or by apps (the
tenant's relying parties, B2C itself). Targets are the tenant's own users, apps, policies,
keysets and identity providers, with modified properties (old -> new) where a change has them.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..clock import iso7
from .audit_log import WINDOW, micros, target

if TYPE_CHECKING:
    from ..store import Store

HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US
M64 = (1 << 64) - 1
#: Relative activity per UTC hour of the day (night lull, evening peak).
HOURLY = (3, 2, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 11, 11, 10, 10, 11, 13, 15, 16, 15, 12, 8, 5)
_CUMULATIVE = [sum(HOURLY[:h]) for h in range(25)]
_DAY_WEIGHT = _CUMULATIVE[-1]
B2C_SERVICE_APP = {
    "appId": "00000000-0000-0000-0000-000000000000",
    "displayName": "Azure AD B2C",
    "servicePrincipalId": None,
    "servicePrincipalName": None,
}
#: Documentation address ranges (RFC 5737, RFC 3849): never a real client's address.
_NETWORKS = ("192.0.2.", "198.51.100.", "203.0.113.")
_BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari",
)


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of audit entry: what happened, who did it, to what."""

    weight: int
    category: str
    activity: str
    service: str
    operation: str
    #: "user" (a generated user), "admin" (one of the tenant's admins), "self" (the target
    #: user), "app" (a relying party), "b2c" (B2C itself)
    initiator: str
    #: "user", "app", "policy", "keyset", "idp", "flow"
    target: str
    reason: str = ""  # a failure's resultReason ("" for a success)
    change: str = ""  # the modified property: "name", "redirect", "keys", "secret", "idp"


KINDS: tuple[Kind, ...] = (
    Kind(300, "Authentication", "Issue an id_token to the application", "B2C", "Other", "app",
         "user"),
    Kind(100, "Authentication", "Issue an access token to the application", "B2C", "Other", "app",
         "user"),
    Kind(60, "Authentication", "Issue an authorization code to the application", "B2C", "Other",
         "app", "user"),
    Kind(45, "Authentication", "Validate user credentials", "B2C", "Other", "app", "user",
         reason="AADB2C90054: Invalid username or password."),
    Kind(12, "Authentication", "Issue an id_token to the application", "B2C", "Other", "app",
         "user", reason="AADB2C90118: The user has forgotten their password."),
    Kind(8, "Authentication", "Verify phone number", "B2C", "Other", "app", "user",
         reason="AADB2C90151: User has exceeded the maximum number for retries for "
         "multi-factor authentication."),
    Kind(5, "Authentication", "Federate with an identity provider", "B2C", "Other", "app", "user",
         reason="AADB2C90273: An invalid response was received from the identity provider."),
    Kind(100, "UserManagement", "Add user", "Core Directory", "Add", "b2c", "user"),
    Kind(40, "UserManagement", "Update user", "Core Directory", "Update", "self", "user",
         change="name"),
    Kind(10, "UserManagement", "Update user", "Core Directory", "Update", "admin", "user",
         change="name"),
    Kind(25, "UserManagement", "Reset password (self-service)", "Self-service Password Management",
         "Update", "self", "user"),
    Kind(6, "UserManagement", "Reset password (self-service)", "Self-service Password Management",
         "Update", "self", "user", reason="User entered an incorrect verification code."),
    Kind(5, "UserManagement", "Delete user", "Core Directory", "Delete", "admin", "user"),
    Kind(30, "Authorization", "Get B2C policies", "B2C", "Other", "admin", "policy"),
    Kind(15, "Authorization", "Get identity providers", "B2C", "Other", "admin", "idp"),
    Kind(6, "Authorization", "Get key containers", "B2C", "Other", "user", "keyset",
         reason="Insufficient privileges to complete the operation."),
    Kind(10, "Directory", "Get tenant information", "B2C", "Other", "admin", "user"),
    Kind(20, "Key", "Get key container active key", "B2C", "Other", "b2c", "keyset"),
    Kind(5, "Key", "Create or update key container", "B2C", "Update", "admin", "keyset",
         change="keys"),
    Kind(3, "Key", "Restore key container", "B2C", "Other", "admin", "keyset"),
    Kind(12, "Resource", "Create or update custom policy", "B2C", "Update", "admin", "policy"),
    Kind(3, "Resource", "Create or update custom policy", "B2C", "Update", "admin", "policy",
         reason="AADB2C: The policy being uploaded is not XML or is not correctly formatted."),
    Kind(4, "Resource", "Update identity provider", "B2C", "Update", "admin", "idp", change="idp"),
    Kind(3, "Resource", "Create user flow", "B2C", "Add", "admin", "flow"),
    Kind(6, "Application", "Get application", "B2C", "Other", "admin", "app"),
    Kind(5, "ApplicationManagement", "Update application", "Core Directory", "Update", "admin",
         "app", change="redirect"),
    Kind(3, "ApplicationManagement", "Update application – Certificates and secrets management",
         "Core Directory", "Update", "admin", "app", change="secret"),
)  # fmt: skip
_ID_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_THRESHOLDS = [sum(k.weight for k in KINDS[: i + 1]) for i in range(len(KINDS))]
_TOTAL = _THRESHOLDS[-1]


def _mix(x: int) -> int:
    """splitmix64's finalizer: 64 well-mixed bits."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def _weight_at(micros: float) -> float:
    """Cumulative activity weight from the epoch to ``micros`` (monotonic)."""
    day, rest = divmod(micros, DAY_US)
    hour = int(rest // HOUR_US)
    return day * _DAY_WEIGHT + _CUMULATIVE[hour] + HOURLY[hour] * (rest - hour * HOUR_US) / HOUR_US


def _micros_at(weight: float) -> float:
    """Inverse of :func:`_weight_at`."""
    day, rest = divmod(weight, _DAY_WEIGHT)
    hour = bisect.bisect_right(_CUMULATIVE, rest) - 1
    return day * DAY_US + hour * HOUR_US + (rest - _CUMULATIVE[hour]) / HOURLY[hour] * HOUR_US


class AuditHistory:
    """``count`` generated entries over the :data:`WINDOW` before ``store.anchor``."""

    def __init__(self, store: Store, count: int) -> None:
        self.store = store
        self.count = count if store.users.base_count else 0
        self._salt = _mix(store.seed * 0x2545F491 + 0xA0D17)
        end = micros(store.anchor)
        self._w0 = _weight_at(end - WINDOW / timedelta(microseconds=1))
        self._per_entry = (_weight_at(end) - self._w0) / max(self.count, 1)
        self._end = end

    # -- times -----------------------------------------------------------------------------
    def _hash(self, k: int, lane: int = 0) -> int:
        return _mix(self._salt ^ (k * 4 + lane))

    def time_of(self, k: int) -> int:
        """Entry ``k``'s time in microseconds (increasing with ``k``, before the anchor)."""
        jitter = (self._hash(k) >> 11) / (1 << 53)
        return min(int(_micros_at(self._w0 + (k + jitter) * self._per_entry)), self._end - 1)

    def first_at_or_after(self, when_us: int) -> int:
        """The smallest ``k`` whose time is at or after ``when_us`` (``count`` if none)."""
        guess = int((_weight_at(when_us) - self._w0) / self._per_entry) if self.count else 0
        k = min(max(guess - 1, 0), self.count)
        while k > 0 and self.time_of(k - 1) >= when_us:
            k -= 1
        while k < self.count and self.time_of(k) < when_us:
            k += 1
        return k

    # -- entries ---------------------------------------------------------------------------
    def kind_of(self, k: int) -> Kind:
        """The kind of entry ``k``."""
        return KINDS[bisect.bisect_right(_THRESHOLDS, self._hash(k, 1) % _TOTAL)]

    def skeleton(self, k: int, kind: Kind | None = None) -> dict[str, Any]:
        """The fields of entry ``k`` that its kind and time fix (cheap: for filters)."""
        kind = kind or self.kind_of(k)
        return {
            "category": kind.category,
            "result": "failure" if kind.reason else "success",
            "activityDisplayName": kind.activity,
            "activityDateTime": iso7(_at(self.time_of(k))),
            "loggedByService": kind.service,
            "operationType": kind.operation,
        }

    def entry_id(self, k: int, kind: Kind | None = None) -> str:
        """An id like B2C's (``B2C_DQO3J_4984536``) from which :meth:`index_of` finds ``k``."""
        h = self._hash(k, 2)
        code = "".join(_ID_LETTERS[(h >> (6 * i)) % 36] for i in range(5))
        prefix = "B2C" if (kind or self.kind_of(k)).service == "B2C" else "Directory"
        return f"{prefix}_{code}_{k * 7919 + 104729}"

    def index_of(self, entry_id: str) -> int | None:
        """The ``k`` of a generated entry id (None when it is not one)."""
        number = entry_id.rsplit("_", 1)[-1]
        if not number.isdigit() or (int(number) - 104729) % 7919:
            return None
        k = (int(number) - 104729) // 7919
        if not 0 <= k < self.count or self.entry_id(k).lower() != entry_id.lower():
            return None
        return k

    @cached_property
    def cast(self) -> _Cast:
        """Who and what the history is about (taken from the tenant when first read)."""
        return _Cast(self.store)

    def entry(self, k: int) -> dict[str, Any]:
        """Entry ``k`` in full."""
        kind = self.kind_of(k)
        h = self._hash(k, 3)
        subject = _Subject(self.cast, h)
        skeleton = self.skeleton(k, kind)
        return {
            "id": self.entry_id(k, kind),
            "category": kind.category,
            "correlationId": str(uuid.UUID(int=(h << 64) | self._hash(k, 4), version=4)),
            "result": skeleton["result"],
            "resultReason": kind.reason,
            "activityDisplayName": kind.activity,
            "activityDateTime": skeleton["activityDateTime"],
            "loggedByService": kind.service,
            "operationType": kind.operation,
            "initiatedBy": subject.initiator(kind),
            "targetResources": [subject.target(kind)],
            "additionalDetails": subject.details(kind),
        }


def _at(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def _relying_party(app: dict[str, Any]) -> bool:
    """An app users sign in to: consumers' audience and somewhere to send them back."""
    redirects = (app.get("web") or {}).get("redirectUris") or (
        app.get("publicClient") or {}
    ).get("redirectUris")
    return bool(redirects) and app.get("signInAudience") != "AzureADMyOrg"


class _Cast:
    """The tenant's actors and objects the history draws on."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.gen = store.users.gen
        self.users = store.users.base_count
        apps = store.apps
        self.apps = [
            {"appId": a["appId"], "displayName": a["displayName"],
             "servicePrincipalId": (apps.sp_by_app_id(a["appId"]) or {}).get("id"),
             "servicePrincipalName": a["appId"]}
            for a in apps.apps.values() if _relying_party(a)
        ] or [dict(B2C_SERVICE_APP)]
        self.admins = [
            {"id": rec["id"], "displayName": rec["displayName"],
             "userPrincipalName": rec["userPrincipalName"]}
            for n in range(min(3, self.users)) if (rec := store.users.overlay.get(n))
        ]
        identity = store.identity
        self.names = {
            "policy": list(identity.policies),
            "keyset": list(identity.keysets),
            "idp": list(identity.identity_providers),
            "flow": list(identity.b2c_user_flows),
        }
        self.flows = [*identity.b2c_user_flows, "B2C_1A_signup_signin"]
        self.tenant_id = store.tenant_id
        self.tenant_name = store.tenant_name

    def user(self, ordinal: int) -> dict[str, Any]:
        """A generated user's id, name and sign-in name."""
        oid = self.gen.make_id(ordinal)
        return {"id": oid, "displayName": self.gen.combo(ordinal).display,
                "userPrincipalName": f"{oid}@{self.gen.domain}"}


class _Subject:
    """Who and what one generated entry is about, drawn from its hash bits."""

    def __init__(self, cast: _Cast, h: int) -> None:
        self.cast = cast
        self.h = h
        self.ordinal = (h >> 8) % max(cast.users, 1)

    def _bits(self, shift: int, modulo: int) -> int:
        return (self.h >> shift) % modulo

    def _ip(self) -> str:
        return f"{_NETWORKS[self._bits(40, 3)]}{1 + self._bits(44, 254)}"

    def _app(self) -> dict[str, Any]:
        apps = self.cast.apps
        return dict(apps[self._bits(48, len(apps))])

    def initiator(self, kind: Kind) -> dict[str, Any]:
        """``initiatedBy``: a user (with the address they came from) or an app."""
        cast, who = self.cast, kind.initiator
        if who == "admin" and cast.admins:
            person = cast.admins[self._bits(56, len(cast.admins))]
        elif who in ("user", "self"):
            person = cast.user(self.ordinal if who == "self" else self._bits(20, cast.users))
        else:
            return {"app": dict(B2C_SERVICE_APP) if who == "b2c" else self._app(), "user": None}
        user = {**person, "ipAddress": self._ip(), "userType": None, "homeTenantId": None,
                "homeTenantName": None}
        return {"app": None, "user": user}

    def target(self, kind: Kind) -> dict[str, Any]:
        """The one ``targetResources`` item, with what changed."""
        modified: dict[str, tuple[Any, Any]] | None = None
        if kind.target == "user":
            user = self.cast.user(self.ordinal)
            if kind.change == "name":
                old = user["displayName"]
                modified = {"DisplayName": (old, old.title() if old != old.title()
                                            else old.split()[0])}
            return target(user["id"], user["displayName"], "User",
                          user_principal_name=user["userPrincipalName"], modified=modified)
        if kind.target == "app":
            app = self._app()
            if kind.change == "redirect":
                modified = {"AppAddress": (None, f"https://app{self._bits(8, 90) + 10}."
                                           f"{self.cast.tenant_name}.example/signin-oidc")}
            elif kind.change == "secret":
                modified = {"KeyDescription": (None, f"[KeyIdentifier={uuid.UUID(int=self.h)}]")}
            return target(app["servicePrincipalId"], app["displayName"], "Application",
                          modified=modified)
        names = self.cast.names[kind.target] or ["-"]
        name = names[self._bits(24, len(names))]
        if kind.change == "keys":
            modified = {"keys": (None, f"key {self._bits(32, 900) + 100}")}
        elif kind.change == "idp":
            modified = {"displayName": (name.split("-")[0], f"{name.split('-')[0]} sign-in")}
        kinds = {"policy": "Policy", "keyset": "KeySet", "idp": "IdentityProvider",
                 "flow": "UserFlow"}
        return target(name, name, kinds[kind.target], modified=modified)

    def details(self, kind: Kind) -> list[dict[str, str]]:
        """``additionalDetails``: for a sign-in, B2C's (policy, app, client, provider)."""
        tenant = {"key": "TenantId", "value": self.cast.tenant_id}
        if kind.category != "Authentication":
            return [tenant] if kind.service == "B2C" else []
        federated = ("facebook.com", "google.com")
        if kind.activity.startswith("Federate"):
            provider = federated[self._bits(36, 2)]
        elif kind.activity.startswith(("Validate", "Verify")):
            provider = "local"
        else:
            provider = ("local", "local", "local", *federated)[self._bits(36, 5)]
        flows = self.cast.flows
        return [
            tenant,
            {"key": "PolicyId", "value": flows[self._bits(28, len(flows))]},
            {"key": "ApplicationId", "value": self._app()["appId"]},
            {"key": "Client", "value": _BROWSERS[self._bits(32, len(_BROWSERS))]},
            {"key": "IdentityProviderName", "value": provider},
            {"key": "ClientIpAddress", "value": self._ip()},
        ]
