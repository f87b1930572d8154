"""How a line of tenant text is laid out in terminal cells, shown literally.

Policies come from the tenant and from files anyone may have edited, so nothing in them may
reach the terminal as a control sequence, be parsed as markup, or hide itself: every character
that :meth:`str.isprintable` rejects (controls, bidi overrides, zero-width and other format
characters, line separators, unassigned code points) gets a visible stand-in drawn in the
"special" style. C0 controls use the Unicode control pictures (``␛``), non-ASCII spaces a ``␣``
and the rest their code point (``<U+202E>``). Tabs expand to the next multiple of
:data:`TAB_SIZE`. This is the XML viewer's own table rather than ``safe_text.safe`` because a
code viewer must keep the columns of the other characters and must also expose the format
characters (bidi, zero-width) that a one-line label may keep.

A plain line (printable ASCII) has one cell per character and needs no layout at all; the others
get a :class:`LineLayout` (cached per line text).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len

TAB_SIZE = 4


def stand_in(char: str) -> str:
    """The visible text drawn for a character :meth:`str.isprintable` rejects (not a tab)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    if unicodedata.category(char) == "Zs":
        return "␣"
    return f"<U+{code:04X}>"


def is_plain(line: str) -> bool:
    """One cell per character, nothing to replace: printable ASCII (no tab)."""
    return line.isascii() and line.isprintable()


@dataclass(frozen=True)
class LineLayout:
    """Where each character of a non-plain line is drawn.

    ``cells[i]`` is the first cell of character ``i`` (``cells[len]`` the line's width);
    ``shown[i]`` is what is drawn for it, ``special[i]`` whether that is a stand-in.
    """

    cells: tuple[int, ...]
    shown: tuple[str, ...]
    special: tuple[bool, ...]

    @property
    def width(self) -> int:
        return self.cells[-1]

    def char_at(self, cell: int) -> int:
        """The character drawn at ``cell`` (the last one past the end)."""
        return max(0, min(bisect_right(self.cells, cell) - 1, len(self.shown)))


@lru_cache(maxsize=4096)
def line_layout(line: str) -> LineLayout | None:
    """The layout of ``line``, or ``None`` for a plain line (cell == character)."""
    if is_plain(line):
        return None
    cells = [0]
    shown: list[str] = []
    special: list[bool] = []
    x = 0
    for char in line:
        if char == "\t":
            text, odd = " " * (TAB_SIZE - x % TAB_SIZE), False
        elif char.isprintable():
            text, odd = char, False
        else:
            text, odd = stand_in(char), True
        shown.append(text)
        special.append(odd)
        x += len(text) if text.isascii() else cell_len(text)
        cells.append(x)
    return LineLayout(tuple(cells), tuple(shown), tuple(special))


def line_width(line: str) -> int:
    """``line``'s width in cells as drawn."""
    layout = line_layout(line)
    return len(line) if layout is None else layout.width


def cell_of(line: str, column: int) -> int:
    """The first cell of character ``column`` of ``line`` (past the end: the line's width)."""
    layout = line_layout(line)
    if layout is None:
        return column
    return layout.cells[max(0, min(column, len(layout.shown)))]


def column_at(line: str, cell: int) -> int:
    """The character of ``line`` drawn at ``cell`` (clamped to the line's end)."""
    layout = line_layout(line)
    if layout is None:
        return max(0, min(cell, len(line)))
    return layout.char_at(cell)


def visible(value: object) -> str:
    """``value`` as one line of text with every hidden character replaced by its stand-in
    (labels, ids and messages built from tenant text)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else stand_in(ch) for ch in text)
