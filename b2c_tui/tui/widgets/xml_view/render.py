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

from .display import line_layout
from .highlight import KINDS, LineSpans

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
    first = max(0, bisect_right(spans, c0, key=lambda s: s[0]) - 1)
    for start, end, _kind in spans[first:]:
        if start >= c1:
            break
        points.update(p for p in (start, end) if c0 < p < c1)
    for start, end, _style in marks:
        points.update(p for p in (start, end) if c0 < p < c1)
    return sorted(points)


def _kind_at(spans: LineSpans, at: int) -> str | None:
    index = bisect_right(spans, at, key=lambda s: s[0]) - 1
    if index >= 0 and spans[index][0] <= at < spans[index][1]:
        return spans[index][2]
    return None


def paint_text(line: str, spans: LineSpans | None, x: int, width: int, base: Style,
               styles: TextStyles, marks: Sequence[Mark] = ()) -> Strip:
    """Cells ``[x, x + width)`` of ``line`` as a strip exactly ``width`` cells wide (see
    :func:`paint_segments`)."""
    return Strip(paint_segments(line, spans, x, width, base, styles, marks), max(0, width))


def paint_segments(line: str, spans: LineSpans | None, x: int, width: int, base: Style,
                   styles: TextStyles, marks: Sequence[Mark] = ()) -> list[Segment]:
    """Segments drawing cells ``[x, x + width)`` of ``line``, exactly ``width`` cells in all.

    ``spans`` colour the syntax (``None``: not lexed yet, drawn plain); ``marks`` are
    ``(start, end, style)`` character ranges layered on top, later ones over earlier ones.
    Segments rather than a strip, so a caller builds one strip per screen line.
    """
    if width <= 0:
        return []
    layout = line_layout(line)
    size = len(line)
    if layout is None:
        c0, c1, lead = min(x, size), min(size, x + width), 0
    elif x >= layout.width:
        return [Segment(" " * width, base)]
    else:
        c0 = layout.char_at(x)
        lead = x - layout.cells[c0]
        c1 = min(size, bisect_left(layout.cells, x + width))
    if c0 >= c1:
        return [Segment(" " * width, base)]
    spans = spans or ()
    segments: list[Segment] = []
    cuts = _cuts(c0, c1, spans, marks)
    for start, end in pairwise(cuts):
        style = base
        kind = _kind_at(spans, start) if spans else None
        if kind is not None:
            style = style + styles.kinds[kind]
        for mark_start, mark_end, mark_style in marks:
            if mark_start <= start < mark_end:
                style = style + mark_style
        if layout is None:
            segments.append(Segment(line[start:end], style))
            continue
        plain: list[str] = []
        for index in range(start, end):
            if layout.special[index]:
                if plain:
                    segments.append(Segment("".join(plain), style))
                    plain = []
                segments.append(Segment(layout.shown[index], style + styles.special))
            else:
                plain.append(layout.shown[index])
        if plain:
            segments.append(Segment("".join(plain), style))
    if layout is None:  # one cell per character: no cropping, just padding
        if c1 - c0 < width:
            segments.append(Segment(" " * (width - (c1 - c0)), base))
        return segments
    drawn = layout.cells[c1] - layout.cells[c0]
    return list(Strip(segments, drawn).crop_extend(lead, lead + width, base))


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
