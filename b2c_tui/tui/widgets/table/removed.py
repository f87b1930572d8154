"""Rows removed from a :class:`TableModel` (deleted objects), kept as gaps.

A removed row is not cut out of its chunk: rows keep their global row (arrival position) for as
long as the table holds them, so the selection, a sort in flight and a key search in a thread all
stay valid while rows are removed, and removing costs nothing per loaded row. What is kept is the
sorted list of removed global rows (and of their positions in the sort order, when sorted);
display rows skip them with a binary search:

    the r-th remaining row is r + #{i : removed[i] - i <= r}

since ``removed[i] - i`` is how many remaining rows come before the i-th removed one. Lookups
cost O(log removed); removing k rows costs O(k log k + removed), plus, in a sorted view, finding
their positions in the order when only their global rows are known (O(rows) in numpy, about
0.3 ms per row at a million rows, and at most a few ms for many).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np

from .sort import yield_to_loop

EMPTY = np.zeros(0, dtype=np.intp)
#: Up to this many rows are found in a sort order one comparison pass each, more with a mask.
FEW = 8


def _merge(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Two sorted arrays with no value in common, as one sorted array."""
    if not len(old):
        return new.astype(np.intp, copy=False)
    return np.insert(old, np.searchsorted(old, new), new)


def _gaps(rows: np.ndarray) -> np.ndarray:
    return rows - np.arange(len(rows), dtype=np.intp)


def _nth(gaps: np.ndarray, index: int) -> int:
    """The ``index``-th remaining position, given the removed positions' gaps."""
    if not len(gaps):
        return index
    return index + int(np.searchsorted(gaps, index, side="right"))


def positions_in(order: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Where the global ``rows`` (each below ``len(order)``) are in the permutation ``order``,
    sorted."""
    if not len(rows):
        return EMPTY
    if len(rows) <= FEW:
        found = [np.flatnonzero(order == row) for row in rows]
        return np.sort(np.concatenate(found)).astype(np.intp, copy=False)
    mask = np.zeros(len(order), dtype=bool)
    mask[rows] = True
    return np.flatnonzero(mask[order]).astype(np.intp, copy=False)


class RemovedRows:
    """The removed global rows of one table, and their positions in its sort order."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Nothing removed (the table was cleared)."""
        self.rows: np.ndarray = EMPTY
        self._row_gaps = EMPTY
        self.positions: np.ndarray = EMPTY
        self._position_gaps = EMPTY

    def __len__(self) -> int:
        return len(self.rows)

    def contains(self, row: int) -> bool:
        """Whether global ``row`` was removed."""
        i = int(np.searchsorted(self.rows, row))
        return i < len(self.rows) and int(self.rows[i]) == row

    def before(self, row: int) -> int:
        """How many removed rows come before global ``row``."""
        return int(np.searchsorted(self.rows, row))

    def positions_before(self, position: int) -> int:
        """How many removed rows come before ``position`` of the sort order."""
        return int(np.searchsorted(self.positions, position))

    def nth_row(self, index: int) -> int:
        """The global row of the ``index``-th remaining row in arrival order."""
        return _nth(self._row_gaps, index)

    def nth_position(self, index: int) -> int:
        """The position in the sort order of its ``index``-th remaining row."""
        return _nth(self._position_gaps, index)

    def add(self, rows: Iterable[int], order: np.ndarray | None,
            positions: Sequence[int] = ()) -> None:
        """Remove global ``rows`` (distinct, none removed before). ``positions``: those of them
        whose place in ``order`` is already known; the others below ``len(order)`` are looked
        up."""
        new = np.sort(np.fromiter(rows, dtype=np.intp))
        if not len(new):
            return
        self.rows = _merge(self.rows, new)
        self._row_gaps = _gaps(self.rows)
        if order is None:
            return
        known = np.asarray(positions, dtype=np.intp)
        unknown = new[new < len(order)]
        if len(known):
            unknown = np.setdiff1d(unknown, order[known], assume_unique=True)
        found = np.concatenate([known, positions_in(order, unknown)])
        self.set_positions(_merge(self.positions, np.sort(found)))

    def set_positions(self, positions: np.ndarray) -> None:
        """The removed rows' positions in the (new) sort order, sorted."""
        self.positions = positions.astype(np.intp, copy=False)
        self._position_gaps = _gaps(self.positions)

    def for_order(self, order: np.ndarray | None) -> None:
        """A new sort order (of global rows ``[0, len(order))``) replaces the old one."""
        if order is None or not len(self.rows):
            self.set_positions(EMPTY)
            return
        self.set_positions(positions_in(order, self.rows[self.rows < len(order)]))


def find_keys(parts: Sequence[tuple[int, Any]], keys: Collection[str]) -> dict[str, int]:
    """The global rows of ``keys`` among ``parts`` (each chunk's start and ``id`` array).

    For a thread: O(rows) of Python comparisons (some 50 ms at a million rows), so it yields
    the GIL between chunks and the event loop keeps running.
    """
    found: dict[str, int] = {}
    wanted = set(keys)
    for start, ids in parts:
        if ids is not None:
            for local, value in enumerate(ids):
                if value in wanted:
                    found[str(value)] = start + local
        yield_to_loop()
    return found
