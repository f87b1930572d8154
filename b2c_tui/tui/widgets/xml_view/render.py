"""Painting text lines for the XML viewer and the diff view: Segments, never markup.

:func:`paint_text` draws one window of cells of a line: syntax colours from its spans, then
marks (search matches, the cursor, changed words) on top, with stand-ins for hidden characters
(see :mod:`.display`). It works on the characters inside the window only, so a 1 MB line costs
what its visible part costs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from .display import LineLayout, line_layout
from .highlight import KINDS, LineSpans, Span

Mark = tuple[int, int, Style]


def layer_style(widget: Widget, name: str) -> Style:
    """Component ``name``'s style as a layer: only the properties the component sets, with its
    colours resolved against the theme (``$error 25%`` blended, which a partial style is not)."""
    full = widget.get_component_rich_style(name)
    part = widget.get_component_rich_style(name, partial=True)
    return Style(color=full.color if part.color else None,
                 bgcolor=full.bgcolor if part.bgcolor else None,
                 bold=part.bold, italic=part.italic, underline=part.underline,
                 reverse=part.reverse, dim=part.dim)


def syntax_css(prefix: str) -> str:
    """The rules colouring XML token kinds for component classes ``<prefix>--<kind>``: theme
    colours only, so dark, light and high-contrast themes each keep their contrast."""
    return f"""
        & > .{prefix}--tag {{ color: $primary; }}
        & > .{prefix}--attribute {{ color: $accent; }}
        & > .{prefix}--string {{ color: $success; }}
        & > .{prefix}--comment {{ color: $foreground-muted; text-style: italic; }}
        & > .{prefix}--preproc {{ color: $secondary; }}
        & > .{prefix}--entity {{ color: $warning; }}
        & > .{prefix}--error {{ color: $error; text-style: underline; }}
        & > .{prefix}--special {{ background: $error 30%; color: $foreground; }}
    """


def syntax_classes(prefix: str) -> set[str]:
    """Component class names of :func:`syntax_css`."""
    return {f"{prefix}--{kind}" for kind in (*KINDS, "special")}


@dataclass(frozen=True)
class TextStyles:
    """Resolved styles for :func:`paint_text`."""

    kinds: Mapping[str, Style]
    special: Style

    @classmethod
    def of(cls, widget: Widget, prefix: str) -> TextStyles:
        return cls({kind: layer_style(widget, f"{prefix}--{kind}") for kind in KINDS},
                   layer_style(widget, f"{prefix}--special"))


def _cuts(c0: int, c1: int, spans: LineSpans, marks: Iterable[Mark]) -> list[int]:
    points = {c0, c1}
    first = max(0, bisect_right(spans, c0, key=_span_start) - 1)
    for start, end, _kind in spans[first:]:
        if start >= c1:
            break
        points.update(p for p in (start, end) if c0 < p < c1)
    for start, end, _style in marks:
        points.update(p for p in (start, end) if c0 < p < c1)
    return sorted(points)


def paint_text(line: str, spans: LineSpans | None, x: int, width: int, base: Style,
               styles: TextStyles, marks: Sequence[Mark] = (),
               end_mark: Style | None = None) -> Strip:
    """Cells ``[x, x + width)`` of ``line`` as a strip exactly ``width`` cells wide (see
    :func:`paint_segments`)."""
    return Strip(paint_segments(line, spans, x, width, base, styles, marks, end_mark),
                 max(0, width))


def paint_segments(line: str, spans: LineSpans | None, x: int, width: int, base: Style,
                   styles: TextStyles, marks: Sequence[Mark] = (),
                   end_mark: Style | None = None) -> list[Segment]:
    """Segments drawing cells ``[x, x + width)`` of ``line``, exactly ``width`` cells in all.

    ``spans`` colour the syntax (``None``: not lexed yet, drawn plain); ``marks`` are
    ``(start, end, style)`` character ranges layered on top, later ones over earlier ones;
    ``end_mark`` styles the cell just after the line (a cursor at its end). Segments rather
    than a strip, so a caller builds one strip per screen line.
    """
    if width <= 0:
        return []
    layout = line_layout(line)
    size = len(line)
    if layout is None:
        c0, c1, lead = min(x, size), min(size, x + width), 0
    else:
        c0 = layout.char_at(x) if x < layout.width else size
        lead = x - layout.cell_of(c0) if c0 < size else 0
        c1 = size
        if x + width < layout.width:
            c1 = layout.char_at(x + width)
            if layout.cell_of(c1) < x + width:  # a wide character over the right edge
                c1 += 1
    segments: list[Segment] = []
    if c0 < c1:
        _paint_run(line, layout, c0, c1, spans or (), marks, base, styles, segments)
    drawn = c1 - c0 if layout is None else layout.cell_of(c1) - layout.cell_of(c0)
    if lead or drawn > width:  # a wide character cut at an edge: crop it to blanks
        segments = list(Strip(segments, drawn).crop_extend(lead, lead + width, base))
        drawn = width
    if drawn < width:
        rest = width - drawn
        if end_mark is not None and c1 == size:
            segments.append(Segment(" ", base + end_mark))
            rest -= 1
        if rest:
            segments.append(Segment(" " * rest, base))
    return segments


def _paint_run(line: str, layout: LineLayout | None, c0: int, c1: int, spans: LineSpans,
               marks: Sequence[Mark], base: Style, styles: TextStyles,
               segments: list[Segment]) -> None:
    """Append the segments for characters ``[c0, c1)``."""
    cuts = _cuts(c0, c1, spans, marks)
    span_index = max(0, bisect_right(spans, c0, key=_span_start) - 1)
    for start, end in pairwise(cuts):
        style = base
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= start:
            style = style + styles.kinds[spans[span_index][2]]
        for mark_start, mark_end, mark_style in marks:
            if mark_start <= start < mark_end:
                style = style + mark_style
        if layout is None:
            segments.append(Segment(line[start:end], style))
            continue
        at = start
        first = bisect_left(layout.points, start)
        last = bisect_left(layout.points, end)
        for k in range(first, last):
            point = layout.points[k]
            if layout.special[k]:
                if point > at:
                    segments.append(Segment(line[at:point], style))
                segments.append(Segment(layout.shown[k], style + styles.special))
            else:
                segments.append(Segment(line[at:point] + layout.shown[k], style))
            at = point + 1
        if at < end:
            segments.append(Segment(line[at:end], style))


def _span_start(span: Span) -> int:
    return span[0]


def matches_in(matches: Sequence[int], length: int, line_start: int, line_end: int,
               style: Style, current: int | None, current_style: Style) -> list[Mark]:
    """Marks for the search matches (sorted start offsets) falling in one line."""
    first = bisect_left(matches, line_start)
    last = bisect_left(matches, line_end)
    out: list[Mark] = []
    for index in range(first, last):
        start = matches[index] - line_start
        out.append((start, start + length, current_style if index == current else style))
    return out
