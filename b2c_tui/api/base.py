"""What every part of :class:`~b2c_tui.api.Tenant` shares: the connection, the private loop,
sync and async calls with progress, and the tenant's custom attributes (found once)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, cast

from ..frames.columns import Column
from ..frames.extensions import ExtensionAttribute, custom_attributes
from ..graph.query import Filter
from .frames import Listing, listing_frame
from .progress import Progress
from .runner import LoopRunner

if TYPE_CHECKING:
    import pandas as pd

    from ..connection import Connection
    from ..graph.client import GraphClient

T = TypeVar("T")
C_co = TypeVar("C_co", covariant=True)
Select = Iterable[str] | str | None
Where = str | Filter | None

class TenantBase:
    """The connection and the private loop every call runs on."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._runner: LoopRunner | None = None
        self._closed = False
        self._lock = threading.Lock()  # the first calls may come from several threads at once
        self._extensions: list[ExtensionAttribute] | None = None

    # -- running calls ---------------------------------------------------------------------
    @property
    def client(self) -> GraphClient:
        """The async Graph client (use it through :meth:`call`/:meth:`call_async`, which run on
        the tenant's loop; awaiting it from another loop breaks its connection pool)."""
        return self.connection.client

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    def _loop(self) -> LoopRunner:
        with self._lock:
            if self._closed:
                raise RuntimeError("This tenant is closed; open it again with "
                                   "Tenant.connect().")
            if self._runner is None:
                self._runner = LoopRunner()
            return self._runner

    def _sync(self, impl: Callable[..., Coroutine[Any, Any, T]], description: str | None,
              progress: bool | None, /, *, unit: str = "rows", **kwargs: Any) -> T:
        """Run ``impl(bar, **kwargs)`` on the tenant's loop and wait; ``description`` names the
        progress bar (``None``: a call too short for one), counted in ``unit``."""
        bar = Progress(description, enabled=progress, unit=unit) if description else None
        return self._loop().run(impl(bar, **kwargs), bar)

    async def _async(self, impl: Callable[..., Coroutine[Any, Any, T]], description: str | None,
                     progress: bool | None, /, *, unit: str = "rows", **kwargs: Any) -> T:
        """:meth:`_sync` for callers with their own event loop."""
        bar = Progress(description, enabled=progress, unit=unit) if description else None
        return await self._loop().run_async(impl(bar, **kwargs), bar)

    def _frame(self, spec: Listing, progress: bool | None, **options: Any) -> pd.DataFrame:
        """``spec``'s frame (``select=``, ``filter=``, ``limit=`` and the family's own
        ``options``), its progress bar named by its title, waited for."""
        return self._sync(self._listing, spec.title, progress, spec=spec, **options)

    async def _frame_async(self, spec: Listing, progress: bool | None,
                           **options: Any) -> pd.DataFrame:
        """:meth:`_frame` for callers with their own event loop."""
        return await self._async(self._listing, spec.title, progress, spec=spec, **options)

    async def _listing(self, bar: Progress | None, *, spec: Listing,
                       select: Iterable[str] | str | None, limit: int | None,
                       filter: str | Filter | None = None, extra: Sequence[Column] = (),
                       **options: Any) -> pd.DataFrame:
        """Page ``spec``'s family (``spec.pages`` with ``options``) into its frame."""
        pages, client = spec.pages, self.client
        if pages is None:
            raise TypeError(f"{spec.title} is not listed page by page")
        return await listing_frame(
            spec, lambda query, prefetch: pages(client, query, prefetch, **options),
            select=select, filter=filter, limit=limit, progress=bar, extra=extra)

    def call(self, fn: Callable[[GraphClient], Awaitable[T]]) -> T:
        """Run ``fn(client)`` (a coroutine function) on the tenant's loop and return its result:
        the way to use the raw client from a notebook, e.g.
        ``tenant.call(lambda g: g.users.get(user_id))``."""
        return self._sync(self._invoke, None, None, fn=fn)

    async def call_async(self, fn: Callable[[GraphClient], Awaitable[T]]) -> T:
        """Async twin of :meth:`call`."""
        return await self._async(self._invoke, None, None, fn=fn)

    async def _invoke(self, _bar: Progress | None, *,
                      fn: Callable[[GraphClient], Awaitable[T]]) -> T:
        return await fn(self.client)

    # -- custom attributes -----------------------------------------------------------------
    async def _custom_attributes(self) -> list[ExtensionAttribute]:
        """The tenant's custom attributes, from its user-flow attributes (once per tenant)."""
        if self._extensions is None:
            self._extensions = custom_attributes(
                await self.client.user_flow_attributes.list().collect())
        return self._extensions

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection and stop the tenant's loop (idempotent)."""
        with self._lock:
            runner, self._runner, self._closed = self._runner, None, True
        if runner is not None:
            runner.close(self.connection.aclose())

    async def aclose(self) -> None:
        """Async twin of :meth:`close` (the loop thread is stopped off the caller's loop)."""
        import asyncio

        with self._lock:
            runner, self._runner, self._closed = self._runner, None, True
        if runner is not None:
            await asyncio.to_thread(runner.close, self.connection.aclose())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        mode = " read-only" if self.read_only else ""
        return f"<Tenant {self.connection.label}{mode}>"


class ListingCall(Protocol):
    """A family listed by :func:`listing_methods`, as called on a tenant."""

    def __call__(self, *, filter: Where = None, select: Select = None, limit: int | None = None,
                 progress: bool | None = None) -> pd.DataFrame: ...


class AsyncListingCall(Protocol):
    """The ``*_async`` twin of a :class:`ListingCall`."""

    def __call__(self, *, filter: Where = None, select: Select = None, limit: int | None = None,
                 progress: bool | None = None) -> Coroutine[Any, Any, pd.DataFrame]: ...


class Method(Protocol[C_co]):
    """A function kept in a class: read from a tenant, it is the bound call ``C_co``."""

    def __get__(self, obj: object, owner: type | None = None) -> C_co: ...


def listing_methods(
    name: str, spec: Listing, doc: str
) -> tuple[Method[ListingCall], Method[AsyncListingCall]]:
    """The method ``name`` (documented by ``doc``) and its ``name_async`` twin that list
    ``spec`` with ``filter=``, ``select=``, ``limit=`` and ``progress=``: written once for
    every family that takes no option of its own (real functions, so ``help()`` and
    ``inspect.signature`` show them as if written out in the class)."""

    def sync(self: TenantBase, *, filter: Where = None, select: Select = None,
             limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        return self._frame(spec, progress, filter=filter, select=select, limit=limit)

    async def twin(self: TenantBase, *, filter: Where = None, select: Select = None,
                   limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        return await self._frame_async(spec, progress, filter=filter, select=select,
                                       limit=limit)

    sync.__name__ = sync.__qualname__ = name
    sync.__doc__ = doc
    twin.__name__ = twin.__qualname__ = f"{name}_async"
    twin.__doc__ = f"Async twin of :meth:`{name}`."
    return cast("Method[ListingCall]", sync), cast("Method[AsyncListingCall]", twin)
