"""Parallel listing of a large user collection, within B2C's query rules and Graph's budget.

B2C has no ``$skip`` and no ``$count``, so a collection cannot be split by position. It can be
split by value: ``startswith(userPrincipalName,'c')`` for every character ``c`` a UPN may
begin with is a partition of all users (``startswith`` is case-insensitive, so one case of
each letter is enough). Each partition is paged sequentially (with prefetch); several
partitions run at once, bounded by a concurrency limit and a token bucket that keeps the
request rate inside the documented identity-and-access budget. Users are de-duplicated by id,
so a user renamed while the listing runs is reported once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .query_expr import F
from .validation import UPN_FIRST_CHARACTERS

if TYPE_CHECKING:
    from .core import GraphCore


def upn_partitions(characters: Iterable[str] = UPN_FIRST_CHARACTERS) -> list[str]:
    """One prefix per distinct first character, case-folded (Graph compares case-insensitively)."""
    seen: dict[str, None] = {}
    for char in characters:
        seen.setdefault(char.lower(), None)
    return list(seen)


@dataclass
class RequestBudget:
    """A token bucket of Graph resource units.

    Defaults follow the smallest documented tenant tier (3,500 RU per 10 s per app and tenant)
    and use only ``share`` of it, so an admin's other tools keep working meanwhile. A users
    page with ``$select`` costs 1 RU (2 for GET users, minus 1 for ``$select``).
    """

    units_per_10s: float = 3500.0
    share: float = 0.5
    cost_per_request: float = 1.0
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._rate = self.units_per_10s * self.share / 10.0
        self._tokens = self._rate  # at most one second of burst
        self._stamp = self.clock()
        self._lock = asyncio.Lock()

    @property
    def requests_per_second(self) -> float:
        return self._rate / self.cost_per_request

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                self._tokens = min(self._rate, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens >= self.cost_per_request:
                    self._tokens -= self.cost_per_request
                    return
                await asyncio.sleep((self.cost_per_request - self._tokens) / self._rate)


class _BudgetedCore:
    """Wraps the core so every request of a partition first takes from the budget."""

    def __init__(self, core: GraphCore, budget: RequestBudget) -> None:
        self._core = core
        self._budget = budget

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        await self._budget.acquire()
        return await self._core.request(*args, **kwargs)


async def list_users_parallel(
    core: GraphCore,
    *,
    select: Sequence[str] = ("id", "displayName", "userPrincipalName"),
    top: int = 999,
    partitions: Sequence[str] | None = None,
    concurrency: int = 8,
    budget: RequestBudget | None = None,
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield batches of users (de-duplicated by id) as partitions deliver them.

    Order is not the sequential listing's order; the set of users is the same. Closing the
    generator (or cancelling its consumer) cancels every partition in flight.
    """
    from .paging import PageIterator

    fields = list(dict.fromkeys(["id", *select]))
    budget = budget or RequestBudget()
    prefixes = list(partitions) if partitions is not None else upn_partitions()
    queue: asyncio.Queue[list[dict[str, Any]] | BaseException | None] = asyncio.Queue(
        maxsize=concurrency * 2
    )
    todo: asyncio.Queue[str] = asyncio.Queue()
    for prefix in prefixes:
        todo.put_nowait(prefix)
    budgeted = _BudgetedCore(core, budget)

    async def worker() -> None:
        try:
            while True:
                try:
                    prefix = todo.get_nowait()
                except asyncio.QueueEmpty:
                    return
                params = {
                    "$filter": str(F.startswith("userPrincipalName", prefix)),
                    "$select": ",".join(fields),
                    "$top": str(top),
                }
                pages = PageIterator(budgeted, core.url("/users", params=params))  # type: ignore[arg-type]
                async with pages:
                    async for page in pages:
                        if page.items:
                            await queue.put(page.items)
        except BaseException as exc:  # hand errors to the consumer instead of losing them
            if not isinstance(exc, asyncio.CancelledError):
                await queue.put(exc)
            raise

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, concurrency))]

    async def closer() -> None:
        await asyncio.gather(*workers, return_exceptions=True)
        await queue.put(None)

    closing = asyncio.ensure_future(closer())
    seen: set[str] = set()
    try:
        while True:
            item = await queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            fresh = [u for u in item if u.get("id") not in seen]
            seen.update(u["id"] for u in fresh if "id" in u)
            if fresh:
                yield fresh
    finally:
        for task in (*workers, closing):
            task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*workers, closing, return_exceptions=True)
