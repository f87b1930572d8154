"""An application's secrets and certificates as an admin reads them: what they are, when they
end, and which need attention. Only metadata: Graph never returns a secret's value after it
was added (its ``hint`` is the first three characters, shown masked)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ....frames._values import aware_time

#: A credential ending within this many days is marked (as the tenant dashboard does).
EXPIRING_DAYS = 30
EXPIRING = "⚠"
EXPIRED = "✗"


@dataclass(frozen=True)
class Credential:
    """One secret or certificate of an application (metadata only)."""

    kind: str  # "secret" or "certificate"
    name: str
    key_id: str
    start: datetime | None
    end: datetime | None
    hint: str = ""

    def days_left(self, now: datetime) -> int | None:
        """Whole days until it ends (negative once it has), ``None`` if it never does."""
        if self.end is None:
            return None
        return math.floor((self.end - now).total_seconds() / 86400)

    def status(self, now: datetime) -> str:
        """``✗ expired 5 days ago``, ``⚠ expires in 12 days``, ``ok`` or ``no expiry``."""
        days = self.days_left(now)
        if days is None:
            return "no expiry"
        if days < 0:
            return f"{EXPIRED} expired {_days(-days)} ago"
        if days <= EXPIRING_DAYS:
            return f"{EXPIRING} expires in {_days(days)}"
        return "ok"

    @property
    def masked_hint(self) -> str:
        """The hint as the portal shows it (never more than Graph's three characters)."""
        return f"{self.hint[:3]}•••" if self.hint else ""


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def credentials(record: Mapping[str, Any]) -> list[Credential]:
    """The secrets then the certificates of an application record, each soonest-ending
    first."""
    out: list[Credential] = []
    for prop, kind in (("passwordCredentials", "secret"), ("keyCredentials", "certificate")):
        items = [Credential(kind, str(c.get("displayName") or ""), str(c.get("keyId") or ""),
                            aware_time(c.get("startDateTime")), aware_time(c.get("endDateTime")),
                            str(c.get("hint") or "") if kind == "secret" else "")
                 for c in record.get(prop) or () if isinstance(c, Mapping)]
        far = datetime.max.replace(tzinfo=UTC)
        out.extend(sorted(items, key=lambda c: c.end or far))
    return out


def summary(record: Mapping[str, Any], now: datetime) -> str:
    """The list's one-cell summary: the credential that needs attention first (marked), else
    how many there are ("2 secrets · 1 certificate"), else nothing."""
    found = credentials(record)
    if not found:
        return ""
    flagged = [c for c in found if c.status(now)[:1] in (EXPIRED, EXPIRING)]
    if flagged:
        first = min(flagged, key=lambda c: c.days_left(now) or 0)
        days = first.days_left(now) or 0
        if days < 0:
            return f"{EXPIRED} {first.kind} ended {_days(-days)} ago"
        return f"{EXPIRING} {first.kind} ends in {_days(days)}"
    secrets = sum(c.kind == "secret" for c in found)
    certs = len(found) - secrets
    parts = [f"{secrets} secret{'s' * (secrets != 1)}" if secrets else "",
             f"{certs} certificate{'s' * (certs != 1)}" if certs else ""]
    return " · ".join(p for p in parts if p)
