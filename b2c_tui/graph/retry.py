"""Retry policy: which answers are retried, how long to wait, when to give up, and who hears.

Graph asks clients to honour ``Retry-After`` on 429 (and sometimes 503/504), which may be
fractional seconds or an HTTP date; without it we back off exponentially with jitter. Retries
are bounded both in attempts and in total time so that a storm ends in a typed error rather
than a hang, and a connection that cannot be made at all (refused, unknown host) is given up
after a few seconds rather than the whole budget.

:class:`Retrier` is the one object that decides and performs those waits: the core uses it for
single requests and ``$batch`` for its throttled inner requests, and every wait is announced to
the listeners as a :class:`RetryEvent` (the status line shows them).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

__all__ = [
    "NO_RETRY",
    "RETRY_STATUSES",
    "CoreStats",
    "Retrier",
    "RetryEvent",
    "RetryListener",
    "RetryPolicy",
    "ThrottleEvent",
    "parse_retry_after",
]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 503, 504})
_STATUS_REASONS = {429: "throttled", 503: "service unavailable", 504: "gateway timeout"}


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
    max_connect_seconds: float = 4.0
    """A connection that cannot be made (refused, unknown host, timed out) is retried only
    while the waits since its first failure stay within this: the user hears about a wrong
    URL or a dead network in seconds, not after the whole budget."""
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


def status_reason(status: int) -> str:
    """``throttled (429)``, ``service unavailable (503)``..."""
    return f"{_STATUS_REASONS.get(status, 'Graph answered')} ({status})"


@dataclass
class RetryEvent:
    """Sent to listeners each time the client waits before trying a request again.

    ``status`` is Graph's answer (429, 503, 504) or ``None`` when no answer came (``reason``
    then says why: "connection refused", "host not found", "connection dropped"...);
    ``attempt`` is the attempt that just failed (1-based) and ``delay`` the wait in seconds.
    """

    status: int | None
    delay: float
    attempt: int
    method: str
    path: str
    reason: str = ""

    @property
    def throttled(self) -> bool:
        """Graph asked us to slow down (429)."""
        return self.status == 429

    @property
    def network(self) -> bool:
        """No answer came: the connection failed or dropped."""
        return self.status is None


# The name listeners have used since the first release; the event covers every retry.
ThrottleEvent = RetryEvent
RetryListener = Callable[[RetryEvent], None]


@dataclass
class CoreStats:
    """Counters the UI shows (requests in flight, throttling) and benchmarks read."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0
    in_flight: int = 0
    waited_seconds: float = 0.0
    last_throttle_at: float | None = None
    listeners: list[RetryListener] = field(default_factory=list)


class Retrier:
    """Decides whether another attempt fits the policy, and waits for it.

    One per client core, shared by single requests and ``$batch``: the counters in ``stats``
    and the listeners see every wait, whichever path made it.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        stats: CoreStats | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self.stats = stats if stats is not None else CoreStats()
        self._sleep = sleep
        self.clock = clock

    def add_listener(self, listener: RetryListener) -> None:
        """Call ``listener`` with a :class:`RetryEvent` before every wait."""
        self.stats.listeners.append(listener)

    def remove_listener(self, listener: RetryListener) -> None:
        """Stop calling ``listener`` (no error if it was not added)."""
        if listener in self.stats.listeners:
            self.stats.listeners.remove(listener)

    def backoff(self, attempt: int) -> float:
        """The policy's delay before retry number ``attempt`` when Graph gave no hint."""
        return self.policy.backoff(attempt)

    def may_retry(self, attempt: int, started: float, delay: float) -> bool:
        """Whether retry number ``attempt`` after ``delay`` seconds stays within the attempt and
        total-time bounds (``started``: the clock when the first attempt began)."""
        policy = self.policy
        if attempt >= policy.max_attempts:
            return False
        return (self.clock() - started) + delay <= policy.max_total_seconds

    def may_reconnect(self, attempt: int, started: float, first_failure: float,
                      delay: float) -> bool:
        """Like :meth:`may_retry`, for a connection that could not be made: also within
        ``max_connect_seconds`` of the first such failure."""
        if not self.may_retry(attempt, started, delay):
            return False
        return (self.clock() - first_failure) + delay <= self.policy.max_connect_seconds

    async def wait(self, event: RetryEvent) -> None:
        """Count the wait, tell the listeners, then sleep ``event.delay`` seconds."""
        stats = self.stats
        stats.retries += 1
        if event.status == 429:
            stats.throttled += 1
            stats.last_throttle_at = self.clock()
        stats.waited_seconds += event.delay
        for listener in list(stats.listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must never break a request
                log.exception("retry listener failed")
        await self._sleep(event.delay)
