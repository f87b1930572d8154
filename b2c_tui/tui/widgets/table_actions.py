"""Navigation for :class:`VirtualTable` (mixed into it): keyboard actions, keeping the cursor
in view, and mouse clicks.

The bindings themselves are declared on ``VirtualTable`` (Textual collects ``BINDINGS`` from
widget classes only); the actions they name live here. Each is O(1) or O(visible rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.geometry import Region

from .table_render import GUTTER

if TYPE_CHECKING:
    from .virtual_table import VirtualTable

ROW_ACTIONS = frozenset({"cursor_up", "cursor_down", "page_up", "page_down", "first_row",
                         "last_row", "activate", "toggle_select", "select_all"})
COLUMN_ACTIONS = frozenset({"cursor_left", "cursor_right", "narrow", "widen"})
#: Cells a column grows or shrinks per ``<`` / ``>``.
RESIZE_STEP = 2


class TableActions:
    """``action_*`` methods, ``check_action``, cursor scrolling and clicks."""

    @property
    def _table(self) -> VirtualTable:
        return cast("VirtualTable", self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions need rows, column actions need columns: otherwise they are shown
        disabled (``None``), not silently ignored."""
        table = self._table
        if action in ROW_ACTIONS:
            return True if table.row_count else None
        if action in COLUMN_ACTIONS:
            return True if table.columns else None
        if action == "sort":
            return True if table.row_count and table.columns else None
        return True

    def action_cursor_up(self) -> None:
        self._table.move_cursor(row=self._table.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._table.move_cursor(row=self._table.cursor_row + 1)

    def action_cursor_left(self) -> None:
        self._table.move_cursor(column=self._table.cursor_column - 1)

    def action_cursor_right(self) -> None:
        self._table.move_cursor(column=self._table.cursor_column + 1)

    def action_page_down(self) -> None:
        self._page_by(self._table.page_size)

    def action_page_up(self) -> None:
        self._page_by(-self._table.page_size)

    def _page_by(self, delta: int) -> None:
        # Scroll by a page and keep the cursor at the same place on screen.
        table = self._table
        target = max(0, min(table.cursor_row + delta, table.row_count - 1))
        table.scroll_to(y=table.scroll_offset.y + (target - table.cursor_row), animate=False,
                        force=True)
        table.move_cursor(row=target)

    def action_first_row(self) -> None:
        self._table.move_cursor(row=0)

    def action_last_row(self) -> None:
        self._table.move_cursor(row=self._table.row_count - 1)

    def action_activate(self) -> None:
        table = self._table
        if table.row_count:
            table.post_message(table.RowActivated(table, table.row_key(table.cursor_row)))

    def action_toggle_select(self) -> None:
        table = self._table
        row = table.cursor_row
        table.model.selection.toggle(table.model.global_row(row), table.row_key(row))
        table.refresh_row(row)
        table.post_message(table.SelectionChanged(table, table.selected_count))

    def action_select_all(self) -> None:
        """Select every loaded row, or clear the selection when all are selected."""
        table = self._table
        selection = table.model.selection
        if selection.count == table.row_count:
            selection.clear()
        else:
            selection.select_all(table.model.total, table.row_count)
        table.refresh()
        table.post_message(table.SelectionChanged(table, selection.count))

    def action_sort(self) -> None:
        """Sort by the cursor's column; again on the same column reverses."""
        table = self._table
        key = table.columns[table.cursor_column].key
        table.sort_by(key, not table.sort_reverse if key == table.sort_key else False)

    def action_widen(self) -> None:
        self._table.resize_column(RESIZE_STEP)

    def action_narrow(self) -> None:
        self._table.resize_column(-RESIZE_STEP)

    # -- keeping the cursor in view ----------------------------------------------------------
    @property
    def page_size(self) -> int:
        """Rows that fit under the header."""
        return max(1, self._table.scrollable_content_region.height - 1)

    def hint_rows(self) -> list[int]:
        """The cursor's display row, then those on screen: where a row named by key (the one
        just deleted, the one to name in a dialog) is most likely to be."""
        table = self._table
        top = table.scroll_offset.y
        return [table.cursor_row, *range(top, min(table.row_count, top + self.page_size))]

    def refresh_row(self, row: int) -> None:
        """Repaint display ``row`` if it is on screen."""
        table = self._table
        y = row - table.scroll_offset.y + 1
        if 1 <= y < table.size.height:
            table.refresh(Region(0, y, table.size.width, 1))

    def scroll_cursor_into_view(self) -> None:
        """Scroll the least needed for the cursor cell to be visible."""
        table = self._table
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
        table = self._table
        return table.column_layout.column_at(x - GUTTER + table.scroll_offset.x)

    # -- mouse ------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        """Click: cursor to the cell (on the header: sort by it); double click: activate."""
        table = self._table
        offset = event.get_content_offset(table)
        if offset is None:
            return
        column = table.column_at(offset.x)
        if offset.y == 0:
            if column is not None and table.row_count:
                table.move_cursor(column=column)
                self.action_sort()
            return
        row = table.scroll_offset.y + offset.y - 1
        if row >= table.row_count:
            return
        table.move_cursor(row=row, column=column, scroll=False)
        if event.chain >= 2:
            self.action_activate()
