"""Export a table view to CSV (or JSON Lines): the loaded rows, or the whole collection streamed.

:func:`export_frame_csv` writes the rows a view has loaded (a DataFrame) through
``DataFrame.to_csv``. :func:`export_stream_csv` pages through the whole collection: each page is
turned into CSV text a column at a time, written and dropped, so memory holds the page being
written plus the one the page iterator prefetches. Both write a hidden temporary file next to
the target and ``os.replace`` it into place only when everything was written: a cancelled or
failed export never leaves a file that looks complete (the partial rows are deleted, or kept as
``<name>.partial`` when the caller asks). Exports are created readable by their owner only
(0600): they hold personal data.

The CSV is UTF-8 (with a BOM for Excel when ``excel=True``), CRLF line ends, a header of the
columns' labels and every field quoted (``csv.QUOTE_ALL``), so both paths write the same bytes.
Cells are text: nested values flattened (:func:`~b2c_tui.frames.columns.flatten_value`), dates
ISO 8601 (as Graph sent them), booleans ``true``/``false``, missing values empty.

CSV injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading
``'`` (OWASP's advice) so a spreadsheet shows it instead of evaluating it; ``guard=False``
writes text untouched (for files that feed programs, not spreadsheets). Numbers are not guarded.
Terminal escape sequences and markup in tenant text are written as they are: the file is data.
Messages and progress texts built here never carry tenant text unescaped (control characters
are made visible, secrets redacted); show them as plain text, not markup.

Secrets are never exported: columns marked ``secret`` and columns naming a property on
:data:`DENIED_PROPERTIES` are dropped, and denied keys are removed from nested values too.
"""
from __future__ import annotations

import asyncio
import csv
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import pandas as pd

from ..graph.paging import Page
from ._export_cells import (
    DENIED_PROPERTIES,
    denied_keys,
    exportable,
    frame_text_columns,
    text_column,
)
from ._export_io import (
    CsvSink,
    ExportError,
    ExportExistsError,
    ExportPathError,
    JsonlSink,
    PartialFile,
    check_export_path,
    plain,
)
from .columns import Column

__all__ = [
    "DENIED_PROPERTIES",
    "ExportError",
    "ExportExistsError",
    "ExportPathError",
    "ExportProgress",
    "ExportResult",
    "check_export_path",
    "export_frame_csv",
    "export_stream",
    "export_stream_csv",
    "export_stream_jsonl",
    "exportable",
]

log = logging.getLogger(__name__)

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

    @property
    def ok(self) -> bool:
        return self.status == "completed"


