"""Parallel listing of a large user collection, within B2C's query rules and Graph's budget.

B2C has no ``$skip`` and no ``$count``, so a collection cannot be split by position; it is split
by value, by prefixes of the user principal name (:mod:`b2c_tui.graph.partitions`). The
listing first asks for the unfiltered first page (what a sequential listing asks first: a tenant
of one page is listed in one request), plans partitions from the UPNs it holds (a prefix holding
much more than its share is split by its next character; prefixes the sample never saw are
probed in groups), then pages up to ``concurrency`` partitions at once, biggest first. The first
page of every partition is asked before any partition goes on (breadth first): a partition the
plan knew nothing about (a sample sorted by UPN says nothing) or expected empty, that turns out
to have more pages, is split by its next character while fewer partitions are big than may run
at once (its first page's users are kept; its children list them again and the copies are
dropped). The others are paged to their end, sequentially with prefetch.

Every request first takes from a token bucket kept inside the documented identity-and-access
budget (half of it: 3,500 RU per 10 s, raised to the large-tenant 8,000 once a full first page
shows more than 500 users); a 429 halves the bucket's rate and pauses it for the
``Retry-After``, and the rate then recovers over :data:`RECOVERY_SECONDS`. Users are
de-duplicated by id (a user renamed from one partition to another while the listing runs is
reported once), which costs about 100 bytes per user. A prefix Graph refuses to filter on (400)
ends the listing with that error, unless it holds a character no UPN may contain.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from .errors import GraphError
from .paging import Page, PageIterator, parse_page
from .partitions import Partition, can_split, is_required, plan_partitions, split_partition
from .validation import UPN_FIRST_CHARACTERS

if TYPE_CHECKING:
    from .core import GraphCore

log = logging.getLogger(__name__)

#: Seconds a throttled budget takes to climb back to its full rate.
RECOVERY_SECONDS = 30.0
#: Resource units per 10 s per app and tenant for the identity-and-access family, by tenant
#: size (behaviour.md): small (< 50 users), medium (50-500), large (> 500).
TENANT_RU_PER_10S = {"S": 3500.0, "M": 5000.0, "L": 8000.0}


def upn_partitions(characters: Sequence[str] = UPN_FIRST_CHARACTERS) -> list[str]:
    """One prefix per distinct first character, case-folded (Graph compares case-insensitively)."""
    return list(dict.fromkeys(c.lower() for c in characters))


@dataclass
class RequestBudget:
    """A token bucket of Graph resource units, with back-off on 429.

    Defaults follow the smallest documented tenant tier (3,500 RU per 10 s per app and tenant)
    and use only ``share`` of it, so an admin's other tools keep working meanwhile. A users
    page with ``$select`` costs 1 RU (2 for GET users, minus 1 for ``$select``). A listing
    that learns the tenant is large (a full first page) raises ``units_per_10s`` to the large
    tier with :meth:`set_units`.
    """

    units_per_10s: float = TENANT_RU_PER_10S["S"]
    share: float = 0.5
    cost_per_request: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Any] = asyncio.sleep
    burst: float | None = None  # requests that may go at once (default: one second's worth)
    throttled: int = field(default=0, init=False)
    explicit: bool = field(default=True, repr=False)

    def __post_init__(self) -> None:
        self._full = self.units_per_10s * self.share / 10.0
        self._rate = self._full
        self._tokens = self._capacity()
        self._stamp = self.clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def _capacity(self) -> float:
        """Tokens the bucket holds at most: ``burst`` requests, else one second's worth."""
        if self.burst is not None:
            return self.burst * self.cost_per_request
        return max(self._rate, self.cost_per_request)

    @property
    def requests_per_second(self) -> float:
        """Requests a second allowed now (lower than :attr:`full_rate` after a 429)."""
        return self._rate / self.cost_per_request

    @property
    def full_rate(self) -> float:
        return self._full / self.cost_per_request

    def describe(self) -> str:
        """``"175 requests/s (50% of 3,500 RU per 10 s)"``: for progress displays."""
        text = (f"{self.requests_per_second:,.0f} requests/s ({self.share:.0%} of "
                f"{self.units_per_10s:,.0f} RU per 10 s)")
        return text + (", backing off" if self._rate < self._full * 0.99 else "")

    def set_units(self, units_per_10s: float) -> None:
        """Follow a different tier (the listing learnt the tenant's size)."""
        ratio = self._rate / self._full if self._full else 1.0
        self.units_per_10s = units_per_10s
        self._full = units_per_10s * self.share / 10.0
        self._rate = self._full * ratio

    def throttle(self, delay: float) -> None:
        """Graph answered 429: pause every request for ``delay`` seconds and halve the rate."""
        self.throttled += 1
        now = self.clock()
        self._paused_until = max(self._paused_until, now + max(0.0, delay))
        self._rate = max(self._full / 64, self._rate / 2)
        self._tokens = min(self._tokens, 0.0)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                if now < self._paused_until:
                    await self.sleep(self._paused_until - now)
                    continue
                elapsed = max(0.0, now - self._stamp)
                self._rate = min(self._full, self._rate + elapsed * self._full / RECOVERY_SECONDS)
                self._tokens = min(self._capacity(), self._tokens + elapsed * self._rate)
                self._stamp = now
                if self._tokens >= self.cost_per_request - 1e-9:  # float dust: not a wait
                    self._tokens -= self.cost_per_request
                    return
                await self.sleep((self.cost_per_request - self._tokens) / self._rate)


