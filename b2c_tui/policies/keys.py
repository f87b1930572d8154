"""Policy keys: the key listing and key health ("Popeye for B2C").

A listing row carries only public facts about a key: kid, use, kty, its validity window, days
to expiry, the X.509 thumbprint, and whether it is the keyset's active key (``getActiveKey``).
Secret members (``k``, ``d``, ``p``, ``q``, ``dp``, ``dq``, ``qi``) are never read from the
records, so nothing built from a row can show or export them.

Health rules (``rule``, severity):

- ``keyset-no-active-key`` (error): no key is valid now (empty, all expired, or only future
  keys); every policy that uses the keyset fails.
- ``keyset-missing`` (error): policies name it in ``StorageReferenceId`` but the tenant has no
  such keyset.
- ``key-expiring`` (warning): the active key expires within 30 days and no later key is there
  to take over.
- ``key-expired`` (warning): an expired key still in a keyset (harmless, but a sign of a
  rotation nobody finished; remove it once no token signed with it is still in use).
- ``keyset-unused`` (warning): no policy refers to it (only when the policies were read).

B2C picks the active key of a keyset as follows (policy keys overview, "Key rollover"): among
the keys valid now (``nbf`` passed, ``exp`` not), the one activated last; a key without ``nbf``
counts as activated earliest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..graph.errors import NotFoundError
from .model import Policy, SymbolKind

if TYPE_CHECKING:
    from ..graph.client import GraphClient

EXPIRY_WARNING_DAYS = 30
DAY = 86_400
#: the only key members b2c-tui reads (all public)
PUBLIC_MEMBERS = ("kid", "use", "kty", "nbf", "exp", "x5t")
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class KeyRow:
    """One key of a keyset (or a keyset with no keys: ``kid`` is ``None``)."""

    keyset_id: str
    kid: str | None
    use: str | None
    kty: str | None
    nbf: datetime | None
    exp: datetime | None
    days_to_expiry: int | None  # negative once expired; None when it never expires
    active: bool
    status: str  # active | valid | not yet valid | expired | no keys
    thumbprint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "keyset": self.keyset_id, "kid": self.kid, "use": self.use, "kty": self.kty,
            "nbf": self.nbf.isoformat() if self.nbf else None,
            "exp": self.exp.isoformat() if self.exp else None,
            "days_to_expiry": self.days_to_expiry, "active": self.active,
            "status": self.status, "thumbprint": self.thumbprint,
        }


@dataclass(frozen=True)
class HealthProblem:
    """A key-health finding."""

    rule: str
    severity: str
    keyset_id: str
    message: str
    kid: str | None = None
    policies: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "keyset": self.keyset_id,
                "kid": self.kid, "message": self.message, "policies": list(self.policies)}


@dataclass
class KeyReport:
    """Keysets as read from the tenant: public key facts, active kids, health."""

    keysets: list[dict[str, Any]]
    active: dict[str, str | None]
    now: datetime
    rows: list[KeyRow] = field(default_factory=list)
    problems: list[HealthProblem] = field(default_factory=list)
    #: keyset id -> ids of the policies that reference it (``None``: policies not read)
    references: dict[str, list[str]] | None = None


def public_key(record: Mapping[str, Any]) -> dict[str, Any]:
    """Only the public members of a key record (see :data:`PUBLIC_MEMBERS`)."""
    return {k: record[k] for k in PUBLIC_MEMBERS if record.get(k) is not None}


def key_time(value: Any) -> datetime | None:
    """A key's ``nbf``/``exp`` (seconds since the epoch) as a UTC datetime; ``None`` if absent."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return datetime.fromtimestamp(value, UTC)


def _is_valid(key: Mapping[str, Any], now: int) -> bool:
    nbf, exp = key.get("nbf"), key.get("exp")
    return (not isinstance(nbf, (int, float)) or nbf <= now) and (
        not isinstance(exp, (int, float)) or now < exp)


