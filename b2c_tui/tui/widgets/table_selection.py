"""The selection of a :class:`VirtualTable`: rows selected by key, "select all" in O(1).

Rows are named by their global row (arrival position) and key. Global rows never move while the
table holds them (removed rows leave a gap, see :mod:`.table_removed`), so a selection stays
valid across sorts, appends and removals.
"""

from __future__ import annotations

from collections.abc import Mapping


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
        left alone. Below ``upto`` they stay in ``flipped`` as unselected, which keeps them
        out of :meth:`TableModel.selected_keys`."""
        upto, flipped = self.upto, self.flipped
        for key, row in rows.items():
            if key in flipped:
                if row >= upto:
                    del flipped[key]
                    self.count -= 1
            elif row < upto:
                flipped[key] = row
                self.count -= 1

    def select_all(self, upto: int, count: int | None = None) -> None:
        """Select global rows ``[0, upto)``: ``count`` of them are still in the table."""
        self.upto, self.flipped = upto, {}
        self.count = upto if count is None else count

    def clear(self) -> None:
        """Select nothing."""
        self.upto, self.flipped, self.count = 0, {}, 0
