"""Search in a document: every match found once in a worker thread, then stepped through.

One pass of the ``re`` engine over the text (about 25 ms per MB, in a thread, in windows)
yields every match's offset; moving between matches and drawing them is a binary search in
that list.
The query is literal text (no pattern syntax to trip over) and case-insensitive unless asked.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

#: Characters searched between two points where the thread lets the event loop run.
SEARCH_CHUNK = 64 * 1024


def find_all(text: str, query: str, *, case_sensitive: bool = False,
             stop: Callable[[], bool] = lambda: False) -> list[int]:
    """The start offset of every (non-overlapping) match of literal ``query`` in ``text``.

    The text is searched a window at a time (no copies: ``pos``/``endpos``), and the thread
    gives the GIL up between windows, so the event loop never waits long for it. ``stop()``
    ends the search early (a newer one replaced it)."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), 0 if case_sensitive else re.IGNORECASE)
    out: list[int] = []
    start, size, reach = 0, len(text), len(query) - 1
    while start < size and not stop():
        limit = min(size, start + SEARCH_CHUNK)
        # A match starting before ``limit`` may end up to len(query) - 1 beyond it.
        next_start = limit
        for match in pattern.finditer(text, start, min(size, limit + reach)):
            if match.start() >= limit:
                break
            out.append(match.start())
            next_start = max(next_start, match.end())
        start = next_start
        time.sleep(0)
    return out


@dataclass
class SearchState:
    """The last search: its query, and its matches in the document shown (``None`` while they
    are being found)."""

    query: str = ""
    case_sensitive: bool = False
    matches: list[int] | None = field(default=None)

    @property
    def length(self) -> int:
        return len(self.query)

    def next_after(self, offset: int) -> tuple[int, bool] | None:
        """The index of the first match starting after ``offset``, and whether that wrapped
        around the end."""
        if not self.matches:
            return None
        index = bisect_right(self.matches, offset)
        return (index, False) if index < len(self.matches) else (0, True)

    def at_or_after(self, offset: int) -> tuple[int, bool] | None:
        """The first match starting at or after ``offset`` (wrapping)."""
        if not self.matches:
            return None
        index = bisect_left(self.matches, offset)
        return (index, False) if index < len(self.matches) else (0, True)

    def before(self, offset: int) -> tuple[int, bool] | None:
        """The last match starting before ``offset``, and whether that wrapped."""
        if not self.matches:
            return None
        index = bisect_left(self.matches, offset) - 1
        return (index, False) if index >= 0 else (len(self.matches) - 1, True)

    def index_at(self, offset: int) -> int | None:
        """The match starting exactly at ``offset``, if any."""
        if not self.matches:
            return None
        index = bisect_left(self.matches, offset)
        return index if index < len(self.matches) and self.matches[index] == offset else None
