"""Export a table view to CSV, JSON Lines or Parquet: the loaded rows, or the whole collection
streamed.

:func:`export_frame_csv` writes the rows a view has loaded (a DataFrame), a column at a time:
each column becomes an Arrow string array (vectorised: no Python loop over text, boolean,
number or date cells), the guard and the escaping below run as ``pyarrow.compute`` regular
expressions, and ``pyarrow.csv`` writes the rows. :func:`export_stream_csv` pages through the
whole collection and does the same per page: each page is turned into Arrow columns, written and
dropped, so memory holds the page being written plus the one the page iterator prefetches.
Both write a hidden temporary file next to the target and ``os.replace`` it into place only when
everything was written: a cancelled or failed export never leaves a file that looks complete
(the partial rows are deleted, or kept as ``<name>.partial`` when the caller asks). Exports are
created readable by their owner only (0600): they hold personal data.

Whole-collection exports of users page **in parallel** by default: an unfiltered, unsorted
users listing is split by the first characters of the user principal name and the partitions
are paged at once within a request budget (:mod:`b2c_tui.graph.parallel`); the rows are the
same as a sequential export's, in partition order instead of Graph's. ``parallel=False`` keeps
Graph's order. Progress then reports the partitions and the budget.

The CSV bytes: UTF-8 (with a BOM for Excel when ``excel=True``), CRLF line ends, a header of the
columns' labels and every field quoted (``"`` doubled inside a field), so both paths write the
same bytes. Cells are text: nested values flattened (:func:`~b2c_tui.frames.columns.flatten_value`),
dates ISO 8601 (as Graph sent them; a loaded date column as ``2024-01-02T03:04:05Z``, with six
digits of fraction only when the column has fractions), booleans ``true``/``false``, missing
values empty (``""``).

CSV injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading
``'`` (OWASP's advice) so a spreadsheet shows it instead of evaluating it; ``guard=False``
writes text untouched (for files that feed programs, not spreadsheets). Numbers are not guarded.

Control characters: ``cat``-ing an export must not drive the terminal, so the control
characters (Unicode ``Cc``: U+0000-U+001F, DEL and the C1 controls U+0080-U+009F) other than
TAB, LF and CR are written as the six characters ``\\uXXXX`` (ESC becomes ``\\u001b``) in CSV
cells and headers. The escape is for safety, not a reversible encoding: a cell that already
contains the text ``\\u001b`` looks the same. ``escape_controls=False`` keeps the raw
characters. JSON Lines escape C0 controls as JSON requires and, by default, DEL and C1 as well
(``\\u009b``: the same string to a JSON reader). Parquet is binary and keeps text as it is.
Markup in tenant text is written as it is: the file is data. Messages and progress texts
built here never carry tenant text unescaped (control characters are made visible, secrets
redacted); show them as plain text, not markup.

Secrets are never exported: columns marked ``secret`` and columns naming a property on
:data:`DENIED_PROPERTIES` are dropped, and denied keys are removed from nested values too.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..graph.paging import Page
from ..graph.parallel import RequestBudget, partitioned_pages
from ._export_arrow import CsvTableWriter, frame_batches, header_arrays
from ._export_cells import DENIED_PROPERTIES, denied_keys, exportable
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
from ._export_run import (
    Cancelled,
    ExportProgress,
    ExportResult,
    Run,
    Status,
    ThrottleSource,
    close_pages,
    next_page,
)
from .columns import Column

if TYPE_CHECKING:
    from ._export_parquet import ParquetSink

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


def export_frame_csv(
    df: pd.DataFrame,
    path: str | os.PathLike[str],
    columns: Sequence[Column] | None = None,
    *,
    overwrite: bool = False,
    guard: bool = True,
    excel: bool = False,
    escape_controls: bool = True,
) -> ExportResult:
    """Write the loaded rows of a view: ``columns`` as shown (labels as header; every column of
    ``df`` when omitted), secret ones dropped, cells as text, every field quoted (the same
    bytes :func:`export_stream_csv` writes for the same rows).

    Columns are converted whole (Arrow arrays; no per-cell Python for text, booleans, numbers
    and dates) and written by ``pyarrow.csv``. Frame columns are looked up by ``Column.key``,
    then ``Column.label``; one missing from ``df`` is written empty. ``escape_controls=False``
    keeps control characters raw. Blocking (call it from a worker thread). Raises
    :class:`ExportPathError` (:class:`ExportExistsError` for an existing file without
    ``overwrite``) before writing; any other failure removes the temporary file and propagates.
    """
    started = time.monotonic()
    if columns is None:
        columns = [Column(key=str(c), label=str(c)) for c in df.columns]
    cols = exportable(columns)
    partial = PartialFile.create(path, overwrite=overwrite)
    try:
        writer = CsvTableWriter(partial.open_binary(), len(cols), excel=excel)
        writer.write(header_arrays([c.label for c in cols], guard=guard,
                                   escape=escape_controls))
        for batch in frame_batches(df, cols, guard=guard, escape=escape_controls,
                                   denied=denied_keys(columns)):
            writer.write(batch)
        writer.close()
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
    **options: Any,
) -> ExportResult:
    """Stream a whole collection to CSV, a page at a time: ``guard`` prefixes formula-looking
    text with ``'``, ``excel`` writes UTF-8 with a BOM; the other keywords (``progress``,
    ``cancel``, ``overwrite``, ``parallel``...) as :func:`export_stream`."""
    return await export_stream(pages, path, columns, format="csv", **options)


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
    format: Literal["csv", "jsonl", "parquet"] = "csv",
    progress: Callable[[ExportProgress], None] | None = None,
    cancel: asyncio.Event | None = None,
    core: ThrottleSource | None = None,
    overwrite: bool = False,
    keep_partial: bool = False,
    guard: bool = True,
    excel: bool = False,
    escape_controls: bool = True,
    parallel: bool = True,
    concurrency: int = 16,
    budget: RequestBudget | None = None,
) -> ExportResult:
    """Write every page of ``pages`` (a :class:`~b2c_tui.graph.paging.PageIterator`) to ``path``.

    The target is checked (and the temporary file created) before the first page is requested:
    :class:`ExportPathError`/:class:`ExportExistsError` are raised then. From there on the export
    always returns an :class:`ExportResult`: ``completed``, ``cancelled`` (``cancel`` was set;
    it is checked between pages and also interrupts the wait for a page, closing the iterator,
    which cancels the requests in flight) or ``failed`` (a Graph or disk error). Only a
    completed export leaves the file. Cancelling the calling task cleans up the same way, then
    propagates. ``progress`` is called after each page and whenever ``core`` reports a
    throttling wait. Pages are processed on the event loop (a few ms each) and dropped once
    written.

    ``parallel`` (the default): when ``pages`` is a page iterator over the whole users
    collection (no filter, search or sort) not yet started, the users are listed by UPN
    partitions, ``concurrency`` at once within ``budget`` (:mod:`b2c_tui.graph.parallel`); the
    rows are the same, in partition order, and progress reports the partitions and budget.
    ``format`` is ``csv``, ``jsonl`` or ``parquet`` (typed columns named by ``Column.key``).
    """
    cols = exportable(columns)
    partial = PartialFile.create(path, overwrite=overwrite)
    if parallel and (partitioned := partitioned_pages(pages, concurrency=concurrency,
                                                      budget=budget)) is not None:
        await close_pages(pages)  # never started: nothing was requested through it
        pages = partitioned
    run = Run(progress, core, pages)
    status: Status = "failed"
    error: BaseException | None = None
    final = kept = None
    committing = False
    sink: CsvSink | JsonlSink | ParquetSink | None = None
    try:
        sink = _sink(format, partial, cols, columns, guard=guard, excel=excel,
                     escape=escape_controls)
        while (page := await next_page(pages, cancel)) is not None:
            sink.write(page.items)
            run.page_done(len(page.items))
            del page  # drop this page before waiting for the next one
        if run.listing is not None:  # the last partitions may have ended without new rows
            run.report(run.snapshot())
        sink.close()
        committing = True  # fsync + rename off the event loop: a big file can take seconds
        final = await asyncio.to_thread(partial.commit, overwrite=overwrite)
        status = "completed"
    except Cancelled:
        status = "cancelled"
    except Exception as exc:
        committing, error = False, exc  # a failed commit has finished with the file
        log.warning("export to %s failed: %s", plain(partial.target.name), plain(exc))
    finally:
        run.stop()
        if status != "completed":
            await close_pages(pages)
            if not committing:  # a commit interrupted by task cancellation still owns it
                if keep_partial and sink is not None:
                    _close_quietly(sink)  # the rows received so far, readable
                kept = partial.discard(keep=keep_partial)
    if final is not None:
        return run.result(status, f"Exported {run.rows:,} rows to {plain(final.name)}",
                          path=final)
    where = (f"; partial rows kept in {plain(kept.name)}" if kept is not None
             else "; no file was written")
    what = "Export cancelled" if status == "cancelled" else f"Export failed ({plain(error, 300)})"
    return run.result(status, f"{what} after {run.rows:,} rows{where}", partial_path=kept,
                      error=error)


def _sink(format: str, partial: PartialFile, cols: list[Column], columns: Sequence[Column], *,
          guard: bool, excel: bool, escape: bool) -> CsvSink | JsonlSink | ParquetSink:
    denied = denied_keys(columns)
    if format == "csv":
        return CsvSink(partial, cols, guard=guard, excel=excel, denied=denied, escape=escape)
    if format == "jsonl":
        return JsonlSink(partial, cols, denied=denied, escape=escape)
    if format == "parquet":
        from ._export_parquet import ParquetSink

        return ParquetSink(partial, cols, denied=denied)
    raise ValueError(f"unknown export format {format!r} (csv, jsonl or parquet)")


def _close_quietly(sink: CsvSink | JsonlSink | ParquetSink) -> None:
    try:
        sink.close()
    except Exception:  # the export already failed; keep what was written
        log.debug("closing the partial export failed", exc_info=True)
