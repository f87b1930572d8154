"""The table painter's lines against Textual's own cropping: same cells, fewer segments."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from b2c_tui.tui.widgets.table.painter import GUTTER, PADDING, ColumnLayout, RowPainter, fit

ROW, CURSOR, FILL = Style(bgcolor="#101010"), Style(bgcolor="#505050"), Style(bgcolor="#101010")
TEXTS = st.text(alphabet="ab東京漢é✓ ", max_size=12)


def reference(widths: list[int], texts: list[str], styles: list[Style], scroll_x: int,
              width: int) -> Strip:
    """A line as Textual's crop_extend makes it: one segment per cell."""
    layout = ColumnLayout()
    layout.set_widths(widths)
    pad = " " * PADDING
    cells = [Segment(pad + fit(t, w) + pad, s) for t, w, s in zip(texts, widths, styles,
                                                                   strict=True)]
    room = max(0, width - GUTTER)
    body = Strip(cells, layout.total).crop_extend(scroll_x, scroll_x + room, FILL)
    return Strip([Segment(" " * GUTTER, ROW), *body], GUTTER + room)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), count=st.integers(1, 5), width=st.integers(GUTTER, 60))
def test_a_row_has_the_cells_and_styles_textual_would_crop_in_few_segments(
        data: st.DataObject, count: int, width: int) -> None:
    widths = data.draw(st.lists(st.integers(3, 12), min_size=count, max_size=count))
    texts = data.draw(st.lists(TEXTS, min_size=count, max_size=count))
    cursor = data.draw(st.integers(-1, count - 1))
    styles = [CURSOR if i == cursor else ROW for i in range(count)]
    layout = ColumnLayout()
    layout.set_widths(widths)
    scroll_x = data.draw(st.integers(0, layout.total))
    first, _last = layout.span(scroll_x, max(0, width - GUTTER))
    painter = RowPainter(SimpleNamespace(column_layout=layout))  # type: ignore[arg-type]
    pad = " " * PADDING
    cells = [(pad + fit(t, w) + pad, s) for t, w, s in zip(texts, widths, styles, strict=True)]
    line = painter._line((" " * GUTTER, ROW), cells[first:], first, scroll_x, width, FILL)
    expected = reference(widths, texts, styles, scroll_x, width)
    assert line.cell_length == expected.cell_length == width
    assert line.text == expected.text
    # Cell by cell, the same style (wide characters cut by the scroll become spaces in both).
    assert [s.style for s in line.divide(range(1, width)) for s in s] == \
        [s.style for s in expected.divide(range(1, width)) for s in s]
    runs = 1 + (cursor >= 0) * 2 + 1  # gutter+row, cursor, row again, fill
    assert len(list(line)) <= runs
    assert all(cell_len(segment.text) for segment in line)
