"""Fault injection: latency, injected 429/503 answers, dropped connections.

Knobs are plain attributes, settable at creation (``create_emulator(latency=0.05)``) and at
runtime (``emulator.faults.rate_429 = 0.2``). A path filter (prefix such as ``/users`` or a
compiled regex) restricts every knob but latency-free paths alike. Randomness comes from a
seeded RNG, so a test run is reproducible.

Dropping a connection means different things per transport: served by uvicorn, the emulator
closes the socket without answering (or after part of the body); in process (httpx
``ASGITransport``) it raises ``httpx.RemoteProtocolError`` so the client sees the same error
class it gets from a real dropped connection.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .http import GraphError, Response


class DroppedConnection(Exception):
    """Raised in process when the emulator 'drops' the connection."""


@dataclass
class Faults:
    """Fault knobs (all off by default)."""

    latency: float = 0.0  #: seconds added to every matching request (async sleep)
    rate_429: float = 0.0  #: probability of an injected 429 TooManyRequests
    retry_after_429: float = 1.0  #: its Retry-After (seconds)
    rate_503: float = 0.0  #: probability of an injected 503 ServiceUnavailable
    retry_after_503: float | None = None  #: Retry-After on the 503, or none
    drop_rate: float = 0.0  #: probability of closing the connection without an answer
    drop_nth: set[int] = field(default_factory=set)  #: drop these matching requests (1-based)
    drop_mid_body: bool = False  #: drops send headers and half the body first
    path: str | re.Pattern[str] | None = None  #: only requests whose Graph path matches
    seed: int = 0
    count: int = 0  #: matching requests seen so far
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(f"faults:{self.seed}")
        if isinstance(self.drop_nth, int):
            self.drop_nth = {self.drop_nth}

    def configure(self, **knobs: Any) -> None:
        """Set several knobs at once (unknown names raise)."""
        for name, value in knobs.items():
            if not hasattr(self, name) or name.startswith("_"):
                raise AttributeError(f"unknown fault knob {name!r}")
            if name == "drop_nth" and isinstance(value, int):
                value = {value}
            setattr(self, name, value)
        if "seed" in knobs:
            self._rng = random.Random(f"faults:{self.seed}")

    def reset(self) -> None:
        """Turn every fault off and reset the request counter."""
        self.configure(
            latency=0.0,
            rate_429=0.0,
            rate_503=0.0,
            drop_rate=0.0,
            drop_nth=set(),
            drop_mid_body=False,
            path=None,
            retry_after_503=None,
        )
        self.count = 0

    @property
    def active(self) -> bool:
        """True when any knob is on (lets the app skip this module entirely)."""
        return bool(
            self.latency or self.rate_429 or self.rate_503 or self.drop_rate or self.drop_nth
        )

    def matches(self, path: str) -> bool:
        """Whether the knobs apply to a request for ``path`` (``/v1.0/users/...``)."""
        if self.path is None:
            return True
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        bare = path.split("/", 2)[-1] if path.startswith(("/v1.0/", "/beta/")) else path
        return ("/" + bare.lower()).startswith(self.path.lower()) or path.lower().startswith(
            self.path.lower()
        )

    async def before(self, path: str) -> tuple[str | None, Response | None]:
        """Apply latency and decide a fault: ('drop'|'mid', None), (None, response) or nothing."""
        if not self.matches(path):
            return None, None
        self.count += 1
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        if self.count in self.drop_nth or (self.drop_rate and self._rng.random() < self.drop_rate):
            return ("mid" if self.drop_mid_body else "drop"), None
        return None, self.refusal()

    def inner(self, path: str) -> Response | None:
        """The injected 429 or 503 for a request inside a ``$batch`` (each is throttled on
        its own, as Graph's are); no latency or drops there, those hit the whole batch."""
        return self.refusal() if self.matches(path) else None

    def refusal(self) -> Response | None:
        """An injected 429 or 503, drawn at the knobs' rates, or None."""
        if self.rate_429 and self._rng.random() < self.rate_429:
            return GraphError(
                429,
                "TooManyRequests",
                "Please retry again later.",
                headers={"Retry-After": _num(self.retry_after_429)},
            ).response()
        if self.rate_503 and self._rng.random() < self.rate_503:
            headers = {}
            if self.retry_after_503 is not None:
                headers["Retry-After"] = _num(self.retry_after_503)
            return GraphError(
                503,
                "serviceNotAvailable",
                "The service is temporarily unavailable.",
                headers=headers,
            ).response()
        return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


async def drop(send: Callable[..., Any], response: Response | None, *, mid_body: bool) -> None:
    """Drop the connection: close uvicorn's transport, or raise for in-process clients."""
    cycle: Any = getattr(send, "__self__", None)  # uvicorn's RequestResponseCycle if served
    transport = getattr(cycle, "transport", None)
    if mid_body and response is not None:
        half = response.body[: max(1, len(response.body) // 2)]
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": response.raw_headers(),
            }
        )
        await send({"type": "http.response.body", "body": half, "more_body": True})
    if transport is not None:
        transport.close()
        if hasattr(cycle, "disconnected"):
            cycle.disconnected = True  # the drop is deliberate: no "returned without response" log
        return
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx is a dependency
        raise DroppedConnection("connection dropped by fault injection") from None
    if mid_body:
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body (fault injection)"
        )
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
