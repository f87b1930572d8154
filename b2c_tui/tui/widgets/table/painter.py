"""Painting :class:`VirtualTable` lines: one ``Strip`` per screen line, built from plain strings.

Cell text is already safe (control characters made visible, see ``safe_text``) and goes into
``Segment``s as is, so ``[red]x[/]`` shows those characters: nothing is parsed as markup. Widths
are measured in terminal cells (``rich.cells``), so wide characters keep columns aligned.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...safe_text import safe
from .marks import GLYPHS, CellMark

if TYPE_CHECKING:
    from .widget import VirtualTable

GUTTER = 2  # the selection mark column, fixed at the left
PADDING = 1  # cells each side of a column's text
ELLIPSIS = "…"
SELECTED_MARK = "✓ "
#: Cell tones a column may ask for (``virtual-table--tone-<name>`` component classes).
TONES = ("error", "warning", "success", "muted")
Tone = Callable[[str], str | None]
"""A cell's shown text -> one of :data:`TONES`, or ``None`` for the row's own style."""


def _drop_cells(text: str, cells: int) -> str:
    """``text`` without its first ``cells`` cells (a wide character cut in two becomes a
    space, as Rich does)."""
    if text.isascii():
        return text[cells:]
    return Segment(text).split_cells(cells)[1].text


def fit(text: str, width: int) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` cells."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width <= 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


class ColumnLayout:
    """Column widths and x offsets (in cells, gutter excluded, padding included)."""

    def __init__(self) -> None:
        self.widths: list[int] = []
        self.offsets: list[int] = []

    def set_widths(self, widths: list[int]) -> None:
        """Use ``widths`` (text widths; each cell adds ``PADDING`` both sides)."""
        self.widths = list(widths)
        offsets, x = [], 0
        for width in self.widths:
            offsets.append(x)
            x += width + 2 * PADDING
        self.offsets = offsets

    def resize(self, index: int, delta: int) -> None:
        """Widen (or narrow, ``delta`` < 0) column ``index``, within 3..200 cells."""
        widths = list(self.widths)
        widths[index] = max(3, min(200, widths[index] + delta))
        self.set_widths(widths)

    @property
    def total(self) -> int:
        """Width of all the columns."""
        return self.offsets[-1] + self.cell_width(-1) if self.widths else 0

    def cell_width(self, index: int) -> int:
        """Column ``index``'s width including padding."""
        return self.widths[index] + 2 * PADDING

    def span(self, scroll_x: int, room: int) -> tuple[int, int]:
        """Indexes [first, last) of the columns intersecting cells [scroll_x, scroll_x+room)."""
        if not self.offsets:
            return 0, 0
        first = max(0, bisect_right(self.offsets, scroll_x) - 1)
        return first, bisect_left(self.offsets, scroll_x + room)

    def column_at(self, x: int) -> int | None:
        """The column at virtual ``x`` (``None`` past the last one)."""
        if not self.offsets or not 0 <= x < self.total:
            return None
        return bisect_right(self.offsets, x) - 1


@lru_cache(maxsize=16)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``text`` word-wrapped to ``width`` (once per text and width, not per painted line)."""
    return tuple(textwrap.wrap(text, width)) if text else ()


@dataclass(frozen=True)
class Styles:
    """The table's component styles, resolved against the current theme."""

    base: Style
    header: Style
    header_cursor: Style
    even: Style
    odd: Style
    selected: Style
    cursor_row: Style
    cursor: Style
    marks: dict[str, Style]
    tones: dict[str, Style] = field(default_factory=dict)


