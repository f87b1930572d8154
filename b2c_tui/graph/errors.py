"""Typed errors raised by the Graph client.

Every failure the client surfaces is a :class:`GraphError` (or a subclass) carrying Graph's
``code``, ``message``, ``request-id`` and ``date``, so callers branch on ``code`` and log the ids
support needs. Secrets never appear in these messages: URLs are stripped of their query string's
secret-looking values and bodies are never included.
"""

from __future__ import annotations

from typing import Any


class B2CTuiError(Exception):
    """Base of every error this package raises on purpose; ``message`` is its text."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class GraphError(B2CTuiError):
    """A request to Microsoft Graph failed.

    ``status`` is the HTTP status (``None`` when no response was received), ``code`` and
    ``message`` come from Graph's error body, ``request_id``/``client_request_id``/``date`` from
    its ``innerError``.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        client_request_id: str | None = None,
        date: str | None = None,
        method: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.date = date
        self.method = method
        self.url = url
        self.retry_after = retry_after
        self.attempts = attempts

    def __str__(self) -> str:
        head = f"{self.status} {self.code}" if self.status is not None else (self.code or "error")
        parts = [f"{head}: {self.message}"]
        if self.method and self.url:
            parts.append(f"({self.method} {self.url})")
        if self.request_id:
            parts.append(f"request-id {self.request_id}")
        if self.date:
            parts.append(f"date {self.date}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )

    @classmethod
    def from_response(
        cls,
        status: int,
        body: Any,
        *,
        headers: dict[str, str] | None = None,
        method: str | None = None,
        url: str | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> GraphError:
        """Build the right subclass from a Graph error response (body already decoded)."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        code: str | None = None
        message = ""
        inner: dict[str, Any] = {}
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            err = body["error"]
            code = err.get("code")
            message = str(err.get("message") or "")
            inner = _innermost(err.get("innerError") or err.get("innererror") or {})
        elif isinstance(body, str) and body.strip():
            message = body.strip()[:300]
        if not message:
            message = _REASONS.get(status, "Request failed")
        request_id = inner.get("request-id") or headers.get("request-id")
        client_request_id = inner.get("client-request-id") or headers.get("client-request-id")
        date = inner.get("date") or headers.get("date")
        kind = _class_for(status)
        return kind(
            message,
            status=status,
            code=code or _DEFAULT_CODES.get(status),
            request_id=request_id,
            client_request_id=client_request_id,
            date=date,
            method=method,
            url=url,
            attempts=attempts,
            retry_after=retry_after,
        )


def _innermost(inner: Any) -> dict[str, Any]:
    """Graph may nest ``innerError``; ids live on the outermost that has them."""
    found: dict[str, Any] = {}
    while isinstance(inner, dict) and inner:
        for key in ("request-id", "client-request-id", "date"):
            if key in inner and key not in found:
                found[key] = inner[key]
        inner = inner.get("innerError") or inner.get("innererror")
    return found


class BadRequestError(GraphError):
    """400: Graph refused the request (bad query, invalid body)."""


class AuthenticationError(GraphError):
    """401: the token was missing, expired or for the wrong audience."""


class AuthorizationError(GraphError):
    """403: the app or user lacks the permission (``Authorization_RequestDenied``)."""


class NotFoundError(GraphError):
    """404: the object does not exist (``Request_ResourceNotFound``)."""


class ConflictError(GraphError):
    """409/412: the object already exists or changed meanwhile."""


class ThrottledError(GraphError):
    """429 after the retry budget ran out."""


class ServiceUnavailableError(GraphError):
    """5xx after the retry budget ran out."""


class NetworkError(GraphError):
    """The connection failed or dropped and retries did not help (``status`` is ``None``:
    Graph never answered). ``reason`` says why in a few words ("connection refused")."""

    reason: str = ""


class OutcomeUnknownError(NetworkError):
    """The connection dropped after a change was sent and before Graph answered.

    The change may have been made or not: a create may have created the object. It is not
    sent again blindly; look the object up (for a user, ``users.find_by_sign_in_name``)
    before offering to repeat it.
    """


class UntrustedHostError(GraphError):
    """A URL (a ``@odata.nextLink``, an absolute URL given to the client) points away from the
    profile's Graph host; refused before anything, and above all the token, is sent."""


class InvalidResponseError(GraphError, ValueError):
    """Graph answered with a success status but a body that is not what the API documents."""


class UnsupportedQueryError(B2CTuiError, ValueError):
    """A query B2C tenants cannot answer; refused before any request is sent."""


class ValidationError(B2CTuiError, ValueError):
    """Input that breaks one of Graph's rules; raised before any request is sent.

    ``field`` names the offending input so a dialog can show the message beside it, and
    ``suggestion`` carries a fix-up when one is known (a phone number without its space).
    """

    def __init__(self, message: str, *, field: str | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.field = field
        self.suggestion = suggestion


class ReadOnlyError(B2CTuiError):
    """A mutating call was attempted on a client opened read-only; nothing was sent.

    ``method`` and ``path`` name the refused request when it got as far as the core (a
    resource method refuses earlier, by name)."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None):
        super().__init__(message)
        self.method = method
        self.path = path


class AuthError(B2CTuiError):
    """Sign-in failed (wrong secret, unknown tenant, expired device code...)."""

    def __init__(self, message: str, *, code: str | None = None, correlation_id: str | None = None):
        super().__init__(message)
        self.code = code
        self.correlation_id = correlation_id


class ConfigError(B2CTuiError):
    """The configuration file or environment is incomplete or inconsistent."""


_REASONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    424: "Failed dependency",
    429: "Too many requests",
    500: "Internal server error",
    501: "Not implemented",
    503: "Service unavailable",
    504: "Gateway timeout",
}

_DEFAULT_CODES = {
    400: "BadRequest",
    401: "InvalidAuthenticationToken",
    403: "Authorization_RequestDenied",
    404: "Request_ResourceNotFound",
    409: "Conflict",
    429: "TooManyRequests",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


def _class_for(status: int) -> type[GraphError]:
    if status == 400:
        return BadRequestError
    if status == 401:
        return AuthenticationError
    if status == 403:
        return AuthorizationError
    if status == 404:
        return NotFoundError
    if status in (409, 412):
        return ConflictError
    if status == 429:
        return ThrottledError
    if status >= 500:
        return ServiceUnavailableError
    return GraphError
