"""Where the audit pane's entries come from: the tenant, the local archive, or both merged.

Each source is an async iterator of :class:`~b2c_tui.graph.paging.Page` s of whole
``directoryAudit`` entries, newest first, with the page iterator's interface (``exhausted``,
``aclose``), so the kit pages any of them lazily into the table and exports them the same way:

- :class:`TenantPages`: Graph's listing with the ``$filter`` Graph answers, then the whole
  filter applied to each page (what Graph cannot filter; the archive's own
  :class:`~b2c_tui.audit.AuditFilter`, so both sources mean the same thing by a filter).
- :class:`ArchivePages`: the archive's answer a page at a time, off the event loop: each page
  asks for the newest entries up to where the previous one stopped (entries of the boundary
  microsecond already shown are skipped), so a million archived entries are never read at once.
- :class:`MergedPages`: both, newest first, each entry once (the tenant's copy wins).

No Textual here.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from ....audit import AuditArchive, AuditFilter, SkippedFile, to_table
from ....audit.schema import parse_time
from ....graph.errors import B2CTuiError
from ....graph.paging import Page
from ...kit.pages import MadePages, Pages, PagesThrough

if TYPE_CHECKING:
    from ....graph.paging import PageIterator

#: Entries per page (Graph's audit log allows 5 requests per 10 s: fewer, larger pages).
PAGE_SIZE = 500
ARCHIVE_COLUMNS = ["id", "activityDateTime", "entry"]
Entry = dict[str, Any]


class ArchiveError(B2CTuiError):
    """The local archive could not be read."""


def matching(entries: list[Entry], where: AuditFilter | None) -> list[Entry]:
    """The entries of one page that ``where`` keeps (the archive's semantics)."""
    if where is None or where.empty or not entries:
        return entries
    mask = where.mask(to_table(entries))
    if mask is None:
        return entries
    keep = mask.to_pylist()
    return [entry for entry, hit in zip(entries, keep, strict=True) if hit]


class TenantPages(PagesThrough):
    """Graph's pages (server-side filter already in ``inner``), narrowed by ``where``."""

    def __init__(self, inner: PageIterator, where: AuditFilter | None) -> None:
        super().__init__(inner)
        self._where = where

    async def change(self, page: Page) -> Page:
        return Page(matching(page.items, self._where), page.next_link, page.number)


class ArchivePages(MadePages):
    """The archive's entries matching ``where``, newest first, ``page_size`` at a time."""

    more_link: ClassVar[str] = "archive"

    def __init__(self, archive: AuditArchive, where: AuditFilter,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.archive = archive
        self.where = where
        self.page_size = page_size
        #: archive files that could not be read (reported by the pane, never dropped quietly)
        self.skipped: list[SkippedFile] = []
        #: entries matching in all (known after the first page)
        self.matched: int | None = None
        self._cursor: datetime | None = None
        self._at_cursor: set[str] = set()

    async def next_items(self) -> tuple[list[Entry], bool]:
        try:
            return await asyncio.to_thread(self._next_entries)
        except B2CTuiError:
            raise
        except Exception as exc:  # pyarrow, the file system: one line, not a traceback
            self._done = True
            raise ArchiveError(f"The local audit archive could not be read: "
                               f"{type(exc).__name__}: {exc}"[:300]) from None

    def _next_entries(self) -> tuple[list[Entry], bool]:
        where = self.where
        if self._cursor is not None:
            until = where.bounds()[1]
            where = replace(where, until=self._cursor if until is None
                            else min(until, self._cursor))
        limit = self.page_size + len(self._at_cursor)
        found = self.archive.query(where, columns=ARCHIVE_COLUMNS, limit=limit)
        self._note_skipped(found.skipped)
        if self.matched is None:
            self.matched = found.matched
        table = found.table
        ids = table.column("id").to_pylist()
        times = table.column("activityDateTime").to_pylist()
        texts = table.column("entry").to_pylist()
        entries: list[Entry] = []
        for entry_id, when, text in zip(ids, times, texts, strict=True):
            if when == self._cursor and entry_id in self._at_cursor:
                continue  # shown on the page before
            entries.append(orjson.loads(text) if text else {"id": entry_id})
        if times:
            last = times[-1]
            at_last = {i for i, t in zip(ids, times, strict=True) if t == last}
            self._at_cursor = (self._at_cursor | at_last) if last == self._cursor else at_last
            self._cursor = last
        return entries, found.matched > table.num_rows

    def _note_skipped(self, skipped: list[SkippedFile]) -> None:
        known = {s.path for s in self.skipped}
        self.skipped.extend(s for s in skipped if s.path not in known)


class _Side:
    """One source of a merge: its pages, the entries not yet merged, and whether it ended."""

    def __init__(self, pages: Pages, name: str) -> None:
        self.pages, self.name = pages, name
        self.buffer: deque[tuple[tuple[int, str], Entry]] = deque()
        self.ended = False

    async def fill(self) -> None:
        while not self.buffer and not self.ended:
            try:
                page = await self.pages.__anext__()
            except StopAsyncIteration:
                self.ended = True
                return
            self.buffer.extend((_key(e), e) for e in page.items)
            if not page.has_more:
                self.ended = True


def _key(entry: Entry) -> tuple[int, str]:
    """Newest-first order: the time (microseconds; Graph's seventh digit is not archived)
    and the id."""
    when = parse_time(entry.get("activityDateTime"))
    stamp = int(when.timestamp() * 1_000_000) if when is not None else 0
    return stamp, str(entry.get("id", ""))


class MergedPages:
    """The tenant's and the archive's entries, newest first, each id once (the tenant's
    copy wins: it is what Graph says now)."""

    def __init__(self, tenant: Pages, archive: ArchivePages,
                 page_size: int = PAGE_SIZE) -> None:
        self.tenant, self.archive = _Side(tenant, "tenant"), _Side(archive, "archive")
        self.page_size = page_size
        self._time: int | None = None
        self._ids_at_time: set[str] = set()
        self._number = 0

    @property
    def skipped(self) -> list[SkippedFile]:
        pages = self.archive.pages
        return pages.skipped if isinstance(pages, ArchivePages) else []

    def __aiter__(self) -> MergedPages:
        return self

    async def __anext__(self) -> Page:
        if self.exhausted:
            raise StopAsyncIteration
        out: list[Entry] = []
        while len(out) < self.page_size:
            if any(not s.buffer and not s.ended for s in (self.tenant, self.archive)):
                await asyncio.gather(self.tenant.fill(), self.archive.fill())
            sides = [s for s in (self.tenant, self.archive) if s.buffer]
            if not sides:
                break
            # Newest first; on a tie the tenant (listed first) wins.
            side = max(sides, key=lambda s: s.buffer[0][0][0])
            (stamp, entry_id), entry = side.buffer.popleft()
            if stamp != self._time:
                self._time, self._ids_at_time = stamp, set()
            if entry_id in self._ids_at_time:
                continue
            self._ids_at_time.add(entry_id)
            out.append(entry)
        self._number += 1
        return Page(out, None if self.exhausted else "merged", self._number)

    @property
    def exhausted(self) -> bool:
        return all(s.ended and not s.buffer for s in (self.tenant, self.archive))

    async def aclose(self) -> None:
        await asyncio.gather(self.tenant.pages.aclose(), self.archive.pages.aclose())
        self.tenant.ended = self.archive.ended = True
        self.tenant.buffer.clear()
        self.archive.buffer.clear()