class RowPainter:
    """Builds the header strip and row strips of a :class:`VirtualTable`."""

    def __init__(self, table: VirtualTable) -> None:
        self.table = table
        self._styles: Styles | None = None

    def invalidate(self) -> None:
        """Forget resolved styles (theme, focus or sort state changed)."""
        self._styles = None

    def styles(self) -> Styles:
        if self._styles is None:
            get = self.table.get_component_rich_style
            self._styles = Styles(
                base=self.table.rich_style,
                header=get("virtual-table--header"),
                header_cursor=get("virtual-table--header-cursor"),
                even=get("virtual-table--even-row"),
                odd=get("virtual-table--odd-row"),
                selected=get("virtual-table--selected"),
                cursor_row=get("virtual-table--cursor-row"),
                cursor=get("virtual-table--cursor"),
                marks={state: get(f"virtual-table--{state}") for state in GLYPHS},
                tones={tone: self._layer(f"virtual-table--tone-{tone}") for tone in TONES},
            )
        return self._styles

    def _layer(self, name: str) -> Style:
        """Component ``name`` as a layer over a row's style: its colour and text style only
        (a full component style would replace the zebra and cursor backgrounds)."""
        full = self.table.get_component_rich_style(name)
        part = self.table.get_component_rich_style(name, partial=True)
        return Style(color=full.color if part.color else None, bold=part.bold,
                     italic=part.italic, dim=part.dim)

    def _line(self, gutter: tuple[str, Style], cells: list[tuple[str, Style]], first: int,
              scroll_x: int, width: int, fill: Style) -> Strip:
        """One strip: the gutter, then the cells' columns [scroll_x, scroll_x + room).

        ``cells`` are the padded texts of columns ``first``... (each exactly its column's cell
        width) with their styles. Neighbours of one style share one segment (a row is one to
        three segments, not one per cell) and the line is built once: Textual's per-line work
        (filters, division into the screen's cuts) goes by segment, and each ``Strip`` made
        here and thrown away cost seven caches' worth of objects for the collector."""
        layout = self.table.column_layout
        room = max(0, width - GUTTER)
        skip = scroll_x - (layout.offsets[first] if layout.offsets else 0)
        runs: list[list[Any]] = [[gutter[0], gutter[1]]]
        left = room
        for index, (text, style) in enumerate(cells, first):
            if not left:
                break
            cells_width = layout.cell_width(index)
            if skip >= cells_width:
                skip -= cells_width
                continue
            if skip:
                text = _drop_cells(text, skip)
                cells_width -= skip
                skip = 0
            if cells_width > left:
                text = set_cell_size(text, left)
                cells_width = left
            last = runs[-1]
            if last[1] is style or last[1] == style:
                last[0] += text
            else:
                runs.append([text, style])
            left -= cells_width
        if left:
            runs.append([" " * left, fill])
        line = Strip([Segment(text, style) for text, style in runs], GUTTER + room)
        return line if width >= GUTTER else line.crop(0, width)

    def message(self, text: str, line: int, width: int) -> Strip:
        """Line ``line`` of ``text`` word-wrapped under the header (an empty table's note).

        The text is shown as text: segments are never parsed as markup."""
        lines = _wrapped(text, max(10, width - 2 * GUTTER))
        base = self.styles().base
        if not 0 <= line < len(lines):
            return Strip.blank(width, base)
        style = base + Style(dim=True, italic=True)
        return Strip([Segment(" " * GUTTER, base), Segment(lines[line], style)]).crop_extend(
            0, width, base)

    def header(self, scroll_x: int, width: int) -> Strip:
        """The header line: labels, the sort mark, the column cursor."""
        table = self.table
        styles = self.styles()
        layout = table.column_layout
        first, last = layout.span(scroll_x, max(0, width - GUTTER))
        pad = " " * PADDING
        cells: list[tuple[str, Style]] = []
        for index in range(first, last):
            column = table.columns[index]
            label = safe(column.label)  # extension attribute names come from the tenant
            if column.key == table.sort_key:
                label += " …" if table.sorting else (" ▼" if table.sort_reverse else " ▲")
            style = styles.header_cursor if index == table.cursor_column else styles.header
            cells.append((pad + fit(label, layout.widths[index]) + pad, style))
        return self._line((" " * GUTTER, styles.header), cells, first, scroll_x, width,
                          styles.header)

    def row(self, row: int, scroll_x: int, width: int) -> Strip:
        """Display ``row`` as a line: zebra, selection and cursor styles, cells fitted."""
        table = self.table
        styles = self.styles()
        layout = table.column_layout
        first, last = layout.span(scroll_x, max(0, width - GUTTER))
        columns = table.columns[first:last]
        _key, selected, texts = table.model.cells(row, columns)
        style = styles.selected if selected else (styles.even if row % 2 == 0 else styles.odd)
        on_cursor = row == table.cursor_row
        if on_cursor:
            style = style + styles.cursor_row
        pad = " " * PADDING
        marks = table.marks.row_marks(_key) if table.marks is not None else None
        cells: list[tuple[str, Style]] = []
        tones = table.tones
        for index, text in enumerate(texts, first):
            on_cell = on_cursor and index == table.cursor_column
            cell_style = styles.cursor if on_cell else style
            mark = marks.get(columns[index - first].key) if marks else None
            if mark is not None:
                text = f"{mark.glyph} {mark.text}"
                state_style = styles.marks.get(mark.state, style)
                cell_style = cell_style + Style(bold=True) if on_cell else style + state_style
            elif not on_cell and tones:
                tone = tones.get(columns[index - first].key)
                shade = styles.tones.get(tone(text) or "") if tone is not None else None
                if shade is not None:
                    cell_style = style + shade
            cells.append((pad + fit(text, layout.widths[index]) + pad, cell_style))
        gutter = (_gutter(selected, marks), style)
        return self._line(gutter, cells, first, scroll_x, width, style)


def _gutter(selected: bool, marks: Mapping[str, CellMark] | None) -> str:
    """The selection mark, then the row's mark glyph (a refusal wins over a pending edit)."""
    first = SELECTED_MARK[0] if selected else " "
    if not marks:
        return first + " "
    states = {m.state for m in marks.values()}
    return first + (GLYPHS["failed"] if "failed" in states else GLYPHS["pending"])
