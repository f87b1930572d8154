"""The rows a :class:`~.view.DiffView` shows, computed from opcodes in O(opcodes).

A layout is a list of *segments* (a run of rows of one kind); the row at a screen position is
found by binary search, so a 1 MB diff with a few changes is a few dozen segments, not 20,000
row objects, and switching between side-by-side and unified, or folding unchanged runs, is
instant on the event loop.

Side by side, a changed block pairs old and new lines on the same rows (``changed``), the
longer side continuing alone (``removed`` / ``added``). Unified, its old lines come first, then
its new ones. Folded, an unchanged run keeps :data:`CONTEXT` lines next
to each change and one ``fold`` row says how many are hidden (at least :data:`MIN_FOLD`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ....policies.diff import Opcode

CONTEXT = 3
#: Fewer unchanged lines than this are shown rather than folded into one row.
MIN_FOLD = 4


class Row(NamedTuple):
    """One row: its ``kind`` (``equal``, ``changed``, ``removed``, ``added``, ``fold``), the
    0-based old and new line shown (``None`` for none), for a fold the lines hidden, and in a
    unified layout the line a changed line replaces or is replaced by (``pair``, on the other
    side)."""

    kind: str
    old: int | None
    new: int | None
    hidden: int = 0
    pair: int | None = None


class Segment(NamedTuple):
    first: int  # first row
    rows: int
    kind: str  # equal, replace, delete, insert, fold, or removed / added (unified halves)
    a0: int
    b0: int
    a_count: int
    b_count: int
    partner: int = 0  # unified halves of a change: lines on the other side


@dataclass
class DiffLayout:
    """The rows of one diff in one mode."""

    segments: list[Segment]
    starts: list[int]
    rows: int
    hunks: list[int]  # first row of each change
    unified: bool
    folded: bool

    def row(self, index: int) -> Row:
        """Row ``index`` (0-based)."""
        seg = self.segments[bisect_right(self.starts, index) - 1]
        k = index - seg.first
        if seg.kind == "equal":
            return Row("equal", seg.a0 + k, seg.b0 + k)
        if seg.kind == "fold":
            return Row("fold", seg.a0, seg.b0, seg.a_count)
        if seg.kind in ("delete", "removed"):
            return Row("removed", seg.a0 + k, None, pair=seg.b0 + k if k < seg.partner else None)
        if seg.kind in ("insert", "added"):
            return Row("added", None, seg.b0 + k, pair=seg.a0 + k if k < seg.partner else None)
        old = seg.a0 + k if k < seg.a_count else None
        new = seg.b0 + k if k < seg.b_count else None
        return Row("changed" if old is not None and new is not None
                   else "removed" if old is not None else "added", old, new)

    def row_of(self, old: int | None = None, new: int | None = None) -> int:
        """The row showing old line ``old`` (or new line ``new``); a fold hiding it counts.
        O(segments)."""
        for seg in self.segments:
            if old is not None and seg.a0 <= old < seg.a0 + seg.a_count:
                return seg.first + (0 if seg.kind == "fold" else old - seg.a0)
            if new is not None and seg.b0 <= new < seg.b0 + seg.b_count:
                return seg.first + (0 if seg.kind == "fold" else new - seg.b0)
        return max(0, self.rows - 1)

    def hunk_at(self, row: int) -> int | None:
        """The index of the change ``row`` is in (or the last one before it)."""
        index = bisect_right(self.hunks, row) - 1
        return index if index >= 0 else None


def build_layout(ops: Sequence[Opcode], *, unified: bool, folded: bool,
                 context: int = CONTEXT) -> DiffLayout:
    """The rows for ``ops``: side by side or ``unified``, unchanged runs ``folded``."""
    segments: list[Segment] = []
    hunks: list[int] = []
    row = 0

    def add(kind: str, rows: int, a0: int, b0: int, a_count: int, b_count: int,
            partner: int = 0) -> None:
        nonlocal row
        if rows > 0:
            segments.append(Segment(row, rows, kind, a0, b0, a_count, b_count, partner))
            row += rows

    last = len(ops) - 1
    for index, op in enumerate(ops):
        a_count, b_count = op.a1 - op.a0, op.b1 - op.b0
        if op.tag == "equal":
            keep_head = context if index > 0 else 0
            keep_tail = context if index < last else 0
            if folded and a_count - keep_head - keep_tail >= MIN_FOLD:
                add("equal", keep_head, op.a0, op.b0, keep_head, keep_head)
                hidden = a_count - keep_head - keep_tail
                add("fold", 1, op.a0 + keep_head, op.b0 + keep_head, hidden, hidden)
                add("equal", keep_tail, op.a1 - keep_tail, op.b1 - keep_tail, keep_tail,
                    keep_tail)
            else:
                add("equal", a_count, op.a0, op.b0, a_count, b_count)
            continue
        hunks.append(row)
        if op.tag == "replace" and unified:
            add("removed", a_count, op.a0, op.b0, a_count, 0, b_count)
            add("added", b_count, op.a0, op.b0, 0, b_count, a_count)
        elif op.tag == "replace":
            add("replace", max(a_count, b_count), op.a0, op.b0, a_count, b_count)
        elif op.tag == "delete":
            add("delete", a_count, op.a0, op.b0, a_count, 0)
        else:
            add("insert", b_count, op.a0, op.b0, 0, b_count)
    return DiffLayout(segments, [s.first for s in segments], row, hunks, unified, folded)
