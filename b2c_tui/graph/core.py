"""The transport core: one place that sends requests to Graph.

It builds URLs for v1.0 and beta, adds the bearer token, retries throttled, unavailable and
dropped requests within a bounded budget, turns failures into typed errors, enforces read-only
mode before anything is sent, and reports throttling to whoever listens (the UI's status line).
Resource modules (``b2c_tui.graph.resources``) call it; they never touch httpx themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import orjson

from .encoding import Params, join_url
from .errors import (
    AuthenticationError,
    GraphError,
    InvalidResponseError,
    NetworkError,
    ReadOnlyError,
)
from .retry import RETRY_STATUSES, RetryPolicy, parse_retry_after

if TYPE_CHECKING:
    from .batch import BatchRequest, BatchResult
    from .paging import PageIterator

log = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.microsoft.com"
HEAD_BYTES = 16384  # how much of a body ``on_head`` may look at
READ_METHODS = frozenset({"GET", "HEAD"})
# Methods Graph treats as idempotent: safe to resend after the connection dropped mid-request.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# Errors that prove the request never reached the server, so even a POST can be resent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def decode_json(content: bytes, *, url: str = "", status: int = 200) -> Any:
    """Decode a response body, turning malformed JSON into a typed error."""
    if not content:
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise InvalidResponseError(
            f"Graph answered {status} with a body that is not valid JSON ({exc.msg})",
            status=status, code="InvalidResponse", url=_loggable(url),
        ) from None


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


@dataclass(frozen=True)
class GraphResponse:
    """A successful answer: status, headers and the raw body, decoded on demand."""

    status: int
    headers: httpx.Headers
    content: bytes
    url: str

    def json(self) -> Any:
        """The decoded JSON body; :class:`InvalidResponseError` when it is not JSON."""
        return decode_json(self.content, url=self.url, status=self.status)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass
class ThrottleEvent:
    """Sent to listeners each time the core waits before a retry."""

    status: int | None
    delay: float
    attempt: int
    method: str
    path: str


@dataclass
class CoreStats:
    """Counters the UI shows (requests in flight, throttling) and benchmarks read."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0
    in_flight: int = 0
    waited_seconds: float = 0.0
    last_throttle_at: float | None = None
    listeners: list[Callable[[ThrottleEvent], None]] = field(default_factory=list)


def _decode_error_body(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content) if response.content else None
    except orjson.JSONDecodeError:
        return response.text


def _loggable(url: str) -> str:
    """URLs carry user data (filters on emails) but never secrets; drop the query anyway."""
    return url.split("?", 1)[0]


