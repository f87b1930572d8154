"""What every resource family shares: the core, the ``mutating`` marker, id quoting."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ..encoding import quote_segment
from ..errors import ReadOnlyError

if TYPE_CHECKING:
    from ..core import GraphCore

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

    def __init__(self, core: GraphCore) -> None:
        self._core = core

    @property
    def core(self) -> GraphCore:
        return self._core
