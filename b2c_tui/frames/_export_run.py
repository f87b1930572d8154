"""The running side of an export: its progress and result records, waiting for the next page
(interruptible by a cancel event), and the counters behind progress reports."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from ..graph.paging import Page

log = logging.getLogger("b2c_tui.frames.export")

Status = Literal["completed", "cancelled", "failed"]


class ThrottleSource(Protocol):
    """What the exporter reads of :class:`~b2c_tui.graph.core.GraphCore`: its counters and its
    throttle listener hook."""

    stats: Any

    def add_listener(self, listener: Callable[[Any], None]) -> None: ...


@dataclass(frozen=True)
class ExportProgress:
    """A progress report. ``message`` is built from numbers only (never tenant text)."""

    rows: int
    pages: int
    elapsed: float
    rows_per_s: float
    throttled: int = 0  # 429 answers the core waited out since the export started
    waited_seconds: float = 0.0  # seconds the core spent waiting before retries
    waiting: float | None = None  # set while the core waits before a retry (seconds)
    message: str = ""
    # A parallel (partitioned) listing; all 0 / "" for a sequential one.
    partitions: int = 0  # partitions known so far
    partitions_active: int = 0  # partitions listing now
    partitions_done: int = 0  # partitions finished
    budget: str = ""  # the request budget in words: "400 requests/s (50% of 8,000 RU per 10 s)"
    requests_per_s: float = 0.0  # requests a second the budget allows now (less after a 429)

    @property
    def parallel(self) -> bool:
        """Whether the rows come from a partitioned listing."""
        return self.partitions > 0


@dataclass(frozen=True)
class ExportResult:
    """How an export ended. ``path`` is the written file (completed only); ``partial_path`` the
    kept partial rows (cancelled/failed with ``keep_partial=True``). ``message`` is plain text
    with control characters made visible and secrets redacted."""

    status: Status
    rows: int
    pages: int
    elapsed: float
    message: str
    path: Path | None = None
    partial_path: Path | None = None
    throttled: int = 0
    waited_seconds: float = 0.0
    error: BaseException | None = None
    partitions: int = 0  # partitions of a parallel listing (0: sequential)

    @property
    def ok(self) -> bool:
        return self.status == "completed"


class Cancelled(Exception):
    """The export's cancel event was set."""


async def next_page(pages: AsyncIterator[Page], cancel: asyncio.Event | None) -> Page | None:
    """The next page, ``None`` at the end; raises :class:`Cancelled` once ``cancel`` is set."""
    if cancel is None:
        try:
            return await anext(pages)
        except StopAsyncIteration:
            return None
    if cancel.is_set():
        raise Cancelled
    fetch = asyncio.ensure_future(anext(pages))
    stop = asyncio.ensure_future(cancel.wait())
    try:
        await asyncio.wait((fetch, stop), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
        if not fetch.done():
            fetch.cancel()  # interrupts the page iterator's wait; it cancels its request
            with suppress(BaseException):
                await fetch
    if fetch.cancelled() or cancel.is_set():
        if fetch.done() and not fetch.cancelled():
            fetch.exception()  # observed: a late error does not warn
        raise Cancelled
    try:
        return fetch.result()
    except StopAsyncIteration:
        return None


async def close_pages(pages: AsyncIterator[Page]) -> None:
    """``aclose()`` the page iterator if it has one (cancels requests in flight)."""
    aclose = getattr(pages, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except Exception:
            log.debug("closing the page iterator failed", exc_info=True)


class Run:
    """Counts rows and pages, reports progress, throttling waits and, for a partitioned
    listing (``pages.status()``), its partitions and budget."""

    def __init__(self, progress: Callable[[ExportProgress], None] | None,
                 core: ThrottleSource | None, pages: Any = None) -> None:
        self.progress, self.core = progress, core
        self.listing = getattr(pages, "status", None)
        self.rows = self.pages = 0
        self.started = time.monotonic()
        stats = getattr(core, "stats", None)
        self.base = (getattr(stats, "throttled", 0), getattr(stats, "waited_seconds", 0.0))
        if core is not None and progress is not None:
            core.add_listener(self.on_throttle)

    def stop(self) -> None:
        listeners = getattr(getattr(self.core, "stats", None), "listeners", None)
        if isinstance(listeners, list):
            with suppress(ValueError):
                listeners.remove(self.on_throttle)

    def snapshot(self, waiting: float | None = None, status: int | None = None
                 ) -> ExportProgress:
        elapsed = time.monotonic() - self.started
        stats = getattr(self.core, "stats", None)
        throttled = getattr(stats, "throttled", 0) - self.base[0]
        waited = getattr(stats, "waited_seconds", 0.0) - self.base[1]
        rate = self.rows / elapsed if elapsed > 0 else 0.0
        text = f"{self.rows:,} rows, {self.pages:,} pages, {rate:,.0f} rows/s"
        extra: dict[str, Any] = {}
        if self.listing is not None:
            listing = self.listing()
            extra = {"partitions": listing.partitions, "partitions_active": listing.active,
                     "partitions_done": listing.done, "budget": listing.budget,
                     "requests_per_s": listing.requests_per_second}
            if listing.partitions:
                text += (f", {listing.partitions:,} partitions ({listing.active} listing), "
                         f"budget {listing.budget}")
        if waiting is not None:
            why = ("throttled" if status == 429 else "connection dropped" if status is None
                   else f"Graph answered {int(status)}")
            text = f"{why}, waiting {waiting:.0f}s ({text})"
        return ExportProgress(self.rows, self.pages, elapsed, rate, throttled, waited,
                              waiting, text, **extra)

    def page_done(self, rows: int) -> None:
        self.rows += rows
        self.pages += 1
        self.report(self.snapshot())

    def on_throttle(self, event: Any) -> None:
        status = getattr(event, "status", None)
        self.report(self.snapshot(float(getattr(event, "delay", 0.0)), status))

    def report(self, progress: ExportProgress) -> None:
        if self.progress is None:
            return
        try:
            self.progress(progress)
        except Exception:  # a broken progress display must not sink the export
            log.exception("export progress callback failed")

    def result(self, status: Status, message: str, **extra: Any) -> ExportResult:
        snap = self.snapshot()
        result = ExportResult(status, self.rows, self.pages, snap.elapsed, message,
                              throttled=snap.throttled, waited_seconds=snap.waited_seconds,
                              partitions=snap.partitions)
        return replace(result, **extra)
