"""What a failed connection means: may it be retried, and may the request have arrived?

httpx raises a family of transport errors; what matters to the core is whether the request
can have reached Graph (then a create may have happened and must not be resent blindly),
whether trying again can help (a certificate that is not trusted will not become trusted),
and a few plain words for the user ("connection refused", "host not found").
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import httpx

from .errors import NetworkError, OutcomeUnknownError

__all__ = ["TransportFailure", "classify", "network_error", "outcome_unknown"]

Kind = Literal["connect", "tls", "timeout", "dropped", "pool", "other"]


@dataclass(frozen=True)
class TransportFailure:
    """One failed attempt, reduced to what the retry loop and the messages need.

    ``may_have_arrived``: the request may have reached Graph (so its outcome is unknown);
    ``retryable``: another attempt can help; ``connect``: no connection could be made (these
    get the short ``max_connect_seconds`` budget).
    """

    kind: Kind
    reason: str
    may_have_arrived: bool
    retryable: bool

    @property
    def connect(self) -> bool:
        return self.kind == "connect"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _connect_reason(exc: BaseException) -> tuple[Kind, str]:
    for link in _chain(exc):
        if isinstance(link, ssl.SSLCertVerificationError):
            detail = link.verify_message or "certificate verify failed"
            return "tls", f"TLS certificate not trusted ({detail})"
        if isinstance(link, ssl.SSLError):
            return "tls", f"TLS handshake failed ({link.reason or link})"
        if isinstance(link, socket.gaierror):
            return "connect", "host not found"
        if isinstance(link, ConnectionRefusedError) or (
            isinstance(link, OSError) and link.errno == errno.ECONNREFUSED
        ):
            return "connect", "connection refused"
    text = str(exc).lower()
    if "certificate verify failed" in text:
        return "tls", "TLS certificate not trusted (certificate verify failed)"
    if "refused" in text:
        return "connect", "connection refused"
    if any(m in text for m in ("name or service not known", "nodename nor servname",
                               "getaddrinfo", "name resolution", "no address associated")):
        return "connect", "host not found"
    if "unreachable" in text:
        return "connect", "network unreachable"
    return "connect", "cannot connect"


def classify(exc: httpx.TransportError) -> TransportFailure:
    """Reduce an httpx transport error to a :class:`TransportFailure`."""
    if isinstance(exc, httpx.ConnectTimeout):
        return TransportFailure("connect", "connection timed out", False, True)
    if isinstance(exc, httpx.ConnectError):
        kind, reason = _connect_reason(exc)
        return TransportFailure(kind, reason, False, kind != "tls")
    if isinstance(exc, httpx.PoolTimeout):
        return TransportFailure("pool", "no free connection in time", False, True)
    if isinstance(exc, httpx.ReadTimeout):
        return TransportFailure("timeout", "no answer in time", True, True)
    if isinstance(exc, (httpx.WriteError, httpx.WriteTimeout)):
        return TransportFailure("dropped", "connection dropped while sending", True, True)
    if isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError)):
        return TransportFailure("dropped", "connection dropped", True, True)
    return TransportFailure("other", type(exc).__name__, False, False)


def network_error(method: str, url: str, failure: TransportFailure,
                  attempts: int) -> NetworkError:
    """The error for a request that never got an answer (``url`` without its query)."""
    host = httpx.URL(url).host
    tries = f" ({attempts} attempts)" if attempts > 1 else ""
    if failure.kind == "tls":
        text = (f"Cannot connect securely to {host}: {failure.reason}. If this endpoint uses "
                "a private CA, set ca_bundle in the profile")
    elif failure.connect:
        text = f"Cannot reach {host}: {failure.reason}{tries}"
    elif failure.kind == "other":
        text = f"The request to {host} failed: {failure.reason}"
    else:
        text = f"The connection to {host} failed: {failure.reason}{tries}"
    error = NetworkError(text, code="NetworkError", method=method, url=url, attempts=attempts)
    error.reason = failure.reason
    return error


def outcome_unknown(method: str, url: str, failure: TransportFailure,
                    attempts: int) -> OutcomeUnknownError:
    """The error for a change sent whose answer was lost: it may have been made."""
    error = OutcomeUnknownError(
        f"The connection dropped before Graph answered ({failure.reason}): the change may or "
        "may not have been made. Check before sending it again.",
        code="OutcomeUnknown", method=method, url=url, attempts=attempts,
    )
    error.reason = failure.reason
    return error
