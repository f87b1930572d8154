"""The incremental pull: the tenant's new ``directoryAudits`` entries into the archive.

A pull asks Graph for the entries from the newest archived one on (less an ``overlap``, since
audit entries can appear a few minutes after their time), oldest first
(``$orderby=activityDateTime asc``), and writes each UTC day's new entries into that day's
file as soon as the listing has moved past the day (and every :data:`FLUSH_ENTRIES` entries
within a long day). Entries are keyed by id, so pulling twice adds nothing and an entry seen
again is not duplicated. Because days are written oldest first and each file atomically, a
pull killed at any point leaves a readable archive whose newest entry is where the next pull
resumes. Should Graph ever answer out of time order, the pull notes it in the pull state and the
next pull after a crash starts again from where the crashed one started.

Audit logs are throttled hard (5 requests per 10 s per app and tenant): requests are paced
within that budget, and a 429 is waited out (progress shows the wait).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .schema import parse_time, to_table
from .store import ArchiveFiles, SkippedFile

if TYPE_CHECKING:
    from ..graph.client import GraphClient
    from ..graph.parallel import RequestBudget
    from .archive import AuditArchive

log = logging.getLogger(__name__)

AUDITS = "/auditLogs/directoryAudits"
#: Entries of one day held before they are written (a long day is written in steps).
FLUSH_ENTRIES = 50_000
#: How far before the newest archived entry a pull starts again (late entries, clock skew).
OVERLAP = timedelta(minutes=30)
PAGE_SIZE = 999


@dataclass
class PullProgress:
    """Where a pull stands; ``message`` is built from numbers only."""

    fetched: int
    added: int
    pages: int
    days_written: int
    elapsed: float
    waiting: float | None = None
    message: str = ""


@dataclass
class PullResult:
    """How a pull went. ``since`` is where it started (``None``: everything the tenant
    keeps); ``newest`` the newest archived entry afterwards; ``skipped`` unreadable files met
    (reported, never dropped); ``quarantined`` unreadable day files moved aside so new
    entries of that day could be written."""

    fetched: int
    added: int
    pages: int
    days_written: list[date]
    since: datetime | None
    newest: datetime | None
    elapsed: float
    skipped: list[SkippedFile] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    out_of_order: bool = False


class _DayWriter:
    """Collects new entries per day and writes a day into its file (merged by id)."""

    def __init__(self, files: ArchiveFiles, result: PullResult) -> None:
        self.files, self.result = files, result
        self.pending: dict[date, list[dict[str, Any]]] = {}
        self.known: dict[date, pa.Array] = {}  # ids already archived, per day

    def add(self, day: date, entry: dict[str, Any]) -> None:
        self.pending.setdefault(day, []).append(entry)

    def flush(self, day: date) -> None:
        entries = self.pending.pop(day, [])
        if not entries:
            return
        existing = self._existing(day)
        ids = existing.column("id") if existing is not None else pa.array([], pa.string())
        fresh = to_table(_unique(entries))
        fresh = fresh.filter(pc.invert(pc.is_in(fresh.column("id"), value_set=ids)))
        if not fresh.num_rows:
            return
        table = fresh if existing is None else pa.concat_tables(
            [existing.cast(fresh.schema), fresh])
        self.files.write(day, table)
        self.result.added += fresh.num_rows
        if day not in self.result.days_written:
            self.result.days_written.append(day)

    def flush_all(self) -> None:
        for day in sorted(self.pending):
            self.flush(day)

    def _existing(self, day: date) -> pa.Table | None:
        if not self.files.path(day).exists():
            return None
        try:
            return self.files.read(day)
        except Exception as exc:  # keep the damaged file's bytes, report it, go on
            moved = self.files.quarantine(day)
            log.warning("audit archive: %s could not be read (%s); moved to %s",
                        self.files.path(day).name, exc, moved.name)
            self.result.skipped.append(SkippedFile(moved, f"{type(exc).__name__}: {exc}"[:300]))
            self.result.quarantined.append(moved.name)
            return None


def _unique(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for entry in entries:
        seen[str(entry.get("id"))] = entry
    return list(seen.values())


async def pull(client: GraphClient, archive: AuditArchive, *, since: datetime | None = None,
               overlap: timedelta = OVERLAP, page_size: int = PAGE_SIZE,
               progress: Callable[[PullProgress], None] | None = None,
               pace: bool = True, budget: RequestBudget | None = None) -> PullResult:
    """Pull the tenant's new audit entries into ``archive`` and return what happened.

    ``since`` overrides where the pull starts. ``pace`` keeps requests within the audit
    budget (:func:`audit_budget`, or ``budget``). Raises the Graph error that stopped it (what
    was written stays)."""
    from ..graph.paging import PageIterator
    from ..graph.parallel import BudgetedCore

    files = archive.files
    # The archive's files are read and written in a thread: the explorer pulls on its event
    # loop, and a day file is a Parquet read, merge and fsynced write.
    state, (newest, skipped) = await asyncio.to_thread(_opening, files)
    start = since
    if start is None and newest is not None:
        start = newest - overlap
        resumed = state.get("since") if state.get("running") else None
        if resumed and not state.get("ordered", True):  # the crashed pull was out of order
            start = min(start, parse_time(resumed) or start)
    result = PullResult(0, 0, 0, [], start, newest, 0.0, skipped=list(skipped))
    started = time.monotonic()
    params: dict[str, str] = {"$top": str(page_size), "$orderby": "activityDateTime asc"}
    if start is not None:
        params["$filter"] = f"activityDateTime ge {_literal(start)}"
    core: Any = client.core
    if pace or budget is not None:
        core = BudgetedCore(client.core, budget or audit_budget())
    pages = PageIterator(core, client.core.url(AUDITS, params=params), prefetch=False)
    await asyncio.to_thread(files.save_state, {
        "running": True, "since": _literal(start) if start else None, "ordered": True,
        "started": _literal(datetime.now(UTC))})
    writer = _DayWriter(files, result)
    report = _Reporter(progress, result, started, client.core)
    ordered, last = True, None
    current: date | None = None
    try:
        async for page in pages:
            result.pages += 1
            for entry in page.items:
                when = parse_time(entry.get("activityDateTime"))
                if when is None or not entry.get("id"):
                    continue  # nothing to key or file it by
                result.fetched += 1
                if last is not None and when < last - overlap and ordered:
                    ordered = result.out_of_order = True
                    await asyncio.to_thread(files.save_state, {
                        "running": True, "since": _literal(start) if start else None,
                        "ordered": False})
                last = when if last is None else max(last, when)
                day = when.date()
                if current is not None and day > current and ordered:
                    # the listing moved past these days: write them
                    await asyncio.to_thread(writer.flush_all)
                current = day if current is None else max(current, day)
                writer.add(day, entry)
                if len(writer.pending.get(day, ())) >= FLUSH_ENTRIES:
                    await asyncio.to_thread(writer.flush, day)
            report.page()
        await asyncio.to_thread(writer.flush_all)
    finally:
        report.stop()
        result.elapsed = time.monotonic() - started
    result.newest = await asyncio.to_thread(_closing, files, ordered)
    return result


def _opening(files: ArchiveFiles) -> tuple[dict[str, Any], tuple[datetime | None, Any]]:
    files.clean_temporaries()
    return files.load_state(), files.newest()


def _closing(files: ArchiveFiles, ordered: bool) -> datetime | None:
    newest = files.newest()[0]
    files.save_state({"running": False, "ordered": ordered,
                      "complete_through": _literal(newest) if newest else None,
                      "finished": _literal(datetime.now(UTC))})
    return newest


def audit_budget() -> RequestBudget:
    """The documented audit-log budget: 5 requests per 10 s per app and tenant, 5 at once."""
    from ..graph.parallel import RequestBudget

    return RequestBudget(units_per_10s=5, share=1.0, burst=5)


class _Reporter:
    def __init__(self, progress: Callable[[PullProgress], None] | None, result: PullResult,
                 started: float, core: Any) -> None:
        self.progress, self.result, self.started, self.core = progress, result, started, core
        if progress is not None:
            core.add_listener(self.throttled)

    def snapshot(self, waiting: float | None = None) -> PullProgress:
        r = self.result
        elapsed = time.monotonic() - self.started
        text = (f"{r.fetched:,} entries fetched, {r.added:,} new, {len(r.days_written)} days "
                f"written, {r.pages:,} pages")
        if waiting is not None:
            text = f"throttled, waiting {waiting:.0f}s ({text})"
        return PullProgress(r.fetched, r.added, r.pages, len(r.days_written), elapsed,
                            waiting, text)

    def page(self) -> None:
        self.emit(self.snapshot())

    def throttled(self, event: Any) -> None:
        self.emit(self.snapshot(float(getattr(event, "delay", 0.0))))

    def emit(self, report: PullProgress) -> None:
        if self.progress is not None:
            try:
                self.progress(report)
            except Exception:  # a broken display must not stop the pull
                log.exception("audit pull progress callback failed")

    def stop(self) -> None:
        listeners = getattr(getattr(self.core, "stats", None), "listeners", None)
        if isinstance(listeners, list) and self.throttled in listeners:
            listeners.remove(self.throttled)


def _literal(when: datetime) -> str:
    """An OData DateTimeOffset literal (UTC, microseconds)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
