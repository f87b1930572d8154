"""The selection of a :class:`VirtualTable`: rows selected by key, "select all" in O(1).

Rows are named by their global row (arrival position) and key. Global rows never move while the
table holds them (removed rows leave a gap, see :mod:`.removed`), so a selection stays
valid across sorts, appends and removals.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class Selection:
    """Selected rows by key, with "select all loaded" in O(1).

    Select-all marks global rows ``[0, upto)`` as selected; rows toggled since are kept in
    ``flipped`` (key -> global row), so a million-row select-all never builds a million-key set.
    ``count`` counts the selected rows still in the table (removed ones are discarded).
    """

    def __init__(self) -> None:
        self.upto = 0
        self.flipped: dict[str, int] = {}
        self.count = 0

    def contains(self, row: int, key: str) -> bool:
        """Whether global ``row`` (whose key is ``key``) is selected."""
        return (row < self.upto) != (key in self.flipped)

    def toggle(self, row: int, key: str) -> bool:
        """Flip one row; returns its new state."""
        if key in self.flipped:
            del self.flipped[key]
        else:
            self.flipped[key] = row
        selected = self.contains(row, key)
        self.count += 1 if selected else -1
        return selected

    def discard(self, rows: Mapping[str, int]) -> None:
        """Unselect rows (key -> global row) that are leaving the table; unselected ones are
        left alone. O(toggled rows) in Python, the rest in C: a select-all of a million rows
        losing 100,000 of them stays a few milliseconds on the event loop.

        Removed rows below ``upto`` are not recorded here: :meth:`TableModel.selected_keys`
        skips the table's removed rows itself, and a removed row is never shown or toggled.
        """
        upto, flipped = self.upto, self.flipped
        unselected_below = 0
        for key in flipped.keys() & rows.keys():
            if flipped[key] >= upto:  # selected by a toggle, past the select-all
                del flipped[key]
                self.count -= 1
            else:  # toggled off after a select-all: not counted as selected
                unselected_below += 1
        if upto:
            removed = np.fromiter(rows.values(), dtype=np.intp, count=len(rows))
            self.count -= int(np.count_nonzero(removed < upto)) - unselected_below

    def select_all(self, upto: int, count: int | None = None) -> None:
        """Select global rows ``[0, upto)``: ``count`` of them are still in the table."""
        self.upto, self.flipped = upto, {}
        self.count = upto if count is None else count

    def clear(self) -> None:
        """Select nothing."""
        self.upto, self.flipped, self.count = 0, {}, 0
