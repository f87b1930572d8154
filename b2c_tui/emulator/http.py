"""Minimal request/response model for the emulator's pure-ASGI Graph app.

Handlers receive a :class:`Request` and return a :class:`Response` (or raise
:class:`GraphError`, which the dispatcher turns into Graph's error body). Everything here is
deliberately small and allocation-light: the emulator must serve a 999-user page for less CPU
than the client spends decoding it.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import orjson

JSON_CONTENT_TYPE = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

#: The request being handled in this context (set by the app, read by GraphError.response).
current_request: contextvars.ContextVar[Request | None] = contextvars.ContextVar(
    "b2c_emulator_request", default=None
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class GraphError(Exception):
    """Raise from a handler to answer with Graph's error body.

    ``status``/``code``/``message`` become the response; ``headers`` are added (e.g.
    ``Retry-After``) and ``inner`` goes into ``innerError`` (e.g. B2C's ``correlationId``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        inner: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.inner = inner

    def response(self) -> Response:
        """Graph's error response.

        Body ``{"error":{"code","message","innerError":{"date","request-id",
        "client-request-id"}}}``; the same ids go in the ``request-id``/``client-request-id``
        response headers. Ids come from the request being handled (a context variable), or
        are fresh when called outside a request.
        """
        req = current_request.get()
        if req is not None:
            request_id, client_request_id, now = req.request_id, req.client_request_id, req.now()
        else:
            request_id = client_request_id = str(uuid.uuid4())
            now = _utcnow()
        inner_error: dict[str, Any] = {
            "date": graph_date(now),
            "request-id": request_id,
            "client-request-id": client_request_id,
        }
        if self.inner:
            inner_error.update(self.inner)
        body = {"error": {"code": self.code, "message": self.message, "innerError": inner_error}}
        out_headers = {"request-id": request_id, "client-request-id": client_request_id}
        out_headers.update(self.headers)
        return Response(self.status, dumps(body), out_headers, JSON_CONTENT_TYPE)


class Request:
    """An incoming Graph request.

    ``path`` is the path *after* the version segment (``/users/{id}``), ``full_path`` the
    whole decoded path, ``query`` maps each key to all of its values (repeated keys kept),
    ``headers`` are lower-cased, ``params`` holds the template's path parameters.
    """

    __slots__ = (
        "body",
        "client_request_id",
        "full_path",
        "headers",
        "host",
        "method",
        "now",
        "params",
        "path",
        "query",
        "query_string",
        "request_id",
        "scheme",
        "state",
        "version",
    )

    def __init__(
        self,
        method: str,
        path: str,
        *,
        query_string: str = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        version: str = "v1.0",
        scheme: str = "https",
        host: str | None = None,
        full_path: str | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.method = method.upper()
        self.path = path
        self.full_path = full_path if full_path is not None else f"/{version}{path}"
        self.query_string = query_string
        self.query: dict[str, list[str]] = {}
        if query_string:
            for key, value in parse_qsl(query_string, keep_blank_values=True):
                self.query.setdefault(key, []).append(value)
        self.headers = headers if headers is not None else {}
        self.body = body
        self.version = version
        self.scheme = scheme
        self.host = host or self.headers.get("host") or "graph.microsoft.com"
        self.params: dict[str, str] = {}
        self.now = now or _utcnow
        self.request_id = str(uuid.uuid4())
        self.client_request_id = self.headers.get("client-request-id") or self.request_id
        self.state: dict[str, Any] = {}

    # -- query helpers -------------------------------------------------------------------
    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of query option ``name`` (``$top``); case-insensitive on the key.

        On beta the ``$`` prefix is optional, so ``top`` also answers ``$top`` there.
        """
        values = self.args(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """All values of query option ``name`` (case-insensitive key)."""
        found = self.query.get(name)
        if found is not None:
            return found
        lname = name.lower()
        bare = lname[1:] if lname.startswith("$") and self.version == "beta" else None
        out: list[str] = []
        for key, values in self.query.items():
            lk = key.lower()
            if lk == lname or (bare is not None and lk == bare):
                out.extend(values)
        return out

    def header(self, name: str, default: str | None = None) -> str | None:
        """A request header (name case-insensitive)."""
        return self.headers.get(name.lower(), default)

    # -- body helpers --------------------------------------------------------------------
    def json(self) -> Any:
        """The body parsed as JSON; Graph's 400 ``BadRequest`` when it is not JSON."""
        if not self.body:
            raise GraphError(400, "BadRequest", "Empty Payload, JSON content expected")
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise GraphError(
                400,
                "BadRequest",
                "Unable to read JSON request payload. Please ensure Content-Type header is set "
                "and payload is of valid JSON format.",
            ) from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object (400 when it is JSON but not an object)."""
        data = self.json()
        if not isinstance(data, dict):
            raise GraphError(400, "BadRequest", "The request payload must be a JSON object.")
        return data

    def text(self) -> str:
        """The body decoded as UTF-8 (with replacement)."""
        return self.body.decode("utf-8", "replace")

    # -- URLs ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``scheme://host`` from the request (Host header), without a trailing slash."""
        return f"{self.scheme}://{self.host}"

    @property
    def service_root(self) -> str:
        """``https://host/v1.0`` for this request."""
        return f"{self.base_url}/{self.version}"

    def context_url(self, fragment: str) -> str:
        """An ``@odata.context`` URL: ``{service_root}/$metadata#{fragment}``."""
        return f"{self.base_url}/{self.version}/$metadata#{fragment}"


class Response:
    """A complete (non-streamed) response: status, headers and body bytes.

    The body may be given as a sequence of parts (a large cached page between its small
    head and tail): they go out as separate ASGI body messages, so the page is never copied
    into a fresh buffer; :attr:`body` joins them only when read.
    """

    __slots__ = ("_body", "_parts", "headers", "status")

    def __init__(
        self,
        status: int = 200,
        body: bytes | Sequence[bytes] = b"",
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> None:
        self.status = status
        self._body: bytes | None = None
        self._parts: tuple[bytes, ...] = ()
        self.body = body  # type: ignore[assignment]  # the setter takes parts too
        self.headers: dict[str, str] = dict(headers) if headers else {}
        if content_type is not None:
            self.headers["content-type"] = content_type

    @property
    def body(self) -> bytes:
        """The whole body (parts are joined on first read)."""
        if self._body is None:
            self._body = b"".join(self._parts)
            self._parts = (self._body,)
        return self._body

    @body.setter
    def body(self, value: bytes | Sequence[bytes]) -> None:
        if isinstance(value, bytes | bytearray | memoryview):
            whole = bytes(value)
            self._body, self._parts = whole, (whole,)
        else:
            self._body, self._parts = None, tuple(value) or (b"",)

    def json(self) -> Any:
        """The body parsed as JSON (used by $batch and tests)."""
        return orjson.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        """A response header (case-insensitive)."""
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return None

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """Headers for ASGI, with content-length."""
        out = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()]
        out.append((b"content-length", str(sum(map(len, self._parts))).encode()))
        return out

    async def send_to(self, send: Callable[[dict[str, Any]], Any]) -> None:
        """Send this response over an ASGI ``send`` (one body message per part)."""
        await send(
            {"type": "http.response.start", "status": self.status, "headers": self.raw_headers()}
        )
        *first, last = self._parts
        for part in first:
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": last})


# -- ASGI plumbing shared by the Graph app and the token authority ----------------------------
async def lifespan(receive: Callable[[], Any], send: Callable[[Any], Any]) -> None:
    """Answer an ASGI ``lifespan`` scope: nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def read_body(receive: Callable[[], Any]) -> bytes:
    """The whole request body of an ASGI ``http`` scope."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = bool(message.get("more_body"))
    return body


def header_map(scope: Mapping[str, Any]) -> dict[str, str]:
    """An ASGI scope's headers, names lower-cased."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def dumps(obj: Any) -> bytes:
    """Serialize to JSON bytes (orjson; non-str dict keys allowed)."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


def json_response(status: int, obj: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with Graph's OData content type."""
    return Response(status, dumps(obj), headers, JSON_CONTENT_TYPE)


def raw_json_response(
    status: int, body: bytes | Sequence[bytes], headers: dict[str, str] | None = None
) -> Response:
    """A JSON response from already-serialized bytes (or parts of them, sent in turn)."""
    return Response(status, body, headers, JSON_CONTENT_TYPE)


def xml_response(status: int, text: str | bytes, headers: dict[str, str] | None = None) -> Response:
    """An XML response (Trust Framework policies)."""
    body = text.encode("utf-8") if isinstance(text, str) else text
    return Response(status, body, headers, XML_CONTENT_TYPE)


def text_response(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    """A text/plain response."""
    return Response(status, text.encode("utf-8"), headers, TEXT_CONTENT_TYPE)


def empty(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    """A response with no body (204 No Content by default)."""
    return Response(status, b"", headers)


def graph_date(now: datetime) -> str:
    """``2021-05-18T19:03:10`` — the format of innerError.date."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