class GraphCore:
    """Sends requests to Microsoft Graph with retries, typed errors and read-only enforcement."""

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
    ) -> None:
        self.graph_url = graph_url.rstrip("/")
        self.version = version
        self.read_only = read_only
        self.retry = retry or RetryPolicy()
        self.stats = CoreStats()
        self._token_source = token_source
        self._sleep = sleep
        self._clock = clock
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=15.0),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=16),
            headers={"User-Agent": "b2c-tui"},
            trust_env=False,
        )

    # -- lifecycle -----------------------------------------------------------------------------
    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> GraphCore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- helpers -------------------------------------------------------------------------------
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

    def add_listener(self, listener: Callable[[ThrottleEvent], None]) -> None:
        self.stats.listeners.append(listener)

    def _notify(self, event: ThrottleEvent) -> None:
        for listener in list(self.stats.listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must never break a request
                log.exception("throttle listener failed")

    async def _auth_headers(self, force_refresh: bool = False) -> dict[str, str]:
        if self._token_source is None:
            return {}
        token = await self._token_source.token(force_refresh=force_refresh)
        return {"Authorization": f"Bearer {token}"}

    # -- the one request path ------------------------------------------------------------------
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

        ``reads_only`` is for ``$batch``: a POST that carries only GET requests is allowed in
        read-only mode (the batch module checks the inner methods first). ``on_head`` sees the
        start of a successful body as it arrives (until it returns ``True``): paging uses it to
        request the next page as soon as ``@odata.nextLink`` is known.
        """
        method = method.upper()
        if method not in READ_METHODS and not reads_only:
            self.check_writable(f"{method} {_loggable(path)}")
        url = self.url(path, version=version, params=params)
        body: bytes | None
        if json is not None:
            body = orjson.dumps(json)
            content_type = content_type or "application/json"
        elif isinstance(content, str):
            body = content.encode("utf-8")
        else:
            body = content
        base_headers: dict[str, str] = {"client-request-id": str(uuid.uuid4())}
        if content_type:
            base_headers["Content-Type"] = content_type
        if headers:
            base_headers.update(headers)

        policy = self.retry
        started = self._clock()
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            send_headers = {**base_headers, **await self._auth_headers(force_refresh=refreshed)}
            self.stats.requests += 1
            self.stats.in_flight += 1
            try:
                request = self._http.build_request(method, url, content=body,
                                                   headers=send_headers)
                response = await self._http.send(request, stream=True)
                try:
                    payload = await _read_body(response, on_head)
                finally:
                    await response.aclose()
            except httpx.TransportError as exc:
                retryable = method in IDEMPOTENT_METHODS or isinstance(exc, _NOT_SENT)
                delay = policy.backoff(attempt)
                if retryable and self._may_retry(attempt, started, delay):
                    log.info("%s %s: %s; retry %d in %.2fs", method, _loggable(url),
                             type(exc).__name__, attempt, delay)
                    await self._wait(None, delay, attempt, method, url)
                    continue
                raise NetworkError(
                    f"Connection to Graph failed: {type(exc).__name__}: {exc}".rstrip(": "),
                    code="NetworkError", method=method, url=_loggable(url), attempts=attempt,
                ) from exc
            finally:
                self.stats.in_flight -= 1

            status = response.status_code
            log.debug("%s %s -> %d", method, _loggable(url), status)
            if status < 400:
                return GraphResponse(status, response.headers, payload, str(response.url))
            if status == 401 and not refreshed and self._token_source is not None:
                refreshed = True  # token expired or revoked: one fresh token, then give up
                continue
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if status in RETRY_STATUSES:
                delay = retry_after if retry_after is not None else policy.backoff(attempt)
                if delay <= policy.max_retry_after and self._may_retry(attempt, started, delay):
                    await self._wait(status, delay, attempt, method, url)
                    continue
            error = GraphError.from_response(
                status, _decode_error_body(response), headers=dict(response.headers),
                method=method, url=_loggable(url), attempts=attempt, retry_after=retry_after,
            )
            if isinstance(error, AuthenticationError):
                log.warning("Graph refused the token: %s", error.code)
            raise error

    def _may_retry(self, attempt: int, started: float, delay: float) -> bool:
        policy = self.retry
        if attempt >= policy.max_attempts:
            return False
        return (self._clock() - started) + delay <= policy.max_total_seconds

    async def _wait(
        self, status: int | None, delay: float, attempt: int, method: str, url: str
    ) -> None:
        self.stats.retries += 1
        if status == 429:
            self.stats.throttled += 1
            self.stats.last_throttle_at = self._clock()
        self.stats.waited_seconds += delay
        self._notify(ThrottleEvent(status, delay, attempt, method, _loggable(url)))
        await self._sleep(delay)

    # -- conveniences --------------------------------------------------------------------------
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
        """Async iterator of pages (lists of records) following ``@odata.nextLink`` verbatim."""
        from .paging import PageIterator

        return PageIterator(
            self, self.url(path, version=version, params=params),
            headers=dict(headers or {}), prefetch=prefetch,
        )

    async def batch(
        self, requests: list[BatchRequest], *, version: str | None = None
    ) -> list[BatchResult]:
        """Run requests through ``$batch`` (20 a call); results in request order."""
        from .batch import run_batch

        return await run_batch(self, requests, version=version or self.version)
