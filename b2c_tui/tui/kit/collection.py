"""``CollectionPane``: a Graph collection in a virtual table, paged lazily.

The first page loads when the pane is first shown; the next page is requested when the table
reports that the user is within a page of the end (and the page iterator has usually prefetched
it already). A filter, a refresh or leaving the pane cancels work in flight; every page carries
the generation it was asked for, and a page from an older generation is dropped, never shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
import pandas as pd
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from ...frames.columns import Column
from ...frames.paged import PagedFrame
from ...graph.errors import B2CTuiError
from ...graph.paging import PageIterator
from ..safe_text import safe
from ..widgets.table import VirtualTable
from ..widgets.table.painter import Tone
from .base import ResourcePane

if TYPE_CHECKING:
    from ...frames.export import ExportResult
    from ..dialogs.export import ExportRequest


#: records per page when loaded rows are exported in the table's sort order
SORTED_PAGE = 1000


async def _loaded_pages(frame: PagedFrame, order: np.ndarray | None = None
                        ) -> AsyncIterator[Any]:
    """The loaded rows (a :meth:`PagedFrame.snapshot`) a page of records at a time, so a
    JSON Lines export of a million loaded rows never blocks the screen; in the table's sort
    ``order`` (row positions) when it is sorted (the records are gathered in a thread)."""
    from ...graph.paging import Page

    if order is not None:
        records = await asyncio.to_thread(
            lambda: [r for page in frame.iter_records() for r in page])
        if len(records) == len(order):
            for number, start in enumerate(range(0, len(order), SORTED_PAGE), 1):
                yield Page([records[i] for i in order[start:start + SORTED_PAGE]], None, number)
                await asyncio.sleep(0)
            return
    for number, records in enumerate(frame.iter_records(), 1):
        yield Page(records, None, number)
        await asyncio.sleep(0)


def _prefetching(pages: object) -> bool:
    return bool(getattr(pages, "prefetch", True))


def _set_prefetch(pages: object, on: bool) -> None:
    """Turn the prefetch of ``pages`` on or off where the iterator has one (a
    :class:`~b2c_tui.graph.paging.PageIterator`, or a wrapper that passes it on)."""
    if hasattr(pages, "prefetch"):
        pages.prefetch = on


def _in_order(frame: pd.DataFrame, order: np.ndarray | None) -> pd.DataFrame:
    """``frame``'s rows in the table's display order (row positions), as shown on screen."""
    if order is None or len(order) != len(frame):
        return frame
    return frame.iloc[order]


class CollectionPane(ResourcePane):
    """A pane over one Graph collection. Subclasses give :meth:`columns` and :meth:`pages`."""

    can_filter: ClassVar[bool] = True
    can_export: ClassVar[bool] = True
    hide_cancels: ClassVar[frozenset[str]] = frozenset({"pages"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False, id="pane.clear_filter"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.generation = 0
        self.frame = PagedFrame(self.columns())
        self._pages: PageIterator | None = None
        self.loading = False
        self.last_error: str = ""

    # -- subclass hooks ------------------------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def pages(self) -> PageIterator:
        """A fresh page iterator for the current filter; may raise ``UnsupportedQueryError``
        (or ``ValidationError``) to refuse a filter before any request is sent."""
        raise NotImplementedError

    def describe_filter(self) -> str:
        return f"filter: {self.filter_text}" if self.filter_text else ""

    # -- composition ---------------------------------------------------------------------------
    def cell_tones(self) -> Mapping[str, Tone]:
        """Column key -> the tone of a cell from its text (a hook; none by default)."""
        return {}

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.frame.columns, id=f"{self.info.id}-table",
                           tones=self.cell_tones())

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Start again from the first page with the current filter and columns."""
        self.generation += 1
        self.workers.cancel_group(self, "pages")
        self.loading = False  # the cancelled request's worker no longer reports
        self._close_pages()
        self.frame = PagedFrame(self.columns())
        table = self.table
        table.clear()
        table.set_columns(self.frame.columns)
        table.has_more = False
        self.last_error = ""
        try:
            self._pages = self.pages()
            _set_prefetch(self._pages, False)  # page 1 on screen first (see _fetch_page)
        except B2CTuiError as exc:
            self._pages = None
            self._listing_failed(exc, "Graph cannot answer that", "warning", timeout=8)
            return
        self.fetch_next()

    def _listing_failed(self, exc: B2CTuiError, title: str,
                        severity: Literal["warning", "error"], *, timeout: int) -> None:
        """The listing stopped at ``exc``: said by a notification and the status line (the
        empty table says it too)."""
        self.last_error = str(exc)
        self.notify(safe(str(exc)), title=title, severity=severity, timeout=timeout,
                    markup=False)
        self._post_status()

    def _close_pages(self) -> None:
        pages, self._pages = self._pages, None
        if pages is not None:
            # Closing cancels the prefetched request; do it off the caller's path.
            self.run_worker(pages.aclose(), group="close", exit_on_error=False)

    def pane_hidden(self) -> None:
        super().pane_hidden()
        # Leaving cancels the request in flight; coming back resumes from what is loaded.
        self.loading = False

    def pane_shown(self) -> None:
        if self._shown_once and self.table.has_more and not self.loading:
            self.fetch_next()
        super().pane_shown()

    def fetch_next(self) -> None:
        """Fetch one more page (if any) and append it, unless a newer generation started.

        One page request at a time: a second call while one is on its way does nothing (the
        table's NearEnd and the pane's own follow-up often come together). It used to start a
        new worker that cancelled the first mid-request, which left "loading…" for good."""
        pages = self._pages
        if self.loading or pages is None or pages.exhausted:
            return
        self.loading = True
        self._post_status()
        self._fetch_page(pages, self.generation)

    @work(group="pages", exit_on_error=False)
    async def _fetch_page(self, pages: PageIterator, generation: int) -> None:
        try:
            page = await pages.__anext__()
        except StopAsyncIteration:
            page = None
        except B2CTuiError as exc:
            if generation == self.generation:
                self.loading = False
                self._listing_failed(exc, "Graph error", "error", timeout=10)
            return
        finally:
            if generation == self.generation and get_current_worker().is_cancelled:
                self.loading = False
        if get_current_worker().is_cancelled or generation != self.generation:
            return  # a stale page never lands
        self.loading = False
        if page is not None:
            chunk = self.frame.add_records(page.items)
            self.frame.has_more = page.has_more
            table = self.table
            # Rows first, then "more": an empty table with more to come asks for the next
            # page at once (NearEnd), which put a second page before the first rows' frame.
            if len(chunk):
                table.append(chunk)
            table.has_more = page.has_more
            if page.has_more and not _prefetching(pages):
                # The next page is requested once these rows are on screen, not before.
                self.call_after_refresh(self._resume_prefetch, pages, generation)
            self.page_loaded(page.items)
            if page.has_more and (not page.items or table.row_count < self._screen_rows() * 2):
                # An empty page (allowed by Graph) or a short screen: keep going.
                self.call_after_refresh(self.fetch_next)
        else:
            self.table.has_more = False
            self.frame.has_more = False
        self._post_status()

    def _screen_rows(self) -> int:
        """Rows the table shows at once; before its first layout (a fast answer can land
        first, when its size is still 0 and a "page" 1 row) the terminal's height."""
        table = self.table
        return table.page_size if table.size.height else self.app.size.height

    def _resume_prefetch(self, pages: PageIterator, generation: int) -> None:
        if generation == self.generation and pages is self._pages:
            _set_prefetch(pages, True)

    def page_loaded(self, items: list[dict]) -> None:  # type: ignore[type-arg]
        """Hook: a page arrived (e.g. to remember full records for the detail view)."""

    def on_virtual_table_near_end(self, event: VirtualTable.NearEnd) -> None:
        event.stop()
        # A NearEnd posted before the page in flight landed (an empty table is always "near
        # its end") is stale once rows arrived: it fetched a second page nobody scrolled to.
        if not self.loading and event.rows >= self.table.row_count:
            self.fetch_next()

    def empty_message(self) -> str:
        """What the empty table says once nothing is loading (a hook)."""
        if self.last_error:
            return self.last_error
        what = self.describe_filter()
        if what:
            return f"Nothing matches {what}. Esc clears the filter."
        return f"No {self.info.title.lower()} in this tenant."

    def _post_status(self) -> None:
        table = self.table
        rows = table.row_summary
        if self.loading:
            rows += " · loading…"
        if not table.row_count:
            table.empty_text = "Loading…" if self.loading or table.has_more \
                else self.empty_message()
        self.post_message(self.Status(rows, self.last_error or self.status_note(),
                                      self.pending_note()))

    def post_status(self) -> None:
        """Tell the status line the rows, the note and the pending edits again."""
        self._post_status()

    def pending_note(self) -> str:
        """The status line's note on edits not committed yet (a hook; '' when none)."""
        return ""

    def status_note(self) -> str:
        """The status line's note for this pane (the filter by default; a hook)."""
        return self.describe_filter()

    def on_virtual_table_selection_changed(self, event: VirtualTable.SelectionChanged) -> None:
        self._post_status()

    def on_virtual_table_sort_changed(self, event: VirtualTable.SortChanged) -> None:
        """A sort started or landed: the status line's "sorting…" follows it."""
        self._post_status()

    def on_virtual_table_rows_removed(self, event: VirtualTable.RowsRemoved) -> None:
        """Deleted rows left the table (``remove_keys``): the frame (exports) forgets them."""
        self.frame.discard(event.keys)
        self._post_status()

    # -- export ------------------------------------------------------------------------------
    def start_export(self, kind: str = "") -> None:
        """``e``: ask where and what, then export the loaded rows or the whole collection."""
        from ..dialogs.export import ExportDialog

        table = self.table
        dialog = ExportDialog(self.info.id, loaded=table.row_count, has_more=table.has_more,
                              kind=kind)

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_export(request)

        self.app.push_screen(dialog, chosen)

    @work(group="export", exclusive=True, exit_on_error=False)
    async def run_export(self, request: ExportRequest) -> ExportResult:
        """Export in a worker, with progress in the app's export bar (not a modal screen: the
        explorer stays usable) and ``ctrl+x`` to cancel between pages. Loaded rows are
        written in the order the table shows them (its sort)."""
        from ...frames.export import export_frame_csv, export_stream
        from ..widgets.export_bar import ExportBar

        columns = list(self.frame.columns)
        loaded = self.frame.snapshot()  # O(pages); the O(rows) work happens off the loop
        order = self.table.display_positions()
        bar = self.app.query_one(ExportBar)
        if bar.running:
            self.notify("Another export is running: wait for it, or ctrl+x cancels it.",
                        title="Export", severity="warning", markup=False)
            raise RuntimeError("an export is running")
        cancel = asyncio.Event()
        bar.start(f"{self.info.title} → {request.path}", cancel,
                  None if request.whole else len(loaded))
        try:
            if not request.whole and request.format == "csv":
                result = await asyncio.to_thread(
                    lambda: export_frame_csv(_in_order(loaded.frame, order), request.path,
                                             columns, overwrite=request.overwrite,
                                             excel=request.excel))
            else:
                pages: AsyncIterator[Any]
                if request.whole:
                    pages = self.pages()
                else:  # rows already hold the shown values: read them by key, as they are
                    pages = _loaded_pages(loaded, order)
                    columns = [replace(c, select=(), get=None) for c in columns]
                result = await export_stream(
                    pages, request.path, columns, format=request.format,  # type: ignore[arg-type]
                    progress=bar.update_progress, cancel=cancel,
                    core=self.context.client.core, overwrite=request.overwrite,
                    excel=request.excel)
        finally:
            bar.stop()
        self.say_export(request.path, result)
        return result

    # -- filter --------------------------------------------------------------------------------
    def apply_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self.reload()

    def action_clear_filter(self) -> None:
        if self.filter_text:
            self.apply_filter("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.filter_text) or None
        return True
