"""The data side of :class:`VirtualTable`: chunks, display order, selection and cell text.

Rows live in the DataFrame chunks they arrived in (a Graph page each); nothing is copied per
row. A display row maps to a global row through the sort permutation (rows appended after the
last sort follow it in arrival order), skipping removed rows (:mod:`.removed`), and a
global row to its chunk by bisecting the chunks' start offsets. Every lookup is
O(log chunks + log removed); appending is O(columns).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rich.cells import cell_len

from ....frames.columns import Column
from ...safe_text import safe
from .removed import RemovedRows
from .selection import Selection

__all__ = ["Chunk", "Selection", "TableModel", "format_cell", "is_missing", "plain_array"]

#: Auto-sized columns are at least this wide and at most ...
MIN_WIDTH, MAX_WIDTH = 4, 34
#: ... measured on this many rows of the first chunk.
WIDTH_SAMPLE = 200


def is_missing(value: Any) -> bool:
    """``None``, NaN, ``pd.NA`` and ``NaT`` are all "no value"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return isinstance(value, float) and math.isnan(value)


def format_cell(value: Any, kind: str) -> str:
    """The text shown for ``value``: tenant text made safe (never markup, no control codes)."""
    if is_missing(value):
        return ""
    if kind == "bool" or isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, np.datetime64):  # UTC, from a plain array
        return str(value)[:16].replace("T", " ")
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return safe(value)


def plain_array(array: Any) -> Any:
    """A column as a numpy array when that costs no copy (datetimes as UTC ``datetime64``).

    numpy arrays are invisible to the garbage collector, pandas arrays are not: holding plain
    arrays keeps full GC pauses from growing with the rows loaded.
    """
    if isinstance(array, np.ndarray):
        return array
    if isinstance(array, pd.arrays.DatetimeArray):
        return np.asarray(array.asi8).view(f"datetime64[{array.unit}]")
    if isinstance(array, (pd.arrays.StringArray, pd.arrays.NumpyExtensionArray)):
        return np.asarray(array)  # the backing object array itself
    return array


@dataclass(slots=True)
class Chunk:
    """One appended page: where it starts, its length, and its columns as arrays."""

    start: int
    length: int
    arrays: dict[str, Any]

    def array(self, key: str) -> Any:
        """The column ``key`` (``None`` when the chunk has no such column)."""
        return self.arrays.get(key)


