"""What every resource family shares: the core, the ``mutating`` marker, id quoting, and the
three request shapes its methods are made of (list a collection, get an entity, send a body)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..encoding import quote_segment
from ..errors import ReadOnlyError
from ..query import check_b2c
from ._query import QueryArg, to_params
from ._records import entity

if TYPE_CHECKING:
    from ..core import GraphCore
    from ..paging import PageIterator

P = ParamSpec("P")
R = TypeVar("R")

MUTATING_ATTR = "__b2c_mutating__"


def mutating(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Mark a method that changes the tenant; it raises :class:`ReadOnlyError` up front in
    read-only mode, before validation or any request (the core refuses writes too)."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        api = args[0]
        core = getattr(api, "_core", None)
        if core is not None and core.read_only:
            raise ReadOnlyError(
                f"Read-only mode: {type(api).__name__}.{fn.__name__} would change the tenant."
            )
        return await fn(*args, **kwargs)

    setattr(wrapper, MUTATING_ATTR, True)
    return wrapper


def is_mutating(method: Any) -> bool:
    return bool(getattr(method, MUTATING_ATTR, False))


def seg(value: str) -> str:
    """Quote an id, UPN or name for use as one path segment."""
    if not value:
        raise ValueError("An object id is required")
    return quote_segment(value)


class ResourceAPI:
    """Base class of the per-family APIs hung off :class:`b2c_tui.graph.GraphClient`."""

    #: The Graph version the family lives on (``None``: the client's, v1.0 unless configured).
    api_version: str | None = None

    def __init__(self, core: GraphCore) -> None:
        self._core = core

    @property
    def core(self) -> GraphCore:
        return self._core

    def _list(
        self, path: str, query: QueryArg = None, *, select: Iterable[str] | None = None,
        top: int | None = None, version: str | None = None, prefetch: bool = True,
        resource: str | None = None, extra: dict[str, str] | None = None,
    ) -> PageIterator:
        """Pages of the collection at ``path``: the caller's ``query`` merged with the
        ``select``/``top`` shortcuts and ``extra`` parameters, checked against B2C's query
        rules for ``resource`` when one is named (refused before anything is sent)."""
        params = {**to_params(query, select=select, top=top), **(extra or {})}
        if resource is not None:
            params = check_b2c(params, resource=resource)
        return self._core.pages(path, version=version or self.api_version, params=params,
                                prefetch=prefetch)

    async def _get(self, path: str, *, select: Iterable[str] | None = None,
                   version: str | None = None,
                   params: dict[str, str] | None = None) -> dict[str, Any]:
        """The entity at ``path`` as a dict (``{}`` when Graph sends no object)."""
        query = {**to_params(select=select), **(params or {})}
        return entity(await self._core.get_json(path, version=version or self.api_version,
                                                params=query))

    async def _send(self, method: str, path: str, body: Any = None, *,
                    version: str | None = None) -> dict[str, Any]:
        """``method`` with a JSON ``body``; the entity Graph answers with (``{}`` for none,
        e.g. a 204)."""
        return entity(await self._core.send_json(method, path, body,
                                                 version=version or self.api_version))
