"""Keeping the cursor of a :class:`~.widget.VirtualTable` in view, paging, and mouse clicks.

:class:`Navigator` works through the table's public API (cursor, scroll offset, layout); the
table's ``action_*`` methods call it. Every operation is O(1) or O(visible rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Region

from .painter import GUTTER

if TYPE_CHECKING:
    from .widget import VirtualTable

#: Cells a column grows or shrinks per ``<`` / ``>``.
RESIZE_STEP = 2


class Navigator:
    """Cursor geometry for one table."""

    def __init__(self, table: VirtualTable) -> None:
        self.table = table

    @property
    def page_size(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.table.scrollable_content_region.height - 1)

    def hint_rows(self) -> list[int]:
        """The cursor's display row, then those on screen: where a row named by key (the one
        just deleted, the one to name in a dialog) is most likely to be."""
        table = self.table
        top = table.scroll_offset.y
        return [table.cursor_row, *range(top, min(table.row_count, top + self.page_size))]

    def refresh_row(self, row: int) -> None:
        """Repaint display ``row`` if it is on screen."""
        table = self.table
        y = row - table.scroll_offset.y + 1
        if 1 <= y < table.size.height:
            table.refresh(Region(0, y, table.size.width, 1))

    def page_by(self, delta: int) -> None:
        """Scroll by a page and keep the cursor at the same place on screen."""
        table = self.table
        target = max(0, min(table.cursor_row + delta, table.row_count - 1))
        table.scroll_to(y=table.scroll_offset.y + (target - table.cursor_row), animate=False,
                        force=True)
        table.move_cursor(row=target)

    def scroll_cursor_into_view(self) -> None:
        """Scroll the least needed for the cursor cell to be visible."""
        table = self.table
        scroll_x, scroll_y = table.scroll_offset
        page, row = self.page_size, table.cursor_row
        y = scroll_y
        if row < scroll_y:
            y = row
        elif row >= scroll_y + page:
            y = row - page + 1
        x = scroll_x
        if table.columns:
            layout = table.column_layout
            left = layout.offsets[table.cursor_column]
            right = left + layout.cell_width(table.cursor_column)
            room = max(1, table.scrollable_content_region.width - GUTTER)
            if right > scroll_x + room:
                x = right - room
            x = min(x, left)
        if (x, y) != (scroll_x, scroll_y):
            table.scroll_to(x, y, animate=False, force=True)

    def column_at(self, x: int) -> int | None:
        """The column under content offset ``x`` (``None`` over the gutter or past the end)."""
        if x < GUTTER:
            return None
        table = self.table
        return table.column_layout.column_at(x - GUTTER + table.scroll_offset.x)

    def click(self, event: events.Click) -> None:
        """Click: cursor to the cell (on the header: sort by it); double click: activate."""
        table = self.table
        offset = event.get_content_offset(table)
        if offset is None:
            return
        column = self.column_at(offset.x)
        if offset.y == 0:
            if column is not None and table.row_count:
                table.move_cursor(column=column)
                table.action_sort()
            return
        row = table.scroll_offset.y + offset.y - 1
        if row >= table.row_count:
            return
        table.move_cursor(row=row, column=column, scroll=False)
        if event.chain >= 2:
            table.action_activate()
