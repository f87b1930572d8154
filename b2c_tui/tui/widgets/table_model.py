"""The data side of :class:`VirtualTable`: chunks, display order, selection and cell text.

Rows live in the DataFrame chunks they arrived in (a Graph page each); nothing is copied per
row. A display row maps to a global row through the sort permutation (rows appended after the
last sort follow it in arrival order), and a global row to its chunk by bisecting the chunks'
start offsets. Every lookup is O(log chunks); appending is O(columns).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rich.cells import cell_len

from ...frames.columns import Column
from ..safe_text import safe

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


class Selection:
    """Selected rows by key, with "select all loaded" in O(1).

    Select-all marks global rows ``[0, upto)`` as selected; rows toggled since are kept in
    ``flipped`` (key -> global row), so a million-row select-all never builds a million-key set.
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

    def select_all(self, rows: int) -> None:
        """Select global rows ``[0, rows)``."""
        self.upto, self.flipped, self.count = rows, {}, rows

    def clear(self) -> None:
        """Select nothing."""
        self.upto, self.flipped, self.count = 0, {}, 0


class TableModel:
    """Chunks of rows, the display order over them, and the selection."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self.starts: list[int] = []
        self.rows = 0
        #: display row -> global row for the first ``len(order)`` display rows (after a sort).
        self.order: np.ndarray | None = None
        self.selection = Selection()

    def append(self, frame: pd.DataFrame) -> None:
        """Add a chunk: O(1) in its length (its arrays are read lazily)."""
        if len(frame) == 0:
            return
        arrays = {str(key): plain_array(frame[key].array) for key in frame.columns}
        self.chunks.append(Chunk(self.rows, len(frame), arrays))
        self.starts.append(self.rows)
        self.rows += len(frame)

    def clear(self) -> None:
        """Drop every row, the order and the selection."""
        self.chunks, self.starts, self.rows, self.order = [], [], 0, None
        self.selection.clear()

    def global_row(self, row: int) -> int:
        """The global (arrival) position of display ``row``."""
        order = self.order
        if order is not None and row < len(order):
            return int(order[row])
        return row

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

    def key(self, row: int) -> str:
        """The key (object id) of display ``row``."""
        g = self.global_row(row)
        chunk, local = self.locate(g)
        return self.key_at(chunk, local, g)

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

    def column_parts(self, key: str) -> tuple[list[Any], list[int]]:
        """Every chunk's array for ``key`` (``None`` where missing) and the chunk lengths: a
        snapshot for a sort thread, O(chunks)."""
        return [c.array(key) for c in self.chunks], [c.length for c in self.chunks]

    def selected_keys(self) -> list[str]:
        """Keys of the selected rows, in arrival order (O(rows) after a select-all)."""
        sel = self.selection
        keys: list[str] = []
        if sel.upto:
            removed = {k for k, g in sel.flipped.items() if g < sel.upto}
            for chunk in self.chunks:
                if chunk.start >= sel.upto:
                    break
                stop = min(chunk.length, sel.upto - chunk.start)
                for local in range(stop):
                    key = self.key_at(chunk, local, chunk.start + local)
                    if key not in removed:
                        keys.append(key)
        keys.extend(sorted((k for k, g in sel.flipped.items() if g >= sel.upto),
                           key=lambda k: sel.flipped[k]))
        return keys