class TableModel:
    """Chunks of rows, the display order over them, the removed rows and the selection."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self.starts: list[int] = []
        #: rows appended since the last clear, removed ones included (the next global row)
        self.total = 0
        #: display row -> global row over global rows ``[0, len(order))`` (after a sort).
        self._order: np.ndarray | None = None
        self.removed = RemovedRows()
        self.selection = Selection()

    @property
    def rows(self) -> int:
        """Rows shown: appended and not removed."""
        return self.total - len(self.removed)

    @property
    def order(self) -> np.ndarray | None:
        """The sort permutation of global rows ``[0, len(order))``, removed ones included."""
        return self._order

    @order.setter
    def order(self, order: np.ndarray | None) -> None:
        self._order = order
        self.removed.for_order(order)  # O(rows) in numpy, and only when rows were removed

    def append(self, frame: pd.DataFrame) -> None:
        """Add a chunk: O(1) in its length (its arrays are read lazily)."""
        if len(frame) == 0:
            return
        arrays = {str(key): plain_array(frame[key].array) for key in frame.columns}
        self.chunks.append(Chunk(self.total, len(frame), arrays))
        self.starts.append(self.total)
        self.total += len(frame)

    def set_array(self, start: int, key: str, array: Any) -> bool:
        """Replace column ``key`` of the chunk starting at global row ``start`` (new values
        for the same rows, e.g. after a commit); ``False`` if there is no such chunk."""
        index = bisect_right(self.starts, start) - 1
        if index < 0 or self.chunks[index].start != start \
                or self.chunks[index].length != len(array):
            return False
        self.chunks[index].arrays[key] = plain_array(array)
        return True

    def clear(self) -> None:
        """Drop every row, the order, the removed rows and the selection."""
        self.chunks, self.starts, self.total, self._order = [], [], 0, None
        self.removed.clear()
        self.selection.clear()

    def display_positions(self) -> np.ndarray | None:
        """Each shown row's position among the remaining rows in arrival order, in display
        order; ``None`` when not sorted."""
        order = self._order
        if order is None:
            return None
        rows = np.concatenate([order, np.arange(len(order), self.total, dtype=np.intp)])
        removed = self.removed.rows
        if len(removed):
            rows = rows[~np.isin(rows, removed)]
        return (rows - np.searchsorted(removed, rows)).astype(np.intp, copy=False)

    def global_row(self, row: int) -> int:
        """The global (arrival) position of display ``row``."""
        return self.place(row)[0]

    def place(self, row: int) -> tuple[int, int | None]:
        """(global row, position in the sort order or ``None``) of display ``row``."""
        order, removed = self._order, self.removed
        if order is not None and row < len(order) - len(removed.positions):
            position = removed.nth_position(row)
            return int(order[position]), position
        # The sorted rows are the remaining rows of [0, len(order)), so the rest follow in
        # arrival order whether sorted or not.
        return removed.nth_row(row), None

    def display_row(self, row: int, position: int | None = None) -> int:
        """The display row of remaining global ``row`` (at ``position`` in the sort order)."""
        if position is not None:
            return position - self.removed.positions_before(position)
        return row - self.removed.before(row)

    def remove(self, rows: Iterable[int], positions: Iterable[int] = ()) -> None:
        """Remove global ``rows`` (distinct, remaining); ``positions``: the places in the sort
        order of those whose place is known. The caller updates the selection."""
        self.removed.add(rows, self._order, list(positions))

    def locate(self, row: int) -> tuple[Chunk, int]:
        """The chunk holding global ``row`` and the row's position in it."""
        chunk = self.chunks[bisect_right(self.starts, row) - 1]
        return chunk, row - chunk.start

    def key_at(self, chunk: Chunk, local: int, row: int) -> str:
        ids = chunk.array("id")
        if ids is None:
            return str(row)
        value = ids[local]
        return str(row) if is_missing(value) else str(value)

    def key_of(self, row: int) -> str:
        """The key of global ``row``."""
        chunk, local = self.locate(row)
        return self.key_at(chunk, local, row)

    def value(self, row: int, key: str) -> Any:
        """The raw value of column ``key`` in global ``row`` (``None`` if the chunk lacks it)."""
        chunk, local = self.locate(row)
        array = chunk.array(key)
        return None if array is None else array[local]

    def key(self, row: int) -> str:
        """The key (object id) of display ``row``."""
        return self.key_of(self.global_row(row))

    def cells(self, row: int, columns: Sequence[Column]) -> tuple[str, bool, list[str]]:
        """(key, selected, cell texts of ``columns``) for display ``row``."""
        g = self.global_row(row)
        chunk, local = self.locate(g)
        key = self.key_at(chunk, local, g)
        texts = []
        for column in columns:
            array = chunk.array(column.key)
            texts.append("" if array is None else format_cell(array[local], column.kind))
        return key, self.selection.contains(g, key), texts

    def sample_width(self, column: Column) -> int:
        """A width for ``column`` from the first rows (label included, room for a sort mark)."""
        width = cell_len(column.label) + 2
        if self.chunks:
            array = self.chunks[0].array(column.key)
            if array is not None:
                lengths = sorted(cell_len(format_cell(v, column.kind))
                                 for v in array[:WIDTH_SAMPLE])
                if lengths:
                    # The 90th percentile, not the longest: one long email must not push the
                    # other columns off screen (long values end in an ellipsis; '>' widens).
                    width = max(width, lengths[max(0, int(len(lengths) * 0.9) - 1)])
        return max(MIN_WIDTH, min(MAX_WIDTH, width))

    def content_width(self, column: Column, limit: int = 200) -> int:
        """The width of ``column``'s longest cell over every row (label included), at most
        ``limit``: for small tables that show whole values (O(rows))."""
        width = cell_len(column.label) + 2
        for chunk in self.chunks:
            array = chunk.array(column.key)
            if array is not None:
                width = max(width, *(cell_len(format_cell(v, column.kind)) for v in array))
        return max(MIN_WIDTH, min(limit, width))

    def column_parts(self, key: str) -> tuple[list[Any], list[int]]:
        """Every chunk's array for ``key`` (``None`` where missing) and the chunk lengths: a
        snapshot for a sort thread, O(chunks)."""
        return [c.array(key) for c in self.chunks], [c.length for c in self.chunks]

    def selected_keys(self) -> list[str]:
        """Keys of the selected rows, in arrival order (O(rows) after a select-all)."""
        sel = self.selection
        keys: list[str] = []
        if sel.upto:
            # Rows unselected since the select-all, and rows removed before it.
            skip = {g for g in sel.flipped.values() if g < sel.upto}
            skip.update(int(g) for g in self.removed.rows if g < sel.upto)
            for chunk in self.chunks:
                if chunk.start >= sel.upto:
                    break
                stop = min(chunk.length, sel.upto - chunk.start)
                for local in range(stop):
                    if chunk.start + local not in skip:
                        keys.append(self.key_at(chunk, local, chunk.start + local))
        keys.extend(sorted((k for k, g in sel.flipped.items() if g >= sel.upto),
                           key=lambda k: sel.flipped[k]))
        return keys

    # -- finding rows by key --------------------------------------------------------------------
    def find(self, keys: set[str] | frozenset[str], rows: Iterable[int]
             ) -> tuple[dict[str, int], dict[int, int]]:
        """Where the remaining rows with ``keys`` are, as far as cheap hints tell: toggled
        selected rows, positional keys and the display ``rows`` given (the cursor, the screen).
        Returns key -> global row, and global row -> position in the sort order for those
        found through a display row of the sorted part. O(hints · log chunks)."""
        found: dict[str, int] = {}
        positions: dict[int, int] = {}
        flipped = self.selection.flipped
        if len(flipped) < len(keys):
            hints = [(k, g) for k, g in flipped.items() if k in keys]
        else:
            hints = [(k, flipped[k]) for k in keys if k in flipped]
        hints += [(k, int(k)) for k in keys if k.isdigit()]  # keys of rows without an id
        for key, hint in hints:
            if key not in found and self._holds(hint, key):
                found[key] = hint
        for row in rows:
            if len(found) == len(keys):
                break
            if 0 <= row < self.rows:
                g, position = self.place(row)
                key = self.key_of(g)
                if key in keys and key not in found:
                    found[key] = g
                    if position is not None:
                        positions[g] = position
        return found, positions

    def _holds(self, row: int, key: str) -> bool:
        return 0 <= row < self.total and not self.removed.contains(row) and \
            self.key_of(row) == key

    def id_parts(self) -> list[tuple[int, Any]]:
        """Each chunk's start and ``id`` array: a snapshot for a search in a thread."""
        return [(c.start, c.array("id")) for c in self.chunks]
