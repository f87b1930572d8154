"""Where the audit pane's pages come from: the archive a page at a time (ties at a page's
boundary included), the tenant's pages narrowed locally, and both merged, each entry once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from b2c_tui.audit import AuditArchive, AuditFilter
from b2c_tui.graph.paging import Page
from b2c_tui.tui.panes.audit.sources import (
    ArchiveError,
    ArchivePages,
    MergedPages,
    TenantPages,
    matching,
)
from tests.helpers.audit_pane import entry, spread, write_archive

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


class ListPages:
    """A page iterator over fixed pages (a stand-in for Graph's listing)."""

    def __init__(self, pages: list[list[dict[str, Any]]]) -> None:
        self.pages = list(pages)
        self.number = 0
        self.closed = False

    def __aiter__(self) -> ListPages:
        return self

    async def __anext__(self) -> Page:
        if not self.pages:
            raise StopAsyncIteration
        items = self.pages.pop(0)
        self.number += 1
        return Page(items, "more" if self.pages else None, self.number)

    @property
    def exhausted(self) -> bool:
        return not self.pages

    async def aclose(self) -> None:
        self.closed = True


async def drain(pages: Any) -> list[list[dict[str, Any]]]:
    out = []
    async for page in pages:
        out.append(page.items)
    return out


def ids(pages: list[list[dict[str, Any]]]) -> list[str]:
    return [e["id"] for page in pages for e in page]


async def test_archive_pages_newest_first_each_entry_once_across_ties(tmp_path: Path) -> None:
    entries = spread(1200, NOW, timedelta(minutes=7))
    # 30 entries in one microsecond, right where the first page ends
    tie = entries[490]["activityDateTime"]
    tied = [entry(5000 + n, NOW, prefix="Z") | {"activityDateTime": tie} for n in range(30)]
    archive = write_archive(tmp_path / "a", entries + tied)
    pages = await drain(ArchivePages(archive, AuditFilter(), page_size=500))
    got = ids(pages)
    assert len(got) == len(set(got)) == 1230
    assert set(got) == {e["id"] for e in entries + tied}
    times = [e["activityDateTime"] for page in pages for e in page]
    assert times == sorted(times, reverse=True)
    assert len(pages[0]) == 500 and all(len(p) <= 500 for p in pages)
    assert pages[0][0]["additionalDetails"]  # whole entries, not just the shown columns


async def test_archive_pages_answer_the_filter_locally(tmp_path: Path) -> None:
    keys = spread(40, NOW, timedelta(hours=1), category="Key", prefix="K")
    rest = spread(60, NOW - timedelta(minutes=1), timedelta(hours=1), prefix="A")
    archive = write_archive(tmp_path / "a", keys + rest)
    pager = ArchivePages(archive, AuditFilter(category="key"), page_size=15)
    pages = await drain(pager)
    assert sorted(ids(pages)) == sorted(e["id"] for e in keys)
    assert pager.matched == 40 and len(pages) == 3


async def test_an_unreadable_archive_file_is_listed_not_dropped(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "a", spread(50, NOW, timedelta(hours=2)))
    (archive.folder / "2026-10-29.parquet").write_bytes(b"not parquet at all")
    pager = ArchivePages(archive, AuditFilter())
    pages = await drain(pager)
    assert len(ids(pages)) == 50 - sum(1 for e in spread(50, NOW, timedelta(hours=2))
                                       if e["activityDateTime"].startswith("2026-10-29"))
    assert [s.path.name for s in pager.skipped] == ["2026-10-29.parquet"]


async def test_an_archive_that_cannot_be_read_at_all_is_one_line(tmp_path: Path,
                                                                  monkeypatch) -> None:
    archive = AuditArchive(tmp_path / "a")

    def broken(*args: object, **kwargs: object) -> None:
        raise PermissionError("denied")

    monkeypatch.setattr(archive, "query", broken)
    with pytest.raises(ArchiveError, match="could not be read: PermissionError: denied"):
        await drain(ArchivePages(archive, AuditFilter()))


async def test_tenant_pages_keep_what_the_filter_holds_the_archive_way() -> None:
    entries = spread(10, NOW, timedelta(minutes=1), policy="B2C_1A_a") + \
        spread(10, NOW - timedelta(seconds=1), timedelta(minutes=1), policy="B2C_1A_b",
               prefix="B")
    inner = ListPages([entries[:10], entries[10:]])
    pages = await drain(TenantPages(inner, AuditFilter(policy_id="b2c_1a_B")))  # type: ignore[arg-type]
    assert pages[0] == [] and ids(pages) == [e["id"] for e in entries[10:]]
    assert matching(entries, None) == entries


async def test_merged_pages_each_entry_once_tenant_copy_wins(tmp_path: Path) -> None:
    recent = spread(300, NOW, timedelta(minutes=10))  # the tenant's window
    old = spread(200, NOW - timedelta(days=8), timedelta(minutes=10), prefix="OLD")
    archived_recent = [dict(e, resultReason="archived copy") for e in recent[100:]]
    archive = write_archive(tmp_path / "a", old + archived_recent)
    tenant = ListPages([recent[i:i + 120] for i in range(0, 300, 120)])
    merged = MergedPages(tenant, ArchivePages(archive, AuditFilter(), page_size=70),  # type: ignore[arg-type]
                         page_size=90)
    pages = await drain(merged)
    got = ids(pages)
    assert len(got) == len(set(got)) == 500
    assert set(got) == {e["id"] for e in recent + old}
    times = [e["activityDateTime"] for page in pages for e in page]
    assert times == sorted(times, reverse=True)
    by_id = {e["id"]: e for page in pages for e in page}
    assert all(by_id[e["id"]]["resultReason"] != "archived copy" for e in recent)
    assert merged.exhausted
    await merged.aclose()
    assert tenant.closed
