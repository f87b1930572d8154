"""``VirtualTable``: a table over pandas chunks that renders only what is on screen.

Its parts, each talking to the others through public methods:

* :mod:`.widget` — the Textual widget: public API, bindings, actions, the sort column.
* :mod:`.model` — the rows (DataFrame chunks), display order, removed rows, selection, cells.
* :mod:`.painter` — column layout and one ``Strip`` per screen line.
* :mod:`.jobs` — background work, one worker each: sorting and removing rows by key.
* :mod:`.navigation` — cursor geometry, paging and clicks.
* :mod:`.sort`, :mod:`.removed`, :mod:`.selection` — the numpy algorithms behind them.
* :mod:`.messages` — what the table posts (``CursorMoved``, ``NearEnd``, ...).
* :mod:`.marks` — marks on cells (pending edits), asked by row key as rows are painted.
"""

from __future__ import annotations

from .marks import GLYPHS, CellMark, CellMarks
from .messages import CursorMoved, NearEnd, RowActivated, RowsRemoved, SelectionChanged, SortChanged
from .widget import VirtualTable

__all__ = ["GLYPHS", "CellMark", "CellMarks", "CursorMoved", "NearEnd", "RowActivated",
           "RowsRemoved", "SelectionChanged", "SortChanged", "VirtualTable"]
