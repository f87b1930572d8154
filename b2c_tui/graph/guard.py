"""What may be sent, and where: read-only enforcement and the Graph host the token is pinned to.

Both are decided once, when the client is built, and cannot be changed on a live client:

* :class:`WriteGuard` refuses every request that could change the tenant on a read-only
  client, before anything is sent. The only POST it lets through is a ``$batch`` whose inner
  requests all read, and it looks inside the body to know that (no caller-supplied flag).
* :class:`HostPin` names the one origin (scheme, host, port) that receives the bearer token:
  the profile's Graph endpoint. A ``@odata.nextLink`` or any absolute URL elsewhere is refused,
  and so is a plain ``http://`` endpoint unless it is on this machine (the demo emulator).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson

from .errors import ConfigError, ReadOnlyError, UntrustedHostError

__all__ = [
    "READ_METHODS",
    "HostPin",
    "WriteGuard",
    "batch_items",
    "batch_only_reads",
    "is_batch_path",
    "is_loopback",
]

READ_METHODS = frozenset({"GET", "HEAD"})
_DEFAULT_PORTS = {"https": 443, "http": 80}


def is_batch_path(path_or_url: str) -> bool:
    """Whether a path or URL addresses ``$batch`` (percent-encoded or not)."""
    path = urlsplit(path_or_url).path if "://" in path_or_url else path_or_url.split("?", 1)[0]
    return unquote(path).rstrip("/").endswith("/$batch")


def _path_of(path_or_url: str) -> str:
    text = urlsplit(path_or_url).path if "://" in path_or_url else path_or_url
    return text.split("?", 1)[0]


class WriteGuard:
    """Read-only mode, fixed at construction."""

    __slots__ = ("_read_only",)
    _read_only: bool

    def __init__(self, read_only: bool) -> None:
        object.__setattr__(self, "_read_only", bool(read_only))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only mode is decided when the client is built")

    @property
    def read_only(self) -> bool:
        return bool(self._read_only)

    def refuse(self, method: str, path: str, *, inside_batch: bool = False) -> ReadOnlyError:
        where = " inside a $batch" if inside_batch else ""
        shown = _path_of(path)
        return ReadOnlyError(
            f"Read-only mode: refusing {method} {shown}{where} (nothing was sent).",
            method=method, path=shown,
        )

    def check_writes(self, requests: Iterable[tuple[str, str]]) -> None:
        """Refuse the first (method, path) that is not a read, when read-only."""
        if not self._read_only:
            return
        for method, path in requests:
            if str(method).upper() not in READ_METHODS:
                raise self.refuse(str(method).upper(), str(path), inside_batch=True)

    def check_request(self, method: str, url: str, *, json: Any = None,
                      content: bytes | None = None) -> None:
        """Refuse ``method url`` when read-only, unless it reads; a ``$batch`` POST passes only
        if every inner request in its body reads."""
        if not self._read_only:
            return
        method = method.upper()
        if method in READ_METHODS:
            return
        if method != "POST" or not is_batch_path(url):
            raise self.refuse(method, url)
        items = batch_items(json, content)
        if items is None:
            raise self.refuse(method, url)
        for inner_method, inner_url in items:
            if is_batch_path(inner_url):  # a $batch inside a $batch is no read
                raise self.refuse(inner_method.upper(), inner_url, inside_batch=True)
        self.check_writes(items)


def batch_items(json: Any = None, content: bytes | None = None) -> list[tuple[str, str]] | None:
    """(method, url) of every request in a ``$batch`` body, or ``None`` if it is not one."""
    body = json
    if body is None and content is not None:
        try:
            body = orjson.loads(content)
        except orjson.JSONDecodeError:
            return None
    inner = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(inner, list):
        return None
    items: list[tuple[str, str]] = []
    for item in inner:
        if not isinstance(item, dict):
            return None
        items.append((str(item.get("method", "")), str(item.get("url", ""))))
    return items


def batch_only_reads(json: Any = None, content: bytes | None = None) -> bool:
    """Whether a ``$batch`` body holds only reads (so resending it cannot change anything)."""
    items = batch_items(json, content)
    return items is not None and all(
        m.upper() in READ_METHODS and not is_batch_path(u) for m, u in items
    )


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ``::1``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, host, port or _DEFAULT_PORTS.get(scheme, 0)


class HostPin:
    """The origin of the Graph endpoint: the only one that gets the bearer token.

    ``also`` adds other origins of the same service (for example a national cloud's Graph
    host when the profile names it by another URL); each must itself be https or loopback.
    """

    __slots__ = ("_origins",)
    _origins: frozenset[tuple[str, str, int]]

    def __init__(self, graph_url: str, also: Iterable[str] = ()) -> None:
        origins = []
        for url in (graph_url, *also):
            scheme, host, port = _origin(url)
            if scheme not in ("https", "http") or not host:
                raise ConfigError(f"The Graph endpoint must be an https:// URL, got {url!r}")
            if scheme == "http" and not is_loopback(host):
                raise ConfigError(
                    f"Refusing the plain-http Graph endpoint {url!r}: the bearer token would "
                    "cross the network unencrypted (http:// is allowed only on this machine: "
                    "localhost, 127.0.0.1, ::1)"
                )
            origins.append((scheme, host, port))
        object.__setattr__(self, "_origins", frozenset(origins))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("the Graph host is decided when the client is built")

    @property
    def hosts(self) -> list[str]:
        """The pinned origins as text (``https://graph.microsoft.com``)."""
        return sorted(_show(o) for o in self._origins)

    def allows(self, url: str) -> bool:
        return _origin(url) in self._origins

    def check(self, url: str) -> None:
        """Raise :class:`UntrustedHostError` unless ``url`` is on a pinned origin."""
        if self.allows(url):
            return
        scheme, host, port = _origin(url)
        raise UntrustedHostError(
            f"Refusing to send a request (and the token) to {_show((scheme, host, port))}: "
            f"this profile talks to {', '.join(self.hosts)} only. A link from Graph (or a URL "
            "given to the client) pointed elsewhere.",
            code="UntrustedHost", url=f"{_show((scheme, host, port))}{_path_of(url)}",
        )


def _show(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    if port and port != _DEFAULT_PORTS.get(scheme):
        shown += f":{port}"
    return f"{scheme}://{shown}"
