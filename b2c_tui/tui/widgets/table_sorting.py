"""Sorting a :class:`VirtualTable`: off the event loop, one sort at a time, stale ones dropped.

Each request bumps a generation counter. A single worker loops: it snapshots the column (a list
of chunk arrays, O(chunks)), computes the permutation in a thread, and applies it only if no
request came meanwhile (new rows, another sort, a clear); otherwise it starts again with the
current state. At most one sort thread runs, however fast pages or key presses arrive. Rows
removed meanwhile do not make a sort stale: they keep their global rows, and the model skips
them in the new order (:mod:`.table_removed`).

:class:`TableSorting` is the table's side (mixed into it): the sort column and direction,
:meth:`~TableSorting.sort_by`, and applying a finished permutation.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, cast

import numpy as np

from .table_job import TableJob
from .table_sort import inverse, sort_order

if TYPE_CHECKING:
    from .virtual_table import VirtualTable

log = logging.getLogger(__name__)


class SortRunner(TableJob):
    """The sort state machine of one table."""

    group = "virtual-table-sort"

    def __init__(self, table: VirtualTable) -> None:
        super().__init__(table)
        #: keep the record under the cursor (re-sorts after appends) rather than the row index
        self.follow = False
        #: wait this long for requests to stop coming before sorting (pages still arriving)
        self.delay = 0.0

    def request(self, *, follow: bool, delay: float = 0.0) -> None:
        """Sort by the table's sort column with all rows loaded now (supersedes earlier)."""
        self.generation += 1
        self.follow, self.delay = follow, delay
        self.start(self._loop)
        self.table.sort_state_changed()

    async def _loop(self) -> None:
        table = self.table
        try:
            while table.sort_key is not None:
                generation = self.generation
                if self.delay:
                    await asyncio.sleep(self.delay)
                    if generation != self.generation:
                        continue
                column = next((c for c in table.columns if c.key == table.sort_key), None)
                if column is None:
                    break
                parts, lengths = table.model.column_parts(column.key)
                order = await asyncio.to_thread(sort_order, parts, column.kind,
                                                table.sort_reverse, lengths)
                if generation != self.generation:
                    continue
                back = await asyncio.to_thread(inverse, order) if self.follow else None
                if generation == self.generation:
                    table.apply_order(order, back)
                    break
        except Exception:  # a failed sort leaves the rows as they were
            log.exception("sorting the table failed")
        finally:
            self._worker = None
            table.sort_state_changed()


class TableSorting:
    """The sort column of a :class:`VirtualTable`, sorting by it, and showing the result."""

    @property
    def _table(self) -> VirtualTable:
        return cast("VirtualTable", self)

    @property
    def sort_key(self) -> str | None:
        """The column key the rows are (being) sorted by."""
        return self._table._sort_key

    @property
    def sort_reverse(self) -> bool:
        """Whether the sort is descending."""
        return self._table._sort_reverse

    @property
    def sorting(self) -> bool:
        """A sort is being computed (the rows still show the previous order)."""
        return self._table._sorter.running

    def sort_by(self, key: str, reverse: bool = False) -> None:
        """Sort by column ``key`` in a thread; the rows keep their order until it lands."""
        table = self._table
        if key not in {c.key for c in table.columns}:
            raise KeyError(key)
        table._sort_key, table._sort_reverse = key, reverse
        table._sorter.request(follow=False, delay=0.0)

    def apply_order(self, order: np.ndarray, back: np.ndarray | None) -> None:
        """Show the rows in ``order`` (from the sort thread); with ``back`` (its inverse) the
        record under the cursor stays under it, at the same place on screen."""
        table, model = self._table, self._table.model
        old_key = table.row_key(table.cursor_row) if table.row_count else None
        if back is not None and table.row_count:
            g = model.global_row(table.cursor_row)
            offset = table.cursor_row - table.scroll_offset.y
            model.order = order
            position = int(back[g]) if g < len(back) else None
            table._cursor_row = model.display_row(g, position)
            table.scroll_to(y=max(0, table.cursor_row - offset), animate=False, force=True)
        else:
            model.order = order
        table.refresh()
        if table.row_count and table.row_key(table.cursor_row) != old_key:
            table._post_cursor()

    def sort_state_changed(self) -> None:
        """A sort started or stopped: repaint the header mark and the footer's bindings."""
        table = self._table
        table._painter.invalidate()
        table.refresh()
        table.refresh_bindings()
        table.post_message(table.SortChanged(table, self.sorting))
