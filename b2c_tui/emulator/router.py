"""Path routing for the emulator: templates, case-insensitive literals, key syntax.

Templates look like ``/users/{id}/authentication/phoneMethods/{methodId}``. Literal segments
match case-insensitively (Graph paths are case-insensitive), ``{name}`` matches one segment,
and a segment may mix both for OData key syntax: ``/applications(appId='{appId}')``. Trailing
slashes are tolerated. Matching is a small trie walk with backtracking (literal, then key
syntax, then parameter), so the cost does not grow with the number of routes. A segment
starting with ``$`` is an OData system segment (``$count``, ``$ref``...), never a key: a
userPrincipalName starting with ``$`` is addressed as ``/users('$x@...')``, as Graph requires.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Union

from .http import GraphError, Request, Response

log = logging.getLogger(__name__)

Handler = Callable[[Request], Union[Response, Awaitable[Response]]]  # noqa: UP007
VERSIONS = ("v1.0", "beta")

_PARAM = re.compile(r"\{([^{}]+)\}")

METHOD_NOT_ALLOWED = "Specified HTTP method is not allowed for the request target."


@dataclass(slots=True)
class Route:
    """One registered operation."""

    method: str
    template: str
    handler: Handler
    versions: tuple[str, ...]
    family: str
    param_names: tuple[str, ...]
    is_async: bool

    async def call(self, request: Request) -> Response:
        """Run the handler (sync or async)."""
        result = self.handler(request)
        if self.is_async:
            return await result  # type: ignore[misc]
        return result  # type: ignore[return-value]


@dataclass(slots=True)
class _Node:
    literals: dict[str, _Node] = field(default_factory=dict)
    keyed: dict[str, tuple[re.Pattern[str], _Node]] = field(default_factory=dict)
    param: _Node | None = None
    routes: dict[str, list[Route]] = field(default_factory=dict)


def _split(path: str) -> list[str]:
    return [seg for seg in path.split("/") if seg]


def _keyed_regex(segment: str) -> tuple[str, re.Pattern[str], list[str]]:
    """Compile ``applications(appId='{appId}')`` into (normalized key, regex, names)."""
    names: list[str] = []
    pattern = ""
    pos = 0
    for m in _PARAM.finditer(segment):
        pattern += re.escape(segment[pos : m.start()])
        pattern += "(.*?)"
        names.append(m.group(1))
        pos = m.end()
    pattern += re.escape(segment[pos:])
    key = _PARAM.sub("{}", segment).lower()
    return key, re.compile(f"^{pattern}$", re.IGNORECASE | re.DOTALL), names


def _unquote_key(value: str) -> str:
    return value.replace("''", "'")


class Router:
    """Routes Graph requests to handlers."""

    def __init__(self) -> None:
        self._root = _Node()
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        versions: Iterable[str] = VERSIONS,
        family: str = "directory",
    ) -> Route:
        """Register ``handler`` for ``method`` on ``template`` (path after the version).

        ``versions`` lists where the operation exists; ``family`` names its throttling
        budget (``directory``, ``audit``, ``conditional_access``, ``identity``, ...).
        """
        node = self._root
        names: list[str] = []
        for seg in _split(template):
            if seg.startswith("{") and seg.endswith("}") and seg.count("{") == 1:
                if node.param is None:
                    node.param = _Node()
                node = node.param
                names.append(seg[1:-1])
            elif "{" in seg:
                key, regex, seg_names = _keyed_regex(seg)
                if key not in node.keyed:
                    node.keyed[key] = (regex, _Node())
                node = node.keyed[key][1]
                names.extend(seg_names)
            else:
                node = node.literals.setdefault(seg.lower(), _Node())
        route = Route(
            method=method.upper(),
            template=template,
            handler=handler,
            versions=tuple(versions),
            family=family,
            param_names=tuple(names),
            is_async=inspect.iscoroutinefunction(handler),
        )
        node.routes.setdefault(route.method, []).append(route)
        self.routes.append(route)
        return route

    def _walk(self, node: _Node, segs: list[str], i: int, values: list[str]) -> _Node | None:
        if i == len(segs):
            return node if node.routes else None
        seg = segs[i]
        child = node.literals.get(seg.lower())
        if child is not None:
            found = self._walk(child, segs, i + 1, values)
            if found is not None:
                return found
        for regex, kchild in node.keyed.values():
            m = regex.match(seg)
            if m:
                mark = len(values)
                values.extend(_unquote_key(v) for v in m.groups())
                found = self._walk(kchild, segs, i + 1, values)
                if found is not None:
                    return found
                del values[mark:]
        if node.param is not None and not seg.startswith("$"):
            values.append(seg)
            found = self._walk(node.param, segs, i + 1, values)
            if found is not None:
                return found
            values.pop()
        return None

    def resolve(self, method: str, version: str, path: str) -> tuple[Route, dict[str, str]]:
        """Find the route for a request, or raise Graph's error for it.

        Unknown path: 400 ``BadRequest`` "Resource not found for the segment '...'" (what
        Graph answers); known path, wrong method or an operation that only exists in the
        other version: 405 ``Request_BadRequest``.
        """
        segs = _split(path)
        values: list[str] = []
        node = self._walk(self._root, segs, 0, values)
        if node is None:
            seg = self._first_unknown_segment(segs)
            raise GraphError(400, "BadRequest", f"Resource not found for the segment '{seg}'.")
        candidates = node.routes.get(method.upper())
        if candidates is None and method.upper() == "HEAD":
            candidates = node.routes.get("GET")
        for route in candidates or ():
            if version in route.versions:
                return route, dict(zip(route.param_names, values, strict=False))
        raise GraphError(405, "Request_BadRequest", METHOD_NOT_ALLOWED)

    def _first_unknown_segment(self, segs: list[str]) -> str:
        node: _Node | None = self._root
        for seg in segs:
            if node is None:
                return seg
            nxt = node.literals.get(seg.lower())
            if nxt is None:
                for regex, kchild in node.keyed.values():
                    if regex.match(seg):
                        nxt = kchild
                        break
            if nxt is None and not seg.startswith("$"):
                nxt = node.param
            if nxt is None:
                return seg
            node = nxt
        return segs[-1] if segs else ""
