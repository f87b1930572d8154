"""Listings that are not Graph collections: a list computed whole, as one page.

Some panes show something Graph does not page: the policy inheritance tree needs every policy
document parsed before its first row is known, the key report asks ``getActiveKey`` of every
keyset. :class:`OnePage` wraps such an ``async`` function in the page iterator interface the
kit loads (``__anext__``, ``exhausted``, ``aclose``), so the pane keeps the kit's loading,
stale-result dropping, ``/`` filter, sort and export. The function runs in the pane's page
worker, never on the event loop's own path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...graph.paging import Page

Records = list[dict[str, Any]]


class OnePage:
    """One page holding what ``fetch()`` returns; then the listing is exhausted."""

    def __init__(self, fetch: Callable[[], Awaitable[Records]]) -> None:
        self._fetch = fetch
        self._done = False

    def __aiter__(self) -> OnePage:
        return self

    async def __anext__(self) -> Page:
        if self._done:
            raise StopAsyncIteration
        items = await self._fetch()
        self._done = True
        return Page(list(items), None, 1)

    @property
    def exhausted(self) -> bool:
        return self._done

    async def aclose(self) -> None:
        self._done = True
