"""Paging: follow ``@odata.nextLink`` verbatim, one page at a time, with prefetch.

``PageIterator`` is an async iterator of :class:`Page`. While the caller works on page N the
request for page N+1 is already in flight (prefetch), which hides most of Graph's per-page
latency in sequential listing. ``aclose()`` (or leaving an ``async with`` block, or cancelling
the consuming task) cancels the request in flight, so a refreshed view never receives a stale
page.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, Protocol

import orjson

from .response import GraphResponse, decode_json


class PageSource(Protocol):
    """What paging needs from the core: one GET with headers and a look at the body's head
    (:class:`~b2c_tui.graph.core.GraphCore` is one; so is a wrapper that budgets requests)."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = ...,
        on_head: Callable[[bytes], bool] | None = ...,
    ) -> GraphResponse: ...


_NEXT_LINK = re.compile(rb'"@odata\.nextLink"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class Page:
    """One page of a collection: its records and where the next one is."""

    items: list[dict[str, Any]]
    next_link: str | None
    number: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.next_link is not None


def parse_page(content: bytes, number: int, url: str = "") -> Page:
    """A :class:`Page` from a collection's JSON body."""
    body = decode_json(content, url=url) or {}
    if not isinstance(body, dict):
        return Page([], None, number)
    items = body.pop("value", None)
    if items is None:
        items = []
    next_link = body.pop("@odata.nextLink", None)
    return Page(items, next_link, number, body)


class ClosablePages(Protocol):
    """An async iterator of pages that can be closed early (a listing of any kind)."""

    def __aiter__(self) -> AsyncIterator[Page]: ...

    async def aclose(self) -> None: ...


async def collect_records(pages: ClosablePages, limit: int | None = None
                          ) -> list[dict[str, Any]]:
    """Every record of ``pages`` (or the first ``limit``), then close it."""
    out: list[dict[str, Any]] = []
    try:
        async for page in pages:
            out.extend(page.items)
            if limit is not None and len(out) >= limit:
                return out[:limit]
    finally:
        await pages.aclose()
    return out


class FirstRequest(NamedTuple):
    """How a :class:`PageIterator` that has not started would ask for its first page."""

    source: PageSource
    url: str
    headers: dict[str, str]


class PageIterator:
    """Async iterator over the pages of a Graph collection."""

    def __init__(
        self,
        core: PageSource,
        first_url: str,
        *,
        headers: dict[str, str] | None = None,
        prefetch: bool = True,
    ) -> None:
        self._core = core
        self._next_url: str | None = first_url
        self._headers = headers or {}
        self._prefetch = prefetch
        self._pending: asyncio.Task[Page] | None = None
        self._early: tuple[str, asyncio.Task[Page]] | None = None
        self._awaiting = 0  # number of the page the caller is waiting for, 0 when busy
        self._number = 0
        self._closed = False

    async def _fetch(self, url: str, number: int) -> Page:
        # Headers such as ConsistencyLevel are not carried by nextLink: resend them every page.
        on_head = partial(self._early_next, number) if self._prefetch else None
        response = await self._core.request("GET", url, headers=self._headers, on_head=on_head)
        return parse_page(response.content, number, url)

    def _early_next(self, number: int, head: bytes) -> bool:
        """Graph writes ``@odata.nextLink`` before ``value``: when the caller is already
        waiting for this page, request the next one as soon as its link arrives rather than
        after this page has downloaded and decoded. At most this page and the next are held."""
        found = _NEXT_LINK.search(head, 0, 16384)
        if found is None:
            return b'"value"' in head or len(head) > 16384  # give up: no link up front
        if self._closed or self._early is not None:
            return True
        if self._awaiting != number:
            return False  # the caller is still busy: look again as more bytes arrive
        url = orjson.loads(b'"' + found.group(1) + b'"')
        self._early = (url, asyncio.ensure_future(self._fetch(url, number + 1)))
        return True

    def _start(self) -> asyncio.Task[Page] | None:
        if self._next_url is None or self._closed:
            return None
        url, self._next_url = self._next_url, None
        self._number += 1
        early, self._early = self._early, None
        if early is not None:
            if early[0] == url:
                return early[1]
            early[1].cancel()
        return asyncio.ensure_future(self._fetch(url, self._number))

    def __aiter__(self) -> PageIterator:
        return self

    async def __anext__(self) -> Page:
        if self._closed:
            raise StopAsyncIteration
        task = self._pending or self._start()
        self._pending = None
        if task is None:
            raise StopAsyncIteration
        self._awaiting = self._number
        try:
            page = await task
        except BaseException:
            task.cancel()
            self._closed = True
            self._cancel_early()
            raise
        finally:
            self._awaiting = 0
        self._next_url = page.next_link
        if self._prefetch:
            self._pending = self._start()
        return page

    @property
    def exhausted(self) -> bool:
        return self._closed or (self._next_url is None and self._pending is None)

    def unstarted_request(self) -> FirstRequest | None:
        """The source, URL and headers of the first page while nothing has been requested
        (so another lister may take over the same question); ``None`` once paging started or
        the iterator was closed."""
        if self._number or self._closed or self._next_url is None:
            return None
        return FirstRequest(self._core, self._next_url, dict(self._headers))

    @property
    def prefetch(self) -> bool:
        """Whether the next page is requested before the caller asks for it.

        A view may turn it off until its first page is on screen (against the in-process demo
        tenant a prefetched page is built on the same event loop, before the first one is
        shown); turning it on again requests the next page at once unless a page is awaited.
        """
        return self._prefetch

    @prefetch.setter
    def prefetch(self, on: bool) -> None:
        self._prefetch = bool(on)
        if on and self._pending is None and not self._awaiting:
            self._pending = self._start()

    def _cancel_early(self) -> None:
        early, self._early = self._early, None
        if early is not None:
            early[1].cancel()

    async def aclose(self) -> None:
        """Stop paging and cancel the prefetched request, if any."""
        self._closed = True
        self._cancel_early()
        task, self._pending = self._pending, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        elif task is not None and not task.cancelled():
            # Retrieve the outcome so asyncio does not warn about an unobserved error.
            task.exception()

    async def __aenter__(self) -> PageIterator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def items(self) -> AsyncIterator[dict[str, Any]]:
        """Every record of every page, in order."""
        try:
            async for page in self:
                for item in page.items:
                    yield item
        finally:
            await self.aclose()

    async def collect(self, limit: int | None = None) -> list[dict[str, Any]]:
        """All records (or the first ``limit``), then close."""
        return await collect_records(self, limit)


class ChainedPages:
    """Pages of several queries one after another, records de-duplicated by ``id``.

    Used where one question needs several B2C queries (a word that may be a display-name
    prefix or a username). Same interface as :class:`PageIterator`.
    """

    def __init__(self, iterators: list[PageIterator]) -> None:
        self._iterators = list(iterators)
        self._seen: set[str] = set()
        self._number = 0

    def __aiter__(self) -> ChainedPages:
        return self

    async def __anext__(self) -> Page:
        while self._iterators:
            current = self._iterators[0]
            try:
                page = await current.__anext__()
            except StopAsyncIteration:
                self._iterators.pop(0)
                continue
            fresh = [r for r in page.items if r.get("id") not in self._seen]
            self._seen.update(str(r.get("id")) for r in fresh)
            self._number += 1
            more = page.has_more or len(self._iterators) > 1
            return Page(fresh, page.next_link if page.has_more else ("chained" if more else None),
                        self._number)
        raise StopAsyncIteration

    @property
    def exhausted(self) -> bool:
        return all(it.exhausted for it in self._iterators)

    async def aclose(self) -> None:
        for it in self._iterators:
            await it.aclose()
        self._iterators.clear()

    async def collect(self, limit: int | None = None) -> list[dict[str, Any]]:
        """All records (or the first ``limit``), then close."""
        return await collect_records(self, limit)
