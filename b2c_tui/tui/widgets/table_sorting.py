"""Running :class:`VirtualTable` sorts off the event loop, one at a time, dropping stale ones.

Each request bumps a generation counter. A single worker loops: it snapshots the column (a list
of chunk arrays, O(chunks)), computes the permutation in a thread, and applies it only if no
request came meanwhile (new rows, another sort, a clear); otherwise it starts again with the
current state. At most one sort thread runs, however fast pages or key presses arrive.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from .table_sort import inverse, sort_order

if TYPE_CHECKING:
    from .virtual_table import VirtualTable

log = logging.getLogger(__name__)


class SortRunner:
    """The sort state machine of one table."""

    def __init__(self, table: VirtualTable) -> None:
        self.table = table
        self.generation = 0
        self.running = False
        #: keep the record under the cursor (re-sorts after appends) rather than the row index
        self.follow = False
        #: wait this long for requests to stop coming before sorting (pages still arriving)
        self.delay = 0.0

    def cancel(self) -> None:
        """Make any sort in flight stale."""
        self.generation += 1

    def request(self, *, follow: bool, delay: float = 0.0) -> None:
        """Sort by the table's sort column with all rows loaded now (supersedes earlier)."""
        self.generation += 1
        self.follow, self.delay = follow, delay
        if not self.running:
            self.running = True
            self.table.run_worker(self._loop(), group="virtual-table-sort",
                                  exit_on_error=False)
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
            self.running = False
            table.sort_state_changed()