def expected_active(keys: Sequence[Mapping[str, Any]], now: datetime) -> Mapping[str, Any] | None:
    """The key B2C would use now (see the module docs), or ``None``."""
    stamp = int(now.timestamp())
    valid = [k for k in keys if _is_valid(k, stamp)]
    if not valid:
        return None
    return max(reversed(valid), key=lambda k: k.get("nbf") if isinstance(
        k.get("nbf"), (int, float)) else -1)


def key_rows(keysets: Iterable[Mapping[str, Any]], active: Mapping[str, str | None],
             now: datetime) -> list[KeyRow]:
    """Listing rows, keysets in id order, keys as the tenant lists them. ``active`` maps a
    keyset to the kid ``getActiveKey`` answered; for a keyset left out, B2C's rule decides."""
    stamp = int(now.timestamp())
    rows: list[KeyRow] = []
    for keyset in sorted(keysets, key=lambda k: str(k.get("id", "")).lower()):
        keys = [public_key(k) for k in keyset.get("keys") or [] if isinstance(k, Mapping)]
        if str(keyset.get("id")) in active:
            kid_active = active[str(keyset.get("id"))]
        else:
            expected = expected_active(keys, now)
            kid_active = expected.get("kid") if expected else None
        if not keys:
            rows.append(KeyRow(str(keyset.get("id")), None, None, None, None, None, None,
                               False, "no keys"))
            continue
        for key in keys:
            nbf, exp = key.get("nbf"), key.get("exp")
            days = None if not isinstance(exp, (int, float)) else int((exp - stamp) // DAY)
            is_active = kid_active is not None and key.get("kid") == kid_active
            if is_active:
                status = "active"
            elif isinstance(exp, (int, float)) and exp <= stamp:
                status = "expired"
            elif isinstance(nbf, (int, float)) and nbf > stamp:
                status = "not yet valid"
            else:
                status = "valid"
            rows.append(KeyRow(str(keyset.get("id")), key.get("kid"), key.get("use"),
                               key.get("kty"), key_time(nbf), key_time(exp), days, is_active,
                               status, key.get("x5t")))
    return rows


def keyset_references(policies: Iterable[Policy]) -> dict[str, list[str]]:
    """Keyset id (as the first policy spells it) -> the policies whose ``StorageReferenceId``
    names it (ids compare case-insensitively)."""
    out: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for policy in policies:
        for ref in policy.references:
            if ref.kind is SymbolKind.KEYSET:
                name = spelling.setdefault(ref.id.lower(), ref.id)
                users = out.setdefault(name, [])
                if policy.policy_id not in users:
                    users.append(policy.policy_id)
    return out


def policies_text(users: Sequence[str]) -> str:
    return ", ".join(users) if users else "no policy"


def key_health(keysets: Sequence[Mapping[str, Any]], active: Mapping[str, str | None],
               now: datetime, references: Mapping[str, Sequence[str]] | None = None,
               *, warn_days: int = EXPIRY_WARNING_DAYS) -> list[HealthProblem]:
    """The health findings (see the module docs). ``active`` maps keyset ids to the kid
    ``getActiveKey`` answered (``None``: it has none; a keyset left out is judged by B2C's
    rule from its keys). ``references`` (from :func:`keyset_references`) enables the
    missing and unused checks."""
    stamp = int(now.timestamp())
    problems: list[HealthProblem] = []
    refs = {k.lower(): (k, tuple(v)) for k, v in (references or {}).items()}
    known = {str(k.get("id", "")).lower() for k in keysets}
    for keyset in keysets:
        keyset_id = str(keyset.get("id"))
        keys = [public_key(k) for k in keyset.get("keys") or [] if isinstance(k, Mapping)]
        users = refs.get(keyset_id.lower(), ("", ()))[1]
        current: Mapping[str, Any] | None
        if keyset_id in active:
            current = next((k for k in keys if k.get("kid") == active[keyset_id]), None)
        else:
            current = expected_active(keys, now)
        problems += _keyset_health(keyset_id, keys, current, stamp, warn_days, users)
        if references is not None and not users:
            problems.append(HealthProblem(
                "keyset-unused", WARNING, keyset_id,
                f"{keyset_id}: no policy refers to this keyset; delete it if nothing else "
                "needs it."))
    for key, (name, users) in refs.items():
        if key not in known:
            problems.append(HealthProblem(
                "keyset-missing", ERROR, name,
                f"{name}: policies refer to this keyset but the tenant has none "
                f"({policies_text(users)}); create it before uploading them.",
                policies=users))
    order = {ERROR: 0, WARNING: 1}
    return sorted(problems, key=lambda p: (order.get(p.severity, 2), p.keyset_id.lower()))


def _keyset_health(keyset_id: str, keys: list[dict[str, Any]],
                   current: Mapping[str, Any] | None, stamp: int, warn_days: int,
                   users: tuple[str, ...]) -> list[HealthProblem]:
    out: list[HealthProblem] = []
    used_by = f" (used by {policies_text(users)})" if users else ""
    if current is None:
        why = "it has no keys" if not keys else "none of its keys is valid now"
        out.append(HealthProblem(
            "keyset-no-active-key", ERROR, keyset_id,
            f"{keyset_id}: no active key, {why}{used_by}; sign-ins that need it fail.",
            policies=users))
    else:
        exp = current.get("exp")
        if isinstance(exp, (int, float)) and exp - stamp < warn_days * DAY and not any(
                _follows(k, exp) for k in keys if k.get("kid") != current.get("kid")):
            days = max(0, int((exp - stamp) // DAY))
            out.append(HealthProblem(
                "key-expiring", WARNING, keyset_id,
                f"{keyset_id}: the active key expires in {days} day(s) "
                f"({_date(exp)}) and no key is lined up to follow it{used_by}; plan a "
                "rotation.", kid=current.get("kid"), policies=users))
    for key in keys if current is not None else ():  # with none active, the error says it all
        exp = key.get("exp")
        if isinstance(exp, (int, float)) and exp <= stamp and key is not current:
            out.append(HealthProblem(
                "key-expired", WARNING, keyset_id,
                f"{keyset_id}: key {key.get('kid')} expired on {_date(exp)}; remove it once "
                "no token signed with it is still in use.", kid=key.get("kid")))
    return out


def _follows(key: Mapping[str, Any], exp: float) -> bool:
    """A key that is still valid after ``exp`` (a successor)."""
    end = key.get("exp")
    return not isinstance(end, (int, float)) or end > exp


def _date(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")


async def active_kids(client: GraphClient, keyset_ids: Iterable[str]) -> dict[str, str | None]:
    """``getActiveKey`` of each keyset (``None`` where Graph says it has none)."""
    limit = asyncio.Semaphore(4)
    out: dict[str, str | None] = {}

    async def one(keyset_id: str) -> None:
        async with limit:
            try:
                record = await client.keysets.get_active_key(keyset_id)
            except NotFoundError:
                out[keyset_id] = None
                return
            out[keyset_id] = public_key(record).get("kid")

    await asyncio.gather(*(one(k) for k in keyset_ids))
    return out


async def load_key_report(client: GraphClient, *, now: datetime | None = None,
                          policies: Sequence[Policy] | None = None,
                          warn_days: int = EXPIRY_WARNING_DAYS) -> KeyReport:
    """Read the keysets and their active keys; with ``policies`` (the tenant's, parsed) the
    health report also covers missing and unused keysets."""
    moment = now or datetime.now(UTC)
    records = await client.keysets.list(prefetch=False).collect()
    keysets = [{"id": r.get("id"), "keys": [public_key(k) for k in r.get("keys") or []
                                             if isinstance(k, Mapping)]} for r in records]
    active = await active_kids(client, [str(k["id"]) for k in keysets])
    references = keyset_references(policies) if policies is not None else None
    report = KeyReport(keysets, active, moment)
    report.rows = key_rows(keysets, active, moment)
    report.problems = key_health(keysets, active, moment, references, warn_days=warn_days)
    report.references = references
    return report
