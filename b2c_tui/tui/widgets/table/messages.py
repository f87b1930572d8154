"""Messages a :class:`VirtualTable` posts (also reachable as ``VirtualTable.CursorMoved`` ...).

Handlers are named ``on_virtual_table_cursor_moved``, ``on_virtual_table_near_end``,
``on_virtual_table_row_activated``, ``on_virtual_table_rows_removed``,
``on_virtual_table_selection_changed`` and ``on_virtual_table_sort_changed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .widget import VirtualTable


class TableMessage(Message, namespace="virtual_table"):
    """A message from a :class:`VirtualTable` (``control`` is the table)."""

    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> VirtualTable:
        return self.table


class CursorMoved(TableMessage, namespace="virtual_table"):
    """The cursor is on another row (or another record came under it after a sort)."""

    def __init__(self, table: VirtualTable, row: int, key: str) -> None:
        super().__init__(table)
        self.row, self.key = row, key


class NearEnd(TableMessage, namespace="virtual_table"):
    """The cursor or the viewport is within a page of the loaded end, and more rows exist:
    fetch the next Graph page. Posted once per loaded row count."""

    def __init__(self, table: VirtualTable, rows: int) -> None:
        super().__init__(table)
        self.rows = rows


class RowActivated(TableMessage, namespace="virtual_table"):
    """Enter, or a double click, on the row with ``key``."""

    def __init__(self, table: VirtualTable, key: str) -> None:
        super().__init__(table)
        self.key = key


class SelectionChanged(TableMessage, namespace="virtual_table"):
    """The number of selected rows is now ``count``."""

    def __init__(self, table: VirtualTable, count: int) -> None:
        super().__init__(table)
        self.count = count


class SortChanged(TableMessage, namespace="virtual_table"):
    """A sort started, landed or was dropped (``sorting`` tells which)."""

    def __init__(self, table: VirtualTable, sorting: bool) -> None:
        super().__init__(table)
        self.sorting = sorting


class RowsRemoved(TableMessage, namespace="virtual_table"):
    """The rows with ``keys`` were removed (:meth:`VirtualTable.remove_keys`)."""

    def __init__(self, table: VirtualTable, keys: list[str]) -> None:
        super().__init__(table)
        self.keys = keys
