"""Marks on cells: a value the table shows instead of the loaded one, with a glyph and a style.

The table knows nothing of edits: a pane hands it a :class:`CellMarks` (anything with
``row_marks(key)``) and the painter asks it once per painted row, by the row's **key** (the
object id), so a mark follows its object through sorting, filtering and paging. A marked cell
shows its glyph before the text and takes the state's component style (colour), so it reads
without colour too; the row's gutter repeats the glyph, for marks on columns scrolled away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["GLYPHS", "CellMark", "CellMarks"]

#: The glyph of each mark state: an edit not sent yet, and one Graph refused.
GLYPHS = {"pending": "✎", "failed": "✗"}


@dataclass(frozen=True)
class CellMark:
    """What a marked cell shows: ``text`` (already safe) and its ``state`` (a key of
    :data:`GLYPHS`)."""

    text: str
    state: str = "pending"

    @property
    def glyph(self) -> str:
        return GLYPHS.get(self.state, "•")


class CellMarks(Protocol):
    """Where the painter finds the marks of a row (``None``: nothing marked)."""

    def row_marks(self, key: str) -> Mapping[str, CellMark] | None: ...