class BudgetedCore:
    """Wraps a core so every request first takes from ``budget`` (pass it where a
    :class:`~b2c_tui.graph.paging.PageIterator` wants a core); counts the requests sent."""

    def __init__(self, core: GraphCore, budget: RequestBudget) -> None:
        self._core = core
        self._budget = budget
        self.requests = 0

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        await self._budget.acquire()
        self.requests += 1
        return await self._core.request(*args, **kwargs)


@dataclass(frozen=True)
class ListingStatus:
    """Where a partitioned listing stands (for progress displays)."""

    partitions: int  # partitions known so far (planned, and children of splits)
    active: int  # partitions paging now
    done: int  # partitions finished
    splits: int  # partitions split because their first page showed they were big
    requests: int  # requests sent by the listing
    throttled: int  # 429 answers that made the listing back off
    requests_per_second: float  # what the budget allows now
    budget: str  # the budget in words

    def describe(self) -> str:
        return (f"{self.partitions:,} partitions ({self.active} listing, {self.done:,} done), "
                f"budget {self.budget}")


class PartitionedUsers:
    """An async iterator of :class:`~b2c_tui.graph.paging.Page` listing every user of
    ``first_url`` (an unfiltered ``/users`` listing with its ``$select`` and ``$top``) by UPN
    partitions in parallel. Pages hold users not listed before (de-duplicated by id); the order
    is not Graph's. ``aclose()`` (or cancelling the consumer) cancels every request in flight.
    ``partitions`` fixes the prefixes (no sample, no splitting)."""

    def __init__(self, core: GraphCore, first_url: str, *, headers: dict[str, str] | None = None,
                 concurrency: int = 16, budget: RequestBudget | None = None,
                 partitions: Sequence[str] | None = None) -> None:
        self._core = core
        self._headers = dict(headers or {})
        self._concurrency = max(1, concurrency)
        self._budget = budget or RequestBudget(explicit=False)
        parts = urlsplit(first_url)
        self._base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        query = parse_qsl(parts.query, keep_blank_values=True)
        # GET users costs 2 resource units, 1 with $select (behaviour.md).
        self._budget.cost_per_request = 1.0 if any(k == "$select" for k, _ in query) else 2.0
        self._budgeted = BudgetedCore(core, self._budget)
        # The plan reads UPNs: a $select without userPrincipalName gets it added.
        query = [(k, _with_upn(v) if k == "$select" else v) for k, v in query]
        self._params = [(k, v) for k, v in query if k.lower() not in ("$filter", "$skiptoken")]
        self._first_url = self._core.url(self._base, params=dict(query))
        self._fixed = list(partitions) if partitions is not None else None
        self._queue: asyncio.Queue[list[dict[str, Any]] | BaseException | None] = \
            asyncio.Queue(maxsize=self._concurrency * 2)
        self._heap: list[tuple[tuple[int, int, float], int, _Work]] = []
        self._order = itertools.count()
        self._wake = asyncio.Condition()
        self._outstanding = 0
        self._active = self._done = self._splits = self._known = 0
        self._big = self._probing = 0  # partitions known to have more pages; first pages asked
        self._seen: set[str] = set()
        self._number = 0
        self._task: asyncio.Task[None] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._closed = False
        self._finished = False
        self._groups_refused = False

    # -- the consumer's side ----------------------------------------------------------------
    def __aiter__(self) -> PartitionedUsers:
        return self

    async def __anext__(self) -> Page:
        if self._closed or self._finished:
            raise StopAsyncIteration
        if self._task is None:
            self._core.add_listener(self._on_throttle)
            self._task = asyncio.ensure_future(self._run())
        while True:
            item = await self._queue.get()
            if item is None:
                self._finished = True
                await self._stop()
                raise StopAsyncIteration
            if isinstance(item, BaseException):
                self._finished = True
                await self._stop()
                raise item
            fresh = [u for u in item if u.get("id") not in self._seen]
            self._seen.update(u["id"] for u in fresh if "id" in u)
            if fresh:
                self._number += 1
                return Page(fresh, "partitioned", self._number)

    def status(self) -> ListingStatus:
        """Partitions, requests and the budget, now."""
        budget = self._budget
        return ListingStatus(self._known, self._active, self._done, self._splits,
                             self._budgeted.requests, budget.throttled,
                             budget.requests_per_second, budget.describe())

    async def aclose(self) -> None:
        """Stop listing: cancel every partition and request in flight."""
        self._closed = True
        await self._stop()

    async def __aenter__(self) -> PartitionedUsers:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _stop(self) -> None:
        listeners = self._core.stats.listeners
        with contextlib.suppress(ValueError):
            listeners.remove(self._on_throttle)
        tasks = [t for t in (self._task, *self._workers) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _on_throttle(self, event: Any) -> None:
        if getattr(event, "status", None) == 429:
            self._budget.throttle(float(getattr(event, "delay", 0.0)))

    # -- the producers ------------------------------------------------------------------------
    async def _run(self) -> None:
        try:
            if self._fixed is not None:
                plan = [Partition((p,), None, len(p)) for p in self._fixed]
            else:
                page = await self._first_page()
                if page is None:
                    await self._queue.put(None)
                    return
                plan = page
            self._known = len(plan)
            for partition in plan:
                self._push(_Work(partition))
            self._workers = [asyncio.ensure_future(self._worker())
                             for _ in range(self._concurrency)]
            try:
                await asyncio.gather(*self._workers)
            except BaseException:
                for worker in self._workers:  # one partition failed: the listing has
                    worker.cancel()
                await asyncio.gather(*self._workers, return_exceptions=True)
                raise
            await self._queue.put(None)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # hand errors to the consumer instead of losing them
            await self._queue.put(exc)

    async def _first_page(self) -> list[Partition] | None:
        """The unfiltered first page: listed as it is, and the sample the plan comes from.
        ``None`` when it is the only page."""
        response = await self._budgeted.request("GET", self._first_url, headers=self._headers)
        page = parse_page(response.content, 0, self._first_url)
        if page.items:
            await self._queue.put(page.items)
        if not page.has_more:
            return None
        if not self._budget.explicit:  # a full page: more than 500 users, the large tier
            self._budget.set_units(TENANT_RU_PER_10S["L"])
        return plan_partitions([u.get("userPrincipalName") for u in page.items],
                               self._concurrency)

    def _push(self, work: _Work) -> None:
        key = (0 if work.next_url is None else 1, *work.partition.priority())
        heapq.heappush(self._heap, (key, next(self._order), work))
        self._outstanding += 1

    async def _next(self) -> _Work | None:
        async with self._wake:
            while not self._heap:
                if self._outstanding == 0:
                    return None
                await self._wake.wait()
            return heapq.heappop(self._heap)[2]

    async def _finish(self, follow: list[_Work]) -> None:
        async with self._wake:
            for work in follow:
                self._push(work)
            self._outstanding -= 1
            self._wake.notify_all()

    async def _worker(self) -> None:
        while (work := await self._next()) is not None:
            self._active += 1
            try:
                follow = await (self._probe(work) if work.next_url is None
                                else self._continue(work))
            finally:
                self._active -= 1
            await self._finish(follow)

    def _split(self, partition: Partition, sample: list[Any]) -> list[_Work]:
        self._splits += 1
        children = split_partition(partition, sample)
        self._known += len(children) - 1  # the partition is replaced by its children
        return [_Work(child) for child in children]

    async def _probe(self, work: _Work) -> list[_Work]:
        """A partition's first page. Every first page is asked before any partition goes on
        (breadth first), so what they reveal (which partitions are big) decides the splits."""
        partition = work.partition
        if partition.is_group and self._groups_refused:
            return self._split(partition, [])
        params = [*self._params, ("$filter", partition.filter())]
        url = self._core.url(self._base, params=dict(params))
        self._probing += 1
        try:
            response = await self._budgeted.request("GET", url, headers=self._headers)
        except GraphError as exc:
            if exc.status != 400:
                raise
            if partition.is_group:
                # This Graph refuses "startswith(...) or startswith(...)": probe one by one.
                log.info("users listing: grouped prefixes refused (%s); probing them alone",
                         exc.code)
                self._groups_refused = True
                return self._split(partition, [])
            if is_required(partition.prefixes[0]):
                raise
            # A character Entra never allows in a UPN, which this Graph will not even take
            # in a filter: no user can start with it.
            log.info("users listing: prefix %r refused (%s); no UPN can hold it",
                     partition.prefixes[0], exc.code)
            self._done += 1
            return []
        finally:
            self._probing -= 1
        page = parse_page(response.content, 1, url)
        if page.items:
            await self._queue.put(page.items)
        if not page.has_more:
            self._done += 1
            return []
        self._big += 1
        return [_Work(partition, page.next_link,
                      [u.get("userPrincipalName") for u in page.items])]

    async def _continue(self, work: _Work) -> list[_Work]:
        """Page a big partition to its end, or split it if too few partitions are big."""
        try:
            if self._should_split(work):
                return self._split(work.partition, work.sample)
            pages = PageIterator(self._budgeted, work.next_url or "",  # type: ignore[arg-type]
                                 headers=self._headers)
            async with pages:
                async for page in pages:
                    if page.items:
                        await self._queue.put(page.items)
            self._done += 1
            return []
        finally:
            self._big -= 1

    def _should_split(self, work: _Work) -> bool:
        """Split a big partition the plan knew nothing about (or expected empty) while fewer
        partitions are big than may run at once: its first page is listed again by its
        children (the copies are dropped), the rest of it is listed in parallel."""
        partition = work.partition
        if self._fixed is not None or (partition.share or 0.0) > 0.0:
            return False
        return (self._big + self._probing < self._concurrency
                and can_split(partition, work.sample))


@dataclass
class _Work:
    """A partition to probe (``next_url`` is ``None``) or to continue from ``next_url``;
    ``sample`` holds the UPNs of its first page."""

    partition: Partition
    next_url: str | None = None
    sample: list[Any] = field(default_factory=list)


def _with_upn(select: str) -> str:
    fields = [f for f in select.split(",") if f]
    if not any(f.lower() == "userprincipalname" for f in fields):
        fields.append("userPrincipalName")
    return ",".join(fields)


def partitioned_pages(pages: Any, *, concurrency: int = 16,
                      budget: RequestBudget | None = None) -> PartitionedUsers | None:
    """A :class:`PartitionedUsers` listing the same users as ``pages``, when ``pages`` is a
    :class:`~b2c_tui.graph.paging.PageIterator` not yet started over the whole ``/users``
    collection (no ``$filter``, ``$search``, ``$orderby`` or advanced-query header: those are
    listed as they are); ``None`` otherwise."""
    first = pages.unstarted_request() if isinstance(pages, PageIterator) else None
    if first is None:
        return None
    from .core import GraphCore  # at run time only: core is the heavier module

    core, url, given = first
    if not isinstance(core, GraphCore):  # a wrapper (a budget of its own): leave it as it is
        return None
    parts = urlsplit(url)
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    headers = {k.lower() for k in given}
    if (not parts.path.rstrip("/").lower().endswith("/users")
            or keys & {"$filter", "$search", "$orderby", "$skiptoken", "$count", "$expand"}
            or "consistencylevel" in headers):
        return None
    return PartitionedUsers(core, url, headers=given, concurrency=concurrency,
                            budget=budget)


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
    fields = list(dict.fromkeys(["id", "userPrincipalName", *select]))
    url = core.url("/users", params={"$select": ",".join(fields), "$top": str(top)})
    listing = PartitionedUsers(core, url, concurrency=concurrency, budget=budget,
                               partitions=partitions)
    async with listing:
        async for page in listing:
            yield page.items
