"""Injectable clocks and seeded ids: the emulator never reads the wall clock directly, and the
ids of the tenant it generates come from its seed.

A clock is any zero-argument callable returning an aware UTC ``datetime``. Tests use
:class:`ManualClock` to move time (30-day deleted-item expiry, throttling windows) without
sleeping. :func:`seeded_uuid` makes object, key and correlation ids from a seeded random.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]

#: Where the demo tenant's generated history ends when no clock is given is "now"; generated
#: timestamps are placed relative to the clock's time at creation.
DEFAULT_EPOCH = datetime(2025, 1, 15, 9, 30, 0, tzinfo=UTC)


def system_clock() -> datetime:
    """The real time (UTC)."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to.

    >>> clock = ManualClock()
    >>> clock.advance(days=31)
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or DEFAULT_EPOCH
        if self._now.tzinfo is None:
            self._now = self._now.replace(tzinfo=UTC)

    def __call__(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        """Move forward by ``seconds`` plus any ``timedelta`` keyword (days=, minutes=...)."""
        self._now = self._now + timedelta(seconds=seconds, **kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``."""
        self._now = when if when.tzinfo else when.replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    """Graph's DateTimeOffset text for most resources: ``2024-01-05T10:20:30Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso7(dt: datetime) -> str:
    """Graph's 7-digit fractional form (audit logs): ``2018-01-09T21:20:02.7215374Z``."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}0Z"


def parse_iso(text: str) -> datetime:
    """Parse an OData DateTimeOffset literal (``Z`` or offset, up to 7 fractional digits)."""
    t = text.strip()
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    if "." in t:
        head, _, rest = t.partition(".")
        frac = ""
        i = 0
        while i < len(rest) and rest[i].isdigit():
            frac += rest[i]
            i += 1
        t = f"{head}.{(frac + '000000')[:6]}{rest[i:]}"
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng`` (the same seed gives the same ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