def export_frame_csv(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    columns: Sequence[Column] | None = None,
    *,
    overwrite: bool = False,
    guard: bool = True,
    excel: bool = False,
) -> ExportResult:
    """Write the loaded rows of a view through ``DataFrame.to_csv``: ``columns`` as shown (labels
    as header; every column of ``df`` when omitted), secret ones dropped, cells as text, every
    field quoted (the same bytes :func:`export_stream_csv` writes for the same rows).

    Frame columns are looked up by ``Column.key``, then ``Column.label``; one missing from ``df``
    is written empty. Blocking (call it from a worker thread). Raises :class:`ExportPathError`
    (:class:`ExportExistsError` for an existing file without ``overwrite``) before writing;
    any other failure removes the temporary file and propagates.
    """
    started = time.monotonic()
    if columns is None:
        columns = [Column(key=str(c), label=str(c)) for c in df.columns]
    cols = exportable(columns)
    partial = PartialFile.create(path, overwrite=overwrite)
    try:
        data = frame_text_columns(df, cols, guard, denied_keys(columns))
        header = text_column([c.label for c in cols], guard, escape=False)
        data.to_csv(partial.open_text(excel=excel), index=False, header=header, na_rep="",
                    quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        final = partial.commit(overwrite=overwrite)
    except BaseException:
        partial.discard()
        raise
    return ExportResult("completed", len(df), 0, time.monotonic() - started,
                        f"Exported {len(df):,} rows to {plain(final.name)}", path=final)


async def export_stream_csv(
    pages: AsyncIterator[Page],
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    progress: Callable[[ExportProgress], None] | None = None,
    cancel: asyncio.Event | None = None,
    core: ThrottleSource | None = None,
    overwrite: bool = False,
    keep_partial: bool = False,
    guard: bool = True,
    excel: bool = False,
) -> ExportResult:
    """Stream a whole collection to CSV, a page at a time (see :func:`export_stream`).

    ``guard`` prefixes formula-looking text with ``'``; ``excel`` writes UTF-8 with a BOM.
    """
    return await export_stream(pages, path, columns, format="csv", progress=progress,
                               cancel=cancel, core=core, overwrite=overwrite,
                               keep_partial=keep_partial, guard=guard, excel=excel)


async def export_stream_jsonl(
    pages: AsyncIterator[Page],
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    **options: Any,
) -> ExportResult:
    """Stream a whole collection to JSON Lines: one object per record keyed by ``Column.key``,
    nested values kept as JSON (denied keys removed). Options as :func:`export_stream`."""
    return await export_stream(pages, path, columns, format="jsonl", **options)


async def export_stream(
    pages: AsyncIterator[Page],
    path: str | os.PathLike[str],
    columns: Sequence[Column],
    *,
    format: Literal["csv", "jsonl"] = "csv",
    progress: Callable[[ExportProgress], None] | None = None,
    cancel: asyncio.Event | None = None,
    core: ThrottleSource | None = None,
    overwrite: bool = False,
    keep_partial: bool = False,
    guard: bool = True,
    excel: bool = False,
) -> ExportResult:
    """Write every page of ``pages`` (a :class:`~b2c_tui.graph.paging.PageIterator`) to ``path``.

    The target is checked (and the temporary file created) before the first page is requested:
    :class:`ExportPathError`/:class:`ExportExistsError` are raised then. From there on the export
    always returns an :class:`ExportResult`: ``completed``, ``cancelled`` (``cancel`` was set;
    it is checked between pages and also interrupts the wait for a page, closing the iterator,
    which cancels the request in flight) or ``failed`` (a Graph or disk error). Only a completed
    export leaves the file. Cancelling the calling task cleans up the same way, then propagates.
    ``progress`` is called after each page and whenever ``core`` reports a throttling wait.
    Pages are processed on the event loop (a few ms each) and dropped once written.
    """
    cols = exportable(columns)
    partial = PartialFile.create(path, overwrite=overwrite)
    run = _Run(progress, core)
    status: Status = "failed"
    error: BaseException | None = None
    final = kept = None
    committing = False
    try:
        denied = denied_keys(columns)
        sink = (CsvSink(partial, cols, guard=guard, excel=excel, denied=denied)
                if format == "csv" else JsonlSink(partial, cols, denied=denied))
        while (page := await _next_page(pages, cancel)) is not None:
            sink.write(page.items)
            run.page_done(len(page.items))
            del page  # drop this page before waiting for the next one
        committing = True  # fsync + rename off the event loop: a big file can take seconds
        final = await asyncio.to_thread(partial.commit, overwrite=overwrite)
        status = "completed"
    except _Cancelled:
        status = "cancelled"
    except Exception as exc:
        committing, error = False, exc  # a failed commit has finished with the file
        log.warning("export to %s failed: %s", plain(partial.target.name), plain(exc))
    finally:
        run.stop()
        if status != "completed":
            await _close(pages)
            if not committing:  # a commit interrupted by task cancellation still owns it
                kept = partial.discard(keep=keep_partial)
    if final is not None:
        return run.result(status, f"Exported {run.rows:,} rows to {plain(final.name)}",
                          path=final)
    where = (f"; partial rows kept in {plain(kept.name)}" if kept is not None
             else "; no file was written")
    what = "Export cancelled" if status == "cancelled" else f"Export failed ({plain(error, 300)})"
    return run.result(status, f"{what} after {run.rows:,} rows{where}", partial_path=kept,
                      error=error)


class _Cancelled(Exception):
    pass


async def _next_page(pages: AsyncIterator[Page], cancel: asyncio.Event | None) -> Page | None:
    """The next page, ``None`` at the end; raises :class:`_Cancelled` once ``cancel`` is set."""
    if cancel is None:
        try:
            return await anext(pages)
        except StopAsyncIteration:
            return None
    if cancel.is_set():
        raise _Cancelled
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
        raise _Cancelled
    try:
        return fetch.result()
    except StopAsyncIteration:
        return None


async def _close(pages: AsyncIterator[Page]) -> None:
    aclose = getattr(pages, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except Exception:
            log.debug("closing the page iterator failed", exc_info=True)


class _Run:
    """Counts rows and pages, reports progress and throttling waits."""

    def __init__(self, progress: Callable[[ExportProgress], None] | None,
                 core: ThrottleSource | None) -> None:
        self.progress, self.core = progress, core
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
        if waiting is not None:
            why = ("throttled" if status == 429 else "connection dropped" if status is None
                   else f"Graph answered {int(status)}")
            text = f"{why}, waiting {waiting:.0f}s ({text})"
        return ExportProgress(self.rows, self.pages, elapsed, rate, throttled, waited,
                              waiting, text)

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
                              throttled=snap.throttled, waited_seconds=snap.waited_seconds)
        return replace(result, **extra)
