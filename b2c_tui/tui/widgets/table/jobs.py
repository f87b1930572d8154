"""Background jobs of a :class:`~.widget.VirtualTable`, one worker each at a time.

:class:`TableJob` holds what every job needs: a generation counter that makes work in flight
stale, and the one worker doing it. Two jobs use it:

* :class:`SortRunner` sorts off the event loop. Each request bumps the generation; a single
  worker loops: it snapshots the column (a list of chunk arrays, O(chunks)), computes the
  permutation in a thread, and hands it to the table (:meth:`VirtualTable.apply_order`) only if
  no request came meanwhile (new rows, another sort, a clear); otherwise it starts again. Rows
  removed meanwhile do not make a sort stale: they keep their global rows, and the model skips
  them in the new order (:mod:`.removed`).
* :class:`RowRemover` removes rows by key after deletes, without reloading the rest. Rows are
  found from cheap hints first (the toggled selection, the cursor row, the rows on screen), in
  O(keys · log rows) on the event loop; keys the hints miss are searched in a thread, chunk by
  chunk, and removed when the search finishes. A search made stale by :meth:`RowRemover.cancel`
  (the table was cleared) is dropped; one whose worker was cancelled from outside keeps its keys
  and starts again when the table is next shown.

Jobs talk to the table through its public methods only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .removed import find_keys
from .sort import inverse, sort_order

if TYPE_CHECKING:
    from textual.worker import Worker

    from .widget import VirtualTable

log = logging.getLogger(__name__)


class TableJob:
    """A job's state: :attr:`generation` (bumped by :meth:`cancel` and by new requests; work
    started under an older one is stale) and its worker (one at a time, in :attr:`group`)."""

    group: ClassVar[str] = "virtual-table"

    def __init__(self, table: VirtualTable) -> None:
        self.table = table
        self.generation = 0
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        """A worker is pending or running. One cancelled before it started never finishes:
        its cancellation is what counts, so the next :meth:`start` makes a new one."""
        worker = self._worker
        return worker is not None and not (worker.is_finished or worker.is_cancelled)

    def cancel(self) -> None:
        """Make the work in flight stale."""
        self.generation += 1

    def start(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``work`` in a worker unless one is running already (it picks up the new
        request itself). ``work`` is called when the worker starts, so a worker cancelled
        before then leaves no coroutine behind."""
        if not self.running:
            self._worker = self.table.run_worker(work, group=self.group, exit_on_error=False)


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


class RowRemover(TableJob):
    """The remove-by-key state machine of one table."""

    group = "virtual-table-remove"

    def __init__(self, table: VirtualTable) -> None:
        super().__init__(table)
        self.pending: set[str] = set()

    def cancel(self) -> None:
        """Forget keys still being searched (the rows they named are gone)."""
        super().cancel()
        self.pending.clear()

    def remove(self, keys: Iterable[str]) -> None:
        """Remove the rows with ``keys`` (keys not loaded are ignored)."""
        wanted = set(map(str, keys))
        table = self.table
        if not wanted or not table.row_count:
            return
        found, positions = table.model.find(wanted, table.hint_rows())
        if found:
            self.apply(found, positions)
        self.pending |= wanted - found.keys()
        self.resume()

    def resume(self) -> None:
        """Search for the pending keys, unless a search is running (also after a search whose
        worker was cancelled from outside: it kept its keys)."""
        if self.pending:
            self.start(self._search)

    async def _search(self) -> None:
        model = self.table.model
        keys: frozenset[str] = frozenset()
        generation = self.generation
        try:
            while self.pending:
                keys, self.pending = frozenset(self.pending), set()
                generation = self.generation
                rows = await asyncio.to_thread(find_keys, model.id_parts(), keys)
                if generation != self.generation:
                    continue
                keys = frozenset()
                # Some may have gone meanwhile (found on screen by a later call).
                gone = np.isin(np.fromiter(rows.values(), np.intp, len(rows)),
                               model.removed.rows)
                if gone.any():
                    rows = {k: g for (k, g), old in zip(rows.items(), gone, strict=True)
                            if not old}
                if rows:
                    self.apply(rows)
        except asyncio.CancelledError:
            if generation == self.generation:
                self.pending |= keys  # searched again when the table is shown again
            raise
        except Exception:  # the rows stay; nothing else is affected
            log.exception("finding rows to remove failed")

    def apply(self, rows: dict[str, int], positions: Mapping[int, int] | None = None) -> None:
        """Remove the rows found (key -> global row; ``positions``: global row -> place in the
        sort order, where known): unselect them, cut them from the display, keep the cursor's
        index and the sort, and say what changed."""
        table, model = self.table, self.table.model
        cursor_key = table.row_key(table.cursor_row)
        selected = model.selection.count
        model.selection.discard(rows)
        model.remove(rows.values(), (positions or {}).values())
        table.rows_removed(list(rows), cursor_key,
                           selection_changed=model.selection.count != selected)
