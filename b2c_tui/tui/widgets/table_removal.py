"""Removing :class:`VirtualTable` rows by key (after deletes), without reloading the rest.

Rows are found from cheap hints first (the toggled selection, the cursor row, the rows on
screen): a delete of the row under the cursor or of a hand-picked selection is removed at once,
in O(keys · log rows) on the event loop. Keys the hints miss (the cursor moved on meanwhile, a
select-all) are searched in a thread, chunk by chunk, one search at a time, and removed when it
finishes; a search made stale by :meth:`RowRemover.cancel` (the table was cleared) is dropped,
and one whose worker was cancelled from outside (the app's workers cancelled; leaving a pane
does not) keeps its keys and starts again when the table is next shown.
Removed rows leave gaps rather than being cut out (:mod:`.table_removed`), so a search's result
stays valid while pages arrive, sorts land and other rows are removed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from .table_job import TableJob
from .table_removed import find_keys

if TYPE_CHECKING:
    from .virtual_table import VirtualTable

log = logging.getLogger(__name__)


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
