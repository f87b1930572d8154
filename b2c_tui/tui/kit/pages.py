"""Listings as the kit pages them: a list computed whole, and a listing's pages changed.

Some panes show something Graph does not page: the policy inheritance tree needs every policy
document parsed before its first row is known, the key report asks ``getActiveKey`` of every
keyset. :class:`OnePage` wraps such an ``async`` function in the page iterator interface the
kit loads (``__anext__``, ``exhausted``, ``aclose``), so the pane keeps the kit's loading,
stale-result dropping, ``/`` filter, sort and export. The function runs in the pane's page
worker, never on the event loop's own path.

Listings that change each page of another on its way to the table (keep the rows ``/``
matches, join other requests, mark each record with its type) subclass :class:`PagesThrough`
and say only what they do to a page: the iterator's interface is passed through. Listings
made page by page here (the audit archive's) subclass :class:`MadePages`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, Protocol

from ...frames.columns import Column
from ...graph.paging import Page

Records = list[dict[str, Any]]


class Pages(Protocol):
    """The page iterator's interface, as the kit loads it."""

    def __aiter__(self) -> Pages: ...

    async def __anext__(self) -> Page: ...

    @property
    def exhausted(self) -> bool: ...

    async def aclose(self) -> None: ...


class MadePages:
    """A listing whose pages are made here, not read from Graph: a subclass's
    :meth:`next_items` gives a page's records and whether more follow; then the listing is
    exhausted (``aclose`` ends it early)."""

    #: the ``next_link`` of a page that is not the last (read only as "more follow")
    more_link: ClassVar[str] = "more"

    def __init__(self) -> None:
        self._done = False
        self._number = 0

    def __aiter__(self) -> MadePages:
        return self

    async def __anext__(self) -> Page:
        if self._done:
            raise StopAsyncIteration
        items, more = await self.next_items()
        self._number += 1
        self._done = not more
        return Page(list(items), self.more_link if more else None, self._number)

    async def next_items(self) -> tuple[Records, bool]:
        """The next page's records and whether more follow."""
        raise NotImplementedError

    @property
    def exhausted(self) -> bool:
        return self._done

    async def aclose(self) -> None:
        self._done = True


class OnePage(MadePages):
    """One page holding what ``fetch()`` returns; then the listing is exhausted."""

    def __init__(self, fetch: Callable[[], Awaitable[Records]]) -> None:
        super().__init__()
        self._fetch = fetch

    async def next_items(self) -> tuple[Records, bool]:
        return await self._fetch(), False


class PagesThrough:
    """The pages of ``inner``, each passed through :meth:`change` before it is handed on;
    ``exhausted`` and ``aclose`` are the inner listing's. A subclass overrides
    :meth:`change`."""

    def __init__(self, inner: Pages) -> None:
        self._inner = inner

    def __aiter__(self) -> PagesThrough:
        return self

    async def __anext__(self) -> Page:
        return await self.change(await self._inner.__anext__())

    async def change(self, page: Page) -> Page:
        """What is handed on for ``page`` (by default, the page as it is)."""
        return page

    @property
    def exhausted(self) -> bool:
        return self._inner.exhausted

    async def aclose(self) -> None:
        await self._inner.aclose()


class LocalFilterPages(PagesThrough):
    """The pages of ``inner`` keeping only the records whose shown cells contain ``text``
    (case-insensitive): ``/`` where Graph cannot filter. The inner listing's prefetch is
    passed on (the kit holds it back until page 1 is on screen)."""

    def __init__(self, inner: Pages, text: str, columns: Sequence[Column]) -> None:
        super().__init__(inner)
        self._needle = text.casefold()
        self._columns = list(columns)

    def _matches(self, record: Mapping[str, Any]) -> bool:
        return any(self._needle in str(c.value(record) or "").casefold()
                   for c in self._columns) or self._needle in str(record.get("id", "")).lower()

    async def change(self, page: Page) -> Page:
        return Page([r for r in page.items if self._matches(r)], page.next_link, page.number)

    @property
    def prefetch(self) -> bool:
        return getattr(self._inner, "prefetch", True)

    @prefetch.setter
    def prefetch(self, on: bool) -> None:
        if hasattr(self._inner, "prefetch"):
            self._inner.prefetch = on


class JoinedPages(PagesThrough):
    """The pages of ``inner`` with ``join`` run on each page's records before it is handed on
    (:attr:`~.spec.PaneSpec.join`)."""

    def __init__(self, inner: Pages, join: Callable[[Records], Awaitable[None]]) -> None:
        super().__init__(inner)
        self._join = join

    async def change(self, page: Page) -> Page:
        if page.items:
            await self._join(page.items)
        return page
