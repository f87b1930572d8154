"""``VirtualTable``: a table over pandas chunks that renders only what is on screen.

Built on Textual's Line API: ``render_line`` formats one screen line straight from the
DataFrame chunks, so painting, cursor moves and scrolling cost O(visible rows) whether a
thousand rows are loaded or a million. Rows arrive a Graph page at a time (:meth:`append`);
:class:`VirtualTable.NearEnd` asks for the next page before the user reaches the end. Sorting
runs in a thread and is applied atomically; a stale sort is dropped. Deleted rows go with
:meth:`remove_keys`, which leaves the other rows, the sort and the cursor's index as they are.
``tones`` colour cells by what they say (a key that expires in a week, an error); the text
itself must say it too (a glyph), so that it reads without colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeAlias

import numpy as np
import pandas as pd
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ....frames.columns import Column, visible
from ...safe_text import safe
from ..exposed import Exposed
from ..moving import movement_bindings
from ..view_css import view_css
from . import messages
from .jobs import RowRemover, SortRunner
from .marks import CellMarks
from .model import TableModel
from .navigation import RESIZE_STEP, Navigator
from .painter import GUTTER, TONES, ColumnLayout, RowPainter, Tone

#: Sorts caused by arriving pages wait this long for the stream to pause.
RESORT_DELAY = 0.15


ROW_ACTIONS = frozenset({"cursor_up", "cursor_down", "page_up", "page_down", "first_row",
                         "last_row", "activate", "toggle_select", "select_all"})
COLUMN_ACTIONS = frozenset({"cursor_left", "cursor_right", "narrow", "widen"})


class VirtualTable(ScrollView, can_focus=True):
    """A virtual table over DataFrame chunks with a row cursor, a column cursor, selection by
    key, off-loop sorting and page-ahead loading."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *movement_bindings("table"),
        Binding("home,g", "first_row", "First row", show=False, id="table.first_row"),
        Binding("end,G", "last_row", "Last row", show=False, id="table.last_row"),
        Binding("enter", "activate", "Open", id="table.activate"),
        Binding("space", "toggle_select", "Select", id="table.toggle_select"),
        Binding("ctrl+a", "select_all", "Select all", show=False, id="table.select_all"),
        Binding("s", "sort", "Sort", id="table.sort"),
        Binding("less_than_sign", "narrow", "Narrower", key_display="<", show=False,
                id="table.narrow"),
        Binding("greater_than_sign", "widen", "Wider", key_display=">", show=False,
                id="table.widen"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--header-cursor",
        "virtual-table--cursor",
        "virtual-table--cursor-row",
        "virtual-table--selected",
        "virtual-table--even-row",
        "virtual-table--odd-row",
        "virtual-table--pending",
        "virtual-table--failed",
        *(f"virtual-table--tone-{tone}" for tone in TONES),
    }

    DEFAULT_CSS = "VirtualTable {" + view_css(
        "virtual-table", cursor_style="text-style: $block-cursor-text-style;") + """
        & > .virtual-table--header-cursor { background: $panel-lighten-1; color: $foreground;
            text-style: bold; }
        & > .virtual-table--odd-row { background: $surface; }
        & > .virtual-table--even-row { background: $boost; }
        & > .virtual-table--selected { background: $secondary 30%; color: $foreground; }
        & > .virtual-table--cursor-row { background: $primary 15%; }
        & > .virtual-table--pending { background: $warning 30%; color: $foreground; }
        & > .virtual-table--failed { background: $error 40%; color: $foreground;
            text-style: bold; }
        &:focus > .virtual-table--cursor-row { background: $primary 25%; }
        & > .virtual-table--tone-error { color: $text-error; text-style: bold; }
        & > .virtual-table--tone-warning { color: $text-warning; }
        & > .virtual-table--tone-success { color: $text-success; }
        & > .virtual-table--tone-muted { color: $foreground-muted; }
    }
    """

    # Named through the module: while the messages' base (generic over this class) is still
    # being resolved, mypy may take a bare ``RowsRemoved`` for this same-named alias itself.
    CursorMoved: TypeAlias = messages.CursorMoved
    NearEnd: TypeAlias = messages.NearEnd
    RowActivated: TypeAlias = messages.RowActivated
    RowsRemoved: TypeAlias = messages.RowsRemoved
    SelectionChanged: TypeAlias = messages.SelectionChanged
    SortChanged: TypeAlias = messages.SortChanged

    def __init__(self, columns: Sequence[Column] = (), *, name: str | None = None,
                 id: str | None = None, classes: str | None = None,
                 fit_content: bool = False, tones: Mapping[str, Tone] | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: size columns to their longest value over all rows (small tables: a user's methods)
        self.fit_content = fit_content
        #: column key -> the tone of a cell from its text (see :data:`TONES`)
        self.tones: dict[str, Tone] = dict(tones or {})
        self._model = TableModel()
        self._columns: tuple[Column, ...] = ()
        self._layout = ColumnLayout()
        self._auto_widths = True  # widths still to be measured on the first chunk
        self._cursor_row = 0
        self._cursor_column = 0
        self._has_more = False
        self._empty_text = ""
        self._near_end_at = -1  # row count for which NearEnd was last posted
        self._sort_key: str | None = None
        self._sort_reverse = False
        self._sorter = SortRunner(self)
        self._remover = RowRemover(self)
        self._painter = RowPainter(self)
        self._navigator = Navigator(self)
        self._marks: CellMarks | None = None
        self.set_columns(columns)

    # -- public API -----------------------------------------------------------------------
    columns = Exposed[tuple[Column, ...]]("_columns",
                                          "The columns shown (secret columns never are).")

    @property
    def row_count(self) -> int:
        """Rows loaded."""
        return self._model.rows

    @property
    def empty_text(self) -> str:
        """What the table says under its header while it has no rows (set by the pane)."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        text = safe(text)
        if text != self._empty_text:
            self._empty_text = text
            if not self.row_count:
                self.refresh()

    # Read-only, as in Textual's DataTable: :meth:`move_cursor` moves it (and scrolls).
    cursor_row = Exposed[int]("_cursor_row", "The display row under the cursor.")
    cursor_column = Exposed[int](
        "_cursor_column", "The column under the cursor (index into :attr:`columns`).")

    @property
    def column_widths(self) -> tuple[int, ...]:
        """Each column's text width in cells."""
        return tuple(self._layout.widths)

    @property
    def has_more(self) -> bool:
        """Whether Graph has more pages (set by the pane from ``@odata.nextLink``)."""
        return self._has_more

    @has_more.setter
    def has_more(self, value: bool) -> None:
        self._has_more = bool(value)
        self._check_near_end()

    model = Exposed[TableModel](
        "_model", "The rows, display order, removed rows and selection behind the table.")

    @property
    def marks(self) -> CellMarks | None:
        """What marks cells (pending edits): asked by key for each painted row."""
        return self._marks

    @marks.setter
    def marks(self, marks: CellMarks | None) -> None:
        self._marks = marks
        self.refresh()

    def refresh_marks(self) -> None:
        """The marks changed: repaint the rows on screen (they are asked again)."""
        self.refresh()

    def set_arrays(self, planned: Iterable[tuple[int, str, Any]]) -> None:
        """New values for loaded rows: ``(chunk start row, column key, array)`` each (see
        ``PagedFrame.plan_values``). Repaints, and sorts again if the sort column changed."""
        changed = {key for start, key, array in planned if self._model.set_array(start, key,
                                                                                 array)}
        if self._sort_key in changed:
            self._sorter.request(follow=True, delay=0.0)
        if changed:
            self.refresh()

    @property
    def row_summary(self) -> str:
        """``1,234 loaded · more available`` or ``1,234 (all)``, plus selection and sorting."""
        rows = self.row_count
        text = f"{rows:,} loaded · more available" if self._has_more else f"{rows:,} (all)"
        if self._model.selection.count:
            text += f" · {self._model.selection.count:,} selected"
        if self.sorting:
            text += " · sorting…"
        return text

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show ``columns`` (secret ones are left out). Widths come from the spec or a sample."""
        self._columns = tuple(visible(columns))
        self._layout.set_widths(self._measure())
        self._auto_widths = not self._model.rows
        self._cursor_column = min(self._cursor_column, max(0, len(self._columns) - 1))
        if self._sort_key is not None and self._sort_key not in {c.key for c in self._columns}:
            self._sort_key, self._model.order = None, None
            self._sorter.cancel()
        self._relayout()

    def append(self, chunk: pd.DataFrame) -> None:
        """Add rows (a Graph page as a DataFrame with an ``id`` column). O(columns)."""
        if len(chunk) == 0:
            return
        before = self._model.rows
        self._model.append(chunk)
        self._near_end_at = -1
        if self._auto_widths:
            self._auto_widths = False
            self._layout.set_widths(self._measure())
            self._relayout()
        else:
            self._update_virtual_size()
        if before == 0:
            self.refresh_bindings()
            self._post_cursor()
        if self._sort_key is not None:
            # A user's sort still in flight keeps its intent; a re-sort of rows already
            # sorted keeps the record under the cursor where it is on screen.
            follow = self._sorter.follow if self._sorter.running else True
            self._sorter.request(follow=follow, delay=RESORT_DELAY)
        if before < self.scroll_offset.y + self.page_size:
            self.refresh()
        self._check_near_end()

    def _measure(self) -> list[int]:
        model = self._model
        if self.fit_content:
            return [max(c.width or 0, model.content_width(c)) for c in self._columns]
        return [c.width or model.sample_width(c) for c in self._columns]

    def clear(self) -> None:
        """Drop every row, the selection and any sort in flight. The sort column and the
        column widths stay: a refresh or a new filter shows the new rows sorted the same way."""
        had_selection = self._model.selection.count
        self._model.clear()
        self._sorter.cancel()
        self._remover.cancel()
        self._cursor_row = 0
        self._near_end_at = -1
        self._has_more = False
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()
        self.refresh_bindings()
        if had_selection:
            self.post_message(self.SelectionChanged(self, 0))

    def remove_keys(self, keys: Iterable[str]) -> None:
        """Remove the rows with these keys (deleted objects; keys not loaded are ignored).

        The other rows stay loaded and in their sort order, the cursor stays on the same
        display row (clamped), removed keys leave the selection, and :class:`RowsRemoved`
        names the keys removed. The rows under the cursor, on screen or in a hand-made selection
        go at once (O(keys · log rows)); others after a search in a thread (O(rows) there).
        """
        self._remover.remove(keys)

    def rows_removed(self, keys: list[str], cursor_key: str, *,
                     selection_changed: bool) -> None:
        """Rows with ``keys`` left the model (see :meth:`remove_keys`): repaint and report."""
        self._cursor_row = max(0, min(self._cursor_row, self.row_count - 1))
        self._update_virtual_size()
        self.refresh()
        if not self.row_count:
            self.refresh_bindings()
        self.post_message(self.RowsRemoved(self, keys))
        if selection_changed:
            self.post_message(self.SelectionChanged(self, self.selected_count))
        if self.row_count and self.row_key(self._cursor_row) != cursor_key:
            self._post_cursor()
        self._check_near_end()

    def row_key(self, row: int) -> str:
        """The key (object id) of display ``row``."""
        if not 0 <= row < self.row_count:
            raise IndexError(f"row {row} out of range (0..{self.row_count - 1})")
        return self._model.key(row)

    def row_texts(self, row: int) -> list[str]:
        """The cell texts of display ``row`` as shown (safe text)."""
        return self._model.cells(row, self._columns)[2]

    def values_of(self, keys: Iterable[str], column: str) -> dict[str, Any]:
        """Raw values of ``column`` for the rows with ``keys`` that are under the cursor, on
        screen or selected by hand (O(keys · log rows)); the other keys are left out."""
        found, _positions = self._model.find(set(keys), self.hint_rows())
        return {k: self._model.value(row, column) for k, row in found.items()}

    def display_positions(self) -> np.ndarray | None:
        """Where each shown row is among the remaining rows in arrival order, in display
        order (``None`` while the rows are not sorted: arrival order is the display order).
        O(rows) in numpy: for exports of the loaded rows "as shown"."""
        return self._model.display_positions()

    def selected_keys(self) -> list[str]:
        """Keys of the selected rows in arrival order (O(rows) after select-all)."""
        return self._model.selected_keys()

    @property
    def selected_count(self) -> int:
        """How many rows are selected."""
        return self._model.selection.count

    def move_cursor(self, row: int | None = None, column: int | None = None,
                    *, scroll: bool = True) -> None:
        """Put the cursor on display ``row`` / ``column`` (clamped) and scroll it into view."""
        old_row, old_column = self._cursor_row, self._cursor_column
        if row is not None:
            self._cursor_row = max(0, min(row, self.row_count - 1))
        if column is not None:
            self._cursor_column = max(0, min(column, len(self._columns) - 1))
        if scroll:
            self.scroll_cursor_into_view()
        if self._cursor_column != old_column:
            self.refresh()
        elif self._cursor_row != old_row:
            self.refresh_row(old_row)
            self.refresh_row(self._cursor_row)
        if self._cursor_row != old_row:
            self._post_cursor()
        self._check_near_end()

    # -- sorting ----------------------------------------------------------------------------
    sort_key = Exposed[str | None]("_sort_key", "The column key the rows are (being) sorted by.")
    sort_reverse = Exposed[bool]("_sort_reverse", "Whether the sort is descending.")

    @property
    def sorting(self) -> bool:
        """A sort is being computed (the rows still show the previous order)."""
        return self._sorter.running

    def sort_by(self, key: str, reverse: bool = False) -> None:
        """Sort by column ``key`` in a thread; the rows keep their order until it lands."""
        if key not in {c.key for c in self._columns}:
            raise KeyError(key)
        self._sort_key, self._sort_reverse = key, reverse
        self._sorter.request(follow=False, delay=0.0)

    def apply_order(self, order: np.ndarray, back: np.ndarray | None) -> None:
        """Show the rows in ``order`` (from the sort thread); with ``back`` (its inverse) the
        record under the cursor stays under it, at the same place on screen."""
        model = self._model
        old_key = self.row_key(self._cursor_row) if self.row_count else None
        if back is not None and self.row_count:
            g = model.global_row(self._cursor_row)
            offset = self._cursor_row - self.scroll_offset.y
            model.order = order
            position = int(back[g]) if g < len(back) else None
            self._cursor_row = model.display_row(g, position)
            self.scroll_to(y=max(0, self._cursor_row - offset), animate=False, force=True)
        else:
            model.order = order
        self.refresh()
        if self.row_count and self.row_key(self._cursor_row) != old_key:
            self._post_cursor()

    def sort_state_changed(self) -> None:
        """A sort started or stopped: repaint the header mark and the footer's bindings, and
        say so (:class:`SortChanged`: the status line's "sorting…" follows it)."""
        self._painter.invalidate()
        self.refresh()
        self.refresh_bindings()
        self.post_message(self.SortChanged(self, self.sorting))

    # -- geometry ---------------------------------------------------------------------------
    column_layout = Exposed[ColumnLayout]("_layout", "Column widths and offsets.")

    def resize_column(self, delta: int, index: int | None = None) -> None:
        """Widen (``delta`` > 0) or narrow a column (the cursor's by default)."""
        if not self._columns:
            return
        self._layout.resize(self._cursor_column if index is None else index, delta)
        self._relayout()
        self.scroll_cursor_into_view()

    @property
    def page_size(self) -> int:
        """Rows that fit under the header."""
        return self._navigator.page_size

    def hint_rows(self) -> list[int]:
        """The cursor's row, then those on screen (where a row named by key likely is)."""
        return self._navigator.hint_rows()

    def refresh_row(self, row: int) -> None:
        """Repaint display ``row`` if it is on screen."""
        self._navigator.refresh_row(row)

    def scroll_cursor_into_view(self) -> None:
        """Scroll the least needed for the cursor cell to be visible."""
        self._navigator.scroll_cursor_into_view()

    def column_at(self, x: int) -> int | None:
        """The column under content offset ``x`` (``None`` over the gutter or past the end)."""
        return self._navigator.column_at(x)

    def _relayout(self) -> None:
        self._painter.invalidate()
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(GUTTER + self._layout.total, self.row_count + 1)

    # -- rendering --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, or a row taken straight from its chunk."""
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            return self._painter.header(scroll_x, width)
        row = scroll_y + y - 1
        if row >= self.row_count:
            if not self.row_count and self._empty_text:
                return self._painter.message(self._empty_text, y - 2, width)
            return Strip.blank(width, self.rich_style)
        return self._painter.row(row, scroll_x, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.invalidate()

    def on_show(self) -> None:
        self._remover.resume()  # rows still to remove when the pane was left

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_near_end()

    # -- actions ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions need rows, column actions need columns: otherwise they are shown
        disabled (``None``), not silently ignored."""
        if action in ROW_ACTIONS:
            return True if self.row_count else None
        if action in COLUMN_ACTIONS:
            return True if self._columns else None
        if action == "sort":
            return True if self.row_count and self._columns else None
        return True

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor_row + 1)

    def action_cursor_left(self) -> None:
        self.move_cursor(column=self._cursor_column - 1)

    def action_cursor_right(self) -> None:
        self.move_cursor(column=self._cursor_column + 1)

    def action_page_down(self) -> None:
        self._navigator.page_by(self.page_size)

    def action_page_up(self) -> None:
        self._navigator.page_by(-self.page_size)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    def action_activate(self) -> None:
        if self.row_count:
            self.post_message(self.RowActivated(self, self.row_key(self._cursor_row)))

    def action_toggle_select(self) -> None:
        row = self._cursor_row
        self._model.selection.toggle(self._model.global_row(row), self.row_key(row))
        self.refresh_row(row)
        self.post_message(self.SelectionChanged(self, self.selected_count))

    def action_select_all(self) -> None:
        """Select every loaded row, or clear the selection when all are selected."""
        selection = self._model.selection
        if selection.count == self.row_count:
            selection.clear()
        else:
            selection.select_all(self._model.total, self.row_count)
        self.refresh()
        self.post_message(self.SelectionChanged(self, selection.count))

    def action_sort(self) -> None:
        """Sort by the cursor's column; again on the same column reverses."""
        key = self._columns[self._cursor_column].key
        self.sort_by(key, not self._sort_reverse if key == self._sort_key else False)

    def action_widen(self) -> None:
        self.resize_column(RESIZE_STEP)

    def action_narrow(self) -> None:
        self.resize_column(-RESIZE_STEP)

    def on_click(self, event: events.Click) -> None:
        self._navigator.click(event)

    # -- messages ---------------------------------------------------------------------------
    def _post_cursor(self) -> None:
        if self.row_count:
            self.post_message(self.CursorMoved(self, self._cursor_row, self.row_key(
                self._cursor_row)))

    def _check_near_end(self) -> None:
        rows = self.row_count
        if not self._has_more or self._near_end_at == rows:
            return
        last_seen = max(self._cursor_row, self.scroll_offset.y + self.page_size - 1)
        if rows == 0 or last_seen >= rows - 1 - self.page_size:
            self._near_end_at = rows
            self.post_message(self.NearEnd(self, rows))
