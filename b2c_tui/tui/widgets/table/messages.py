"""Messages a :class:`VirtualTable` posts (also reachable as ``VirtualTable.CursorMoved`` ...).

Handlers are named ``on_virtual_table_cursor_moved``, ``on_virtual_table_near_end``,
``on_virtual_table_row_activated``, ``on_virtual_table_rows_removed``,
``on_virtual_table_selection_changed`` and ``on_virtual_table_sort_changed``.

Dataclasses, as Textual's own messages are (``Message`` runs ``__post_init__``): the table
first (``widget``, also ``control``), then what the message says, positional as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..messages import WidgetMessage

if TYPE_CHECKING:
    from .widget import VirtualTable  # noqa: F401 (the base's type argument, a string)


class TableMessage(WidgetMessage["VirtualTable"], namespace="virtual_table"):
    """A message from a :class:`VirtualTable` (``widget`` and ``control`` are the table)."""


@dataclass
class CursorMoved(TableMessage, namespace="virtual_table"):
    """The cursor is on another row (or another record came under it after a sort)."""

    row: int
    key: str


@dataclass
class NearEnd(TableMessage, namespace="virtual_table"):
    """The cursor or the viewport is within a page of the loaded end, and more rows exist:
    fetch the next Graph page. Posted once per loaded row count."""

    rows: int


@dataclass
class RowActivated(TableMessage, namespace="virtual_table"):
    """Enter, or a double click, on the row with ``key``."""

    key: str


@dataclass
class SelectionChanged(TableMessage, namespace="virtual_table"):
    """The number of selected rows is now ``count``."""

    count: int


@dataclass
class SortChanged(TableMessage, namespace="virtual_table"):
    """A sort started, landed or was dropped (``sorting`` tells which)."""

    sorting: bool


@dataclass
class RowsRemoved(TableMessage, namespace="virtual_table"):
    """The rows with ``keys`` were removed (:meth:`VirtualTable.remove_keys`)."""

    keys: list[str]
