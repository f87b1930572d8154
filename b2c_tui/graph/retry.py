"""Retry policy: which answers are retried, how long to wait, and when to give up.

Graph asks clients to honour ``Retry-After`` on 429 (and sometimes 503/504), which may be
fractional seconds or an HTTP date; without it we back off exponentially with full jitter.
Retries are bounded both in attempts and in total time so that a storm ends in a typed error
rather than a hang.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field

RETRY_STATUSES = frozenset({429, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds for retrying throttled, unavailable and dropped requests."""

    max_attempts: int = 8
    """Total attempts per request, the first included."""
    max_total_seconds: float = 120.0
    """Never start a wait that would end later than this after the first attempt."""
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0
    """A Retry-After larger than this is treated as "give up now"."""
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (1-based) when the server gave no hint."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        # "Equal jitter": never zero, never more than the ceiling.
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


NO_RETRY = RetryPolicy(max_attempts=1, max_total_seconds=0.0)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds (fractional ok) or HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return 0.0
    return seconds
