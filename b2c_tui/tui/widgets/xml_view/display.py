"""How a line of tenant text is laid out in terminal cells, shown literally.

Policies come from the tenant and from files anyone may have edited, so nothing in them may
reach the terminal as a control sequence, be parsed as markup, or hide itself: every character
that :meth:`str.isprintable` rejects (controls, bidi overrides, zero-width and other format
characters, line separators, unassigned code points) gets a visible stand-in drawn in the
"special" style. C0 controls use the Unicode control pictures (``␛``), non-ASCII spaces a ``␣``
and the rest their code point (``⟨U+202E⟩``, as everywhere else tenant text is shown; not
``<U+202E>``, which reads as a tag in XML). Tabs expand to the next multiple of
:data:`TAB_SIZE`. This is the XML viewer's own table rather than ``safe_text.safe`` because a
code viewer must keep the columns of the other characters and must also expose the format
characters (bidi, zero-width) that a one-line label may keep.

A plain line (printable ASCII) has one cell per character and needs no layout at all. Other
lines get a sparse :class:`LineLayout` listing only the characters that are not one plain cell
(found by one regular-expression pass), so a 1 MB minified policy with a few accented letters
costs a few entries, not a million.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len

TAB_SIZE = 4
#: Characters that may not be one plain cell: anything but printable ASCII.
_ODD = re.compile(r"[^\x20-\x7e]")


def stand_in(char: str) -> str:
    """The visible text drawn for a character :meth:`str.isprintable` rejects (not a tab)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    if unicodedata.category(char) == "Zs":
        return "␣"
    return f"⟨U+{code:04X}⟩"


def is_plain(line: str) -> bool:
    """One cell per character, nothing to replace: printable ASCII (no tab)."""
    return line.isascii() and line.isprintable()


@dataclass(frozen=True)
class LineLayout:
    """The characters of a line that are not one plain cell, and where they are drawn.

    ``points[k]`` is such a character's index, ``cells[k]`` its first cell, ``shown[k]`` what is
    drawn for it (``widths[k]`` cells) and ``special[k]`` whether that is a stand-in. Every other
    character is drawn as itself in one cell.
    """

    length: int
    points: tuple[int, ...]
    cells: tuple[int, ...]
    shown: tuple[str, ...]
    widths: tuple[int, ...]
    special: tuple[bool, ...]

    @property
    def width(self) -> int:
        """The line's width in cells."""
        return self.cell_of(self.length)

    def cell_of(self, index: int) -> int:
        """The first cell of character ``index`` (``length``: the cell after the line)."""
        k = bisect_left(self.points, index)
        if k == 0:
            return index
        before = k - 1  # the last odd character before ``index``
        return self.cells[before] + self.widths[before] + (index - self.points[before] - 1)

    def char_at(self, cell: int) -> int:
        """The character drawn at ``cell`` (the line's length past the end)."""
        k = bisect_right(self.cells, cell) - 1
        if k < 0:
            index = cell
        elif cell < self.cells[k] + self.widths[k]:
            index = self.points[k]
        else:
            index = self.points[k] + 1 + (cell - self.cells[k] - self.widths[k])
            if k + 1 < len(self.points):
                index = min(index, self.points[k + 1])
        return max(0, min(index, self.length))


@lru_cache(maxsize=1024)
def line_layout(line: str) -> LineLayout | None:
    """The layout of ``line``, or ``None`` for a plain line (cell == character)."""
    if is_plain(line):
        return None
    points: list[int] = []
    cells: list[int] = []
    shown: list[str] = []
    widths: list[int] = []
    special: list[bool] = []
    shift = 0  # cells minus characters so far
    for match in _ODD.finditer(line):
        index = match.start()
        char = line[index]
        cell = index + shift
        if char == "\t":
            text, odd = " " * (TAB_SIZE - cell % TAB_SIZE), False
        elif char.isprintable():
            text, odd = char, False
        else:
            text, odd = stand_in(char), True
        width = len(text) if text.isascii() else cell_len(text)
        if width == 1 and not odd and text == char:
            continue  # a one-cell character drawn as itself: nothing to record
        points.append(index)
        cells.append(cell)
        shown.append(text)
        widths.append(width)
        special.append(odd)
        shift += width - 1
    return LineLayout(len(line), tuple(points), tuple(cells), tuple(shown), tuple(widths),
                      tuple(special))


def line_width(line: str) -> int:
    """``line``'s width in cells as drawn."""
    layout = line_layout(line)
    return len(line) if layout is None else layout.width


def cell_of(line: str, column: int) -> int:
    """The first cell of character ``column`` of ``line`` (past the end: the line's width)."""
    layout = line_layout(line)
    column = max(0, min(column, len(line)))
    return column if layout is None else layout.cell_of(column)


def column_at(line: str, cell: int) -> int:
    """The character of ``line`` drawn at ``cell`` (clamped to the line's end)."""
    layout = line_layout(line)
    if layout is None:
        return max(0, min(cell, len(line)))
    return layout.char_at(max(0, cell))


def visible(value: object) -> str:
    """``value`` as one line of text with every hidden character replaced by its stand-in
    (labels, ids and messages built from tenant text)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else stand_in(ch) for ch in text)
