"""Painting :class:`~.view.DiffView` rows: gutters with line numbers and a ``+``/``-`` sign
(so a diff reads without colour), tinted backgrounds for removed, added and changed lines,
the changed part of a changed line marked, and XML colours inside."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ..xml_view.display import visible
from ..xml_view.highlight import Highlighter
from ..xml_view.render import Mark, TextStyles, layer_style, paint_segments
from .layout import Row

if TYPE_CHECKING:
    from .view import DiffView

PREFIX = "diff-view"
SIGNS = {"equal": " ", "removed": "-", "added": "+", "changed": "~", "fold": " "}


def changed_part(old: str, new: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The differing middle of two lines, as character ranges in each: what is left once the
    common head and tail are set aside (git's ``diff-highlight`` does the same).

    Called for each changed row painted (twice side by side), so the head and tail are found
    by halving with slice comparisons (C speed, O(length) in all), not one Python step per
    character: a 1 MB minified policy changed near its end costs about a millisecond."""
    size = min(len(old), len(new))
    head, hi = 0, size
    while head < hi:  # old[:head] == new[:head]; find the longest such head
        mid = (head + hi + 1) // 2
        if old.startswith(new[head:mid], head):
            head = mid
        else:
            hi = mid - 1
    tail, hi = 0, size - head
    while tail < hi:  # the last ``tail`` characters agree (never overlapping the head)
        mid = (tail + hi + 1) // 2
        if old.endswith(new[len(new) - mid:len(new) - tail], 0, len(old) - tail):
            tail = mid
        else:
            hi = mid - 1
    return (head, len(old) - tail), (head, len(new) - tail)


@dataclass(frozen=True)
class DiffStyles:
    base: Style
    header: Style
    gutter: Style
    cursor: Style
    kinds: dict[str, Style]  # row kind -> line background
    removed_part: Style
    added_part: Style
    empty: Style
    text: TextStyles

    @classmethod
    def of(cls, view: DiffView) -> DiffStyles:
        base = view.rich_style

        def layer(name: str) -> Style:
            return layer_style(view, f"{PREFIX}--{name}")

        return cls(
            base=base,
            header=view.get_component_rich_style(f"{PREFIX}--header"),
            gutter=base + layer("gutter"),
            cursor=base + layer("cursor"),
            kinds={"equal": base, "removed": base + layer("removed"),
                   "added": base + layer("added"), "changed": base + layer("changed"),
                   "fold": base + layer("fold")},
            removed_part=layer("removed-part"),
            added_part=layer("added-part"),
            empty=base + layer("empty"),
            text=TextStyles.of(view, PREFIX),
        )


class DiffPainter:
    """Builds the strips of one :class:`DiffView`."""

    def __init__(self, view: DiffView) -> None:
        self.view = view

    def header(self, width: int, styles: DiffStyles) -> Strip:
        view = self.view
        old, new = visible(view.old_label) or "old", visible(view.new_label) or "new"
        summary = view.summary_text
        if view.unified:
            room = max(0, width - cell_len(summary) - 3)
            text = _fit(f" --- {old}  +++ {new}", room) + "  " + summary + " "
        else:
            half = (width - 1) // 2
            right_room = max(0, width - half - 1 - cell_len(summary) - 3)
            text = (_fit(f" --- {old}", half) + " " + _fit(f" +++ {new}", right_room) + "  "
                    + summary + " ")
        return Strip([Segment(text, styles.header)]).crop_extend(0, width, styles.header)

    def row(self, index: int, row: Row, width: int, styles: DiffStyles) -> Strip:
        """Row ``index`` as one strip of ``width`` cells."""
        view = self.view
        cursor = index == view.cursor_row
        if row.kind == "fold":
            text = f" ⋯ {row.hidden:,} unchanged lines ⋯"
            if not view.unified:
                text = f"{'':>{view.digits}}{text}"
            style = styles.kinds["fold"]
            return Strip([Segment(_fit(text, width), style)], max(0, width))
        if view.unified:
            segments = self._unified(row, width, styles, cursor)
        else:
            half = (width - 1) // 2
            segments = [*self._side(row, "old", half, styles, cursor),
                        Segment("│", styles.gutter),
                        *self._side(row, "new", width - half - 1, styles, cursor)]
        return Strip(segments, max(0, width))

    def _marks(self, row: Row, side: str, styles: DiffStyles) -> list[Mark]:
        """The changed part of a line that replaces (or is replaced by) another."""
        old, new = row.old, row.new
        if row.kind == "removed" and row.pair is not None:
            new = row.pair
        elif row.kind == "added" and row.pair is not None:
            old = row.pair
        elif row.kind != "changed":
            return []
        if old is None or new is None:
            return []
        view = self.view
        old_range, new_range = changed_part(view.old_doc.line(old), view.new_doc.line(new))
        if side == "old":
            return [(*old_range, styles.removed_part)] if old_range[0] < old_range[1] else []
        return [(*new_range, styles.added_part)] if new_range[0] < new_range[1] else []

    def _text(self, line: int, side: str, width: int, base: Style, marks: list[Mark],
              styles: DiffStyles) -> list[Segment]:
        view = self.view
        doc = view.old_doc if side == "old" else view.new_doc
        hl = Highlighter.of(doc)
        spans = hl.spans(line)
        if spans is None:
            page = view.page_size
            view.jobs.want(hl, line - page, line + page)
        return paint_segments(doc.line(line), spans, view.scroll_offset.x, width, base,
                              styles.text, marks)

    def _gutter(self, text: str, width: int, style: Style) -> list[Segment]:
        return [Segment(text if len(text) <= width else text[:width], style)] if width else []

    def _side(self, row: Row, side: str, width: int, styles: DiffStyles, cursor: bool
              ) -> list[Segment]:
        """One half of a side-by-side row, exactly ``width`` cells."""
        if width <= 0:
            return []
        line = row.old if side == "old" else row.new
        if line is None:
            return [Segment(" " * width, styles.empty)]
        digits = self.view.digits
        kind = row.kind
        sign = {"removed": "-", "added": "+", "changed": "-" if side == "old" else "+"}.get(
            kind, " ")
        gutter = f"{line + 1:>{digits}} {sign} "
        out = self._gutter(gutter, width, styles.cursor if cursor else styles.gutter)
        room = width - len(gutter)
        if room > 0:
            out += self._text(line, side, room, styles.kinds[kind],
                              self._marks(row, side, styles), styles)
        return out

    def _unified(self, row: Row, width: int, styles: DiffStyles, cursor: bool
                 ) -> list[Segment]:
        """A unified row: old number, new number, sign, text; exactly ``width`` cells."""
        digits = self.view.digits
        old = "" if row.old is None else str(row.old + 1)
        new = "" if row.new is None else str(row.new + 1)
        gutter = f"{old:>{digits}} {new:>{digits}} {SIGNS[row.kind]} "
        out = self._gutter(gutter, width, styles.cursor if cursor else styles.gutter)
        room = width - len(gutter)
        side, line = ("old", row.old) if row.new is None else ("new", row.new)
        if room > 0 and line is not None:
            out += self._text(line, side, room, styles.kinds[row.kind],
                              self._marks(row, side, styles), styles)
        return out


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
