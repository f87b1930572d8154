"""The transport core: one place that sends requests to Graph.

It builds URLs for v1.0 and beta, adds the bearer token (to the profile's Graph host only),
retries throttled, unavailable and dropped requests within a bounded budget, turns failures
into typed errors, enforces read-only mode before anything is sent, and announces every retry
to whoever listens (the UI's status line). Resource modules (``b2c_tui.graph.resources``) call
it; they never touch httpx themselves. Paging and ``$batch`` live in their own modules and use
the core through a small protocol, so none of the three imports another in a cycle.

Secrets: the token is put on the request object just before sending and never held in a
variable of the frame that raises errors; transport errors (which carry the request and its
headers) are reduced to plain text and dropped, so no error, traceback or log holds a token.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson

from .batch import BatchRequest, BatchResult, run_batch
from .encoding import Params, join_url
from .errors import (
    AuthenticationError,
    ConfigError,
    GraphError,
    InvalidResponseError,
    ReadOnlyError,
)
from .guard import READ_METHODS, HostPin, WriteGuard, batch_only_reads, is_batch_path
from .network import TransportFailure, classify, network_error, outcome_unknown
from .paging import PageIterator
from .response import GraphResponse, decode_json, strip_query
from .retry import (
    RETRY_STATUSES,
    CoreStats,
    Retrier,
    RetryEvent,
    RetryListener,
    RetryPolicy,
    ThrottleEvent,
    parse_retry_after,
    status_reason,
)

__all__ = [
    "DEFAULT_GRAPH_URL",
    "READ_METHODS",
    "CoreStats",
    "GraphCore",
    "GraphResponse",
    "InvalidResponseError",
    "RetryEvent",
    "ThrottleEvent",
    "TokenSource",
    "decode_json",
]

log = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.microsoft.com"
HEAD_BYTES = 16384  # how much of a body ``on_head`` may look at
# Methods Graph treats as idempotent: safe to resend after the connection dropped mid-request.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


async def _read_body(response: httpx.Response, on_head: Callable[[bytes], bool] | None) -> bytes:
    """The whole body; ``on_head`` is shown the bytes received so far until it is satisfied."""
    if on_head is None or response.status_code != 200:
        return await response.aread()
    chunks: list[bytes] = []
    head = bytearray()
    watching = True
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        if watching:
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            watching = not on_head(bytes(head))
    return b"".join(chunks)


class TokenSource(Protocol):
    """What the core needs from sign-in (see :mod:`b2c_tui.graph.auth`)."""

    async def token(self, *, force_refresh: bool = False) -> str: ...


def _decode_error_body(content: bytes) -> Any:
    try:
        return orjson.loads(content) if content else None
    except orjson.JSONDecodeError:
        return content.decode("utf-8", errors="replace")


def _verify(ca_bundle: str | Path | None) -> ssl.SSLContext | bool:
    """TLS verification for httpx: the system's CAs, or only ``ca_bundle`` when given (as the
    msal session does, so sign-in and Graph trust the same CA)."""
    if ca_bundle is None:
        return True
    try:
        return ssl.create_default_context(cafile=str(ca_bundle))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"ca_bundle {ca_bundle}: cannot load it ({exc})") from None


class GraphCore:
    """Sends requests to Microsoft Graph with retries, typed errors and read-only enforcement.

    ``read_only`` and the Graph host (``graph_url``, plus ``trusted_urls`` of the same
    service) are fixed here and cannot be changed on a live core. ``ca_bundle`` makes the
    connection pool the core builds trust only that CA (it cannot apply to a caller's
    ``http``).
    """

    def __init__(
        self,
        token_source: TokenSource | None,
        *,
        graph_url: str = DEFAULT_GRAPH_URL,
        version: str = "v1.0",
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        read_only: bool = False,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_connections: int = 32,
        ca_bundle: str | Path | None = None,
        trusted_urls: Iterable[str] = (),
    ) -> None:
        if http is not None and ca_bundle is not None:
            raise ValueError("ca_bundle applies to the connection pool the core builds; "
                             "configure verification on the given http client instead")
        self.graph_url = graph_url.rstrip("/")
        self.version = version
        self._pin = HostPin(self.graph_url, trusted_urls)
        self._guard = WriteGuard(read_only)
        self.retrier = Retrier(retry or RetryPolicy(), sleep=sleep, clock=clock)
        self.stats: CoreStats = self.retrier.stats
        self._token_source = token_source
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            transport=transport,
            verify=_verify(ca_bundle),
            timeout=httpx.Timeout(timeout, connect=15.0),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=16),
            headers={"User-Agent": "b2c-tui"},
            trust_env=False,
            follow_redirects=False,  # a redirect must not carry the token anywhere
        )

    # -- what is fixed at construction -----------------------------------------------------
    @property
    def read_only(self) -> bool:
        """Whether every change is refused (decided at construction; cannot be reassigned)."""
        return self._guard.read_only

    @property
    def trusted_hosts(self) -> list[str]:
        """The origins that receive the bearer token."""
        return self._pin.hosts

    @property
    def retry(self) -> RetryPolicy:
        return self.retrier.policy

    # -- lifecycle -------------------------------------------------------------------------
    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> GraphCore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- helpers ---------------------------------------------------------------------------
    def url(self, path: str, *, version: str | None = None, params: Params | None = None) -> str:
        """Absolute URL for ``path`` ("/users") or an absolute URL (a nextLink) kept verbatim."""
        if path.startswith(("https://", "http://")):
            return join_url(path, params)
        if not path.startswith("/"):
            path = "/" + path
        return join_url(f"{self.graph_url}/{version or self.version}{path}", params)

    def check_writable(self, what: str) -> None:
        """Raise :class:`ReadOnlyError` when this client is read-only."""
        if self.read_only:
            raise ReadOnlyError(f"Read-only mode: refusing to {what}.")

    def check_writes(self, requests: Iterable[tuple[str, str]]) -> None:
        """Raise :class:`ReadOnlyError` naming the first (method, path) that would change the
        tenant, when this client is read-only (``$batch`` checks all before sending any)."""
        self._guard.check_writes(requests)

    def add_listener(self, listener: RetryListener) -> None:
        """Call ``listener`` with a :class:`RetryEvent` before every retry wait."""
        self.retrier.add_listener(listener)

    def remove_listener(self, listener: RetryListener) -> None:
        self.retrier.remove_listener(listener)

    async def _bearer(self, refresh: bool) -> str:
        assert self._token_source is not None
        return "Bearer " + await self._token_source.token(force_refresh=refresh)

    async def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
                    refresh: bool, on_head: Callable[[bytes], bool] | None) -> GraphResponse:
        self.stats.requests += 1
        self.stats.in_flight += 1
        try:
            request = self._http.build_request(method, url, content=body, headers=headers)
            if self._token_source is not None:
                self._pin.check(str(request.url))  # the URL httpx will really use
                request.headers["Authorization"] = await self._bearer(refresh)
            response = await self._http.send(request, stream=True)
            try:
                payload = await _read_body(response, on_head)
            finally:
                await response.aclose()
            return GraphResponse(response.status_code, response.headers, payload,
                                 str(response.url))
        finally:
            self.stats.in_flight -= 1

    # -- the one request path --------------------------------------------------------------
    async def request(
        self,
        method: str,
        path: str,
        *,
        version: str | None = None,
        params: Params | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        reads_only: bool = False,
        on_head: Callable[[bytes], bool] | None = None,
    ) -> GraphResponse:
        """Send one request; retry what may be retried; raise a typed error on failure.

        Refused before anything is sent: a change on a read-only client
        (:class:`ReadOnlyError`; a ``$batch`` passes only if every inner request reads) and a
        URL off the profile's Graph host (:class:`UntrustedHostError`). ``reads_only`` is
        ignored (it once let callers vouch for a ``$batch``; the core now looks inside).
        ``on_head`` sees the start of a successful body as it arrives (until it returns
        ``True``): paging uses it to request the next page as soon as ``@odata.nextLink`` is
        known.
        """
        del reads_only
        method = method.upper()
        url = self.url(path, version=version, params=params)
        body: bytes | None
        if json is not None:
            body = orjson.dumps(json)
            content_type = content_type or "application/json"
        elif isinstance(content, str):
            body = content.encode("utf-8")
        else:
            body = content
        self._guard.check_request(method, url, json=json, content=body)
        self._pin.check(url)
        base_headers: dict[str, str] = {"client-request-id": str(uuid.uuid4())}
        if content_type:
            base_headers["Content-Type"] = content_type
        if headers:
            base_headers.update({k: v for k, v in headers.items()
                                 if k.lower() != "authorization"})
        resend_safe = method in IDEMPOTENT_METHODS or (
            method == "POST" and is_batch_path(url) and batch_only_reads(json, body))

        retrier = self.retrier
        started = retrier.clock()
        first_connect_failure: float | None = None
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            failure: TransportFailure | None = None
            try:
                answer = await self._send(method, url, body, base_headers, refreshed, on_head)
            except httpx.TransportError as exc:
                failure = classify(exc)
            except httpx.HTTPError as exc:  # a body that cannot be decoded, and the like
                failure = TransportFailure("other", type(exc).__name__, True, False)
            if failure is not None:
                # Decided outside the except block: the error raised carries no httpx
                # exception (whose request holds the Authorization header) as its context.
                if failure.may_have_arrived and not resend_safe:
                    raise outcome_unknown(method, strip_query(url), failure, attempt)
                if failure.connect and first_connect_failure is None:
                    first_connect_failure = retrier.clock()
                delay = retrier.backoff(attempt)
                if failure.retryable and (
                    retrier.may_reconnect(attempt, started, first_connect_failure, delay)
                    if first_connect_failure is not None and failure.connect
                    else retrier.may_retry(attempt, started, delay)
                ):
                    log.info("%s %s: %s; retry %d in %.2fs", method, strip_query(url),
                             failure.reason, attempt, delay)
                    await retrier.wait(RetryEvent(None, delay, attempt, method,
                                                  strip_query(url), failure.reason))
                    continue
                raise network_error(method, strip_query(url), failure, attempt)

            status = answer.status
            log.debug("%s %s -> %d", method, strip_query(url), status)
            if status < 400:
                return answer
            if status == 401 and not refreshed and self._token_source is not None:
                refreshed = True  # token expired or revoked: one fresh token, then give up
                continue
            retry_after = parse_retry_after(answer.headers.get("Retry-After"))
            if status in RETRY_STATUSES:
                delay = retry_after if retry_after is not None else retrier.backoff(attempt)
                if delay <= retrier.policy.max_retry_after and retrier.may_retry(
                    attempt, started, delay
                ):
                    await retrier.wait(RetryEvent(status, delay, attempt, method,
                                                  strip_query(url), status_reason(status)))
                    continue
            error = GraphError.from_response(
                status, _decode_error_body(answer.content), headers=dict(answer.headers),
                method=method, url=strip_query(url), attempts=attempt, retry_after=retry_after,
            )
            if isinstance(error, AuthenticationError):
                log.warning("Graph refused the token: %s", error.code)
            raise error

    # -- conveniences ----------------------------------------------------------------------
    async def get_json(self, path: str, **kwargs: Any) -> Any:
        return (await self.request("GET", path, **kwargs)).json()

    async def send_json(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST/PATCH/PUT/DELETE with a JSON body; returns the decoded answer or ``None``."""
        response = await self.request(method, path, json=body, **kwargs)
        if response.status == 204 or not response.content:
            return None
        ctype = response.headers.get("content-type", "")
        return response.json() if "json" in ctype or not ctype else response.text

    def pages(
        self,
        path: str,
        *,
        version: str | None = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        prefetch: bool = True,
    ) -> PageIterator:
        """Async iterator of pages (lists of records) following ``@odata.nextLink`` verbatim
        (a link off the Graph host is refused: :class:`UntrustedHostError`)."""
        return PageIterator(
            self, self.url(path, version=version, params=params),
            headers=dict(headers or {}), prefetch=prefetch,
        )

    async def batch(
        self, requests: list[BatchRequest], *, version: str | None = None
    ) -> list[BatchResult]:
        """Run requests through ``$batch`` (20 a call); results in request order."""
        return await run_batch(self, requests, version=version or self.version)
