"""The text an :class:`~.view.XmlView` shows, split into lines once.

Line breaks are counted the way XML parsers count them (``\\r\\n``, ``\\r`` and ``\\n`` each end a
line; ``str.splitlines`` would also break on form feeds, ``\\x85`` and U+2028, which a parser
and the resolver do not), so line numbers agree with lint findings and Graph's messages. A
leading byte-order mark is an encoding mark, not content: it is left out of the lines and
reported by :attr:`Document.bom`. The text as given is kept for copying and for the editor.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

BOM = "\ufeff"


def normalise(text: str) -> tuple[str, bool]:
    """``text`` with ``\\r\\n`` and ``\\r`` turned into ``\\n`` and a leading BOM dropped;
    and whether there was one."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, bom


@dataclass(eq=False)
class Document:
    """One policy's text: its lines, their offsets, and the text as given."""

    policy_id: str
    original: str
    text: str
    lines: list[str]
    starts: list[int]
    bom: bool
    max_length: int
    #: Per-document state owned by the widgets (the highlighter), kept with the text so a
    #: document opened again keeps its colours.
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def build(cls, original: str, policy_id: str = "") -> Document:
        """Split ``original`` into lines: O(size), about 10 ms per MB; call it off the loop
        for large texts."""
        text, bom = normalise(original)
        lines = text.split("\n")
        starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
        return cls(policy_id, original, text, lines, starts, bom,
                   max(map(len, lines), default=0))

    @property
    def line_count(self) -> int:
        """Lines (an empty text has one, empty, line)."""
        return len(self.lines)

    def line(self, index: int) -> str:
        """Line ``index`` (0-based), without its line break; ``""`` past the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def offset(self, line: int, column: int) -> int:
        """The offset in :attr:`text` of 0-based ``line`` and ``column`` (both clamped)."""
        line = max(0, min(line, len(self.lines) - 1))
        return self.starts[line] + max(0, min(column, len(self.lines[line])))

    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based (line, column) of ``offset`` in :attr:`text`."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        line = min(line, len(self.lines) - 1)
        return line, offset - self.starts[line]
