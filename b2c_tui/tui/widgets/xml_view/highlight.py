"""XML colours computed for the lines on screen, never for the whole text at once.

Pygments' ``XmlLexer`` tokenizes the text; :class:`Highlighter` runs it only over a range of
lines around what is drawn, starting from a *checkpoint*: a line whose start is outside every
markup construct, where the lexer is in its root state exactly as if it had started at the top.
Comments, CDATA sections, processing instructions, declarations and tags can span lines, so a
line starting inside one of them is not a checkpoint: :data:`SCAN` finds the constructs that
contain a line break (it matches the lexer's root-state rules in the same order, so it agrees
with the lexer about where each construct begins and ends) and the range is widened to the
construct's first line, and at its end past the construct's last line. The scan runs
incrementally, only as far as a request needs, and like the lexing runs in a worker thread.

Results are cached per line for the life of the document (the viewer is read-only, so nothing
is ever invalidated). Spans are ``(start, end, kind)`` character ranges within a line; text and
whitespace carry no span.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable

from pygments.lexers.html import XmlLexer
from pygments.token import Comment, Error, Name, String, _TokenType

from .document import Document

Span = tuple[int, int, str]
LineSpans = tuple[Span, ...]

#: Token kinds (the widgets' component classes are ``<prefix>--<kind>``).
KINDS = ("tag", "attribute", "string", "comment", "preproc", "entity", "error")

#: Markup constructs, in the order the lexer's root state tries them (an entity reference comes
#: first: ``&<!--;`` is one entity token, not a comment's start). The tag alternative
#: follows the lexer's ``tag``/``attr`` states: whitespace, ``name =`` and a value (quoted
#: values may hold ``>`` and line breaks; a ``>`` before the value is an error the lexer skips),
#: any other character as an error, up to ``/?\s*>`` (an unterminated tag runs to the end, as
#: it does for the lexer). A fuzz test holds the two in agreement.
SCAN = re.compile(
    r"""&\S*?;
      | <!\[CDATA\[.*?\]\]>
      | <!--.*?-->
      | <\?.*?\?>
      | <![^>]*>
      | <\s*[\w:.-]+(?:\s+|[\w.:-]+\s*=[\s>]*(?:".*?"|'.*?'|[^\s>]+|\Z)|(?!/\s*>)[^>])*+
        (?:/?\s*>|\Z)
      | <\s*/\s*[\w:.-]+\s*>""",
    re.DOTALL | re.VERBOSE)

#: Constructs scanned between two points where the thread gives the GIL back.
SCAN_YIELD = 2000

#: Lines lexed per step (beyond widening to checkpoints): small, so the thread gives the GIL
#: back to the event loop often.
CHUNK_LINES = 64

_LEXER = XmlLexer()  # stateless between calls: get_tokens_unprocessed keeps its state locally
_KIND_CACHE: dict[_TokenType, str | None] = {}


def token_kind(ttype: _TokenType) -> str | None:
    """The kind a pygments token type is drawn as (``None``: plain text)."""
    try:
        return _KIND_CACHE[ttype]
    except KeyError:
        pass
    kind: str | None = None
    for parent, name in ((Name.Tag, "tag"), (Name.Attribute, "attribute"), (String, "string"),
                         (Comment.Preproc, "preproc"), (Comment, "comment"),
                         (Name.Entity, "entity"), (Error, "error")):
        if ttype in parent:
            kind = name
            break
    _KIND_CACHE[ttype] = kind
    return kind


class Highlighter:
    """Token spans of one :class:`Document`'s lines, lexed on demand.

    :meth:`spans` is for the event loop (a dictionary read); :meth:`lex` does the work and
    belongs in a thread (one at a time per highlighter).
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self._spans: dict[int, LineSpans] = {}
        # Constructs containing a line break, in text order: starts and ends.
        self._multi_starts: list[int] = []
        self._multi_ends: list[int] = []
        self._scan_pos = 0
        self.lexed_lines = 0  # lines tokenized so far (the work done, for tests and benchmarks)
        self.broken = False  # lexing failed once: the document stays plain, no retries

    @classmethod
    def of(cls, document: Document) -> Highlighter:
        """The document's highlighter (one per document, kept with it)."""
        found = document.extra.get("highlighter")
        if not isinstance(found, Highlighter):
            found = cls(document)
            document.extra["highlighter"] = found
        return found

    def spans(self, line: int) -> LineSpans | None:
        """Line ``line``'s spans, or ``None`` while it has not been lexed."""
        return self._spans.get(line)

    def missing(self, first: int, last: int) -> bool:
        """Whether any line in ``[first, last)`` still lacks its spans."""
        last = min(last, self.document.line_count)
        return any(line not in self._spans for line in range(max(0, first), last))

    # -- the work (thread side) -------------------------------------------------------------
    def lex(self, first: int, last: int, stop: Callable[[], bool] = lambda: False) -> int:
        """Lex every line of ``[first, last)`` still missing, a chunk at a time, until done or
        ``stop()``; returns the lines lexed."""
        count = self.document.line_count
        line, last, done = max(0, first), min(last, count), 0
        while line < last and not stop():
            if line in self._spans:
                line += 1
                continue
            start = self._checkpoint_before(line)
            end = self._checkpoint_after(min(count, max(line + 1, min(last, line + CHUNK_LINES))))
            done += self._lex_lines(start, end)
            line = end
            time.sleep(0)  # let the event loop have the GIL between chunks
        return done

    def _lex_lines(self, start: int, end: int) -> int:
        """Tokenize lines ``[start, end)``; ``start`` and ``end`` are checkpoints."""
        doc = self.document
        base = doc.starts[start]
        stop = doc.starts[end] - 1 if end < doc.line_count else len(doc.text)
        per_line: list[list[Span]] = [[] for _ in range(end - start)]
        row, line_at = 0, 0  # current line (relative) and its offset in the chunk
        for pos, ttype, value in _LEXER.get_tokens_unprocessed(doc.text[base:stop]):
            kind = token_kind(ttype)
            if "\n" not in value:
                if kind is not None and value:
                    per_line[row].append((pos - line_at, pos - line_at + len(value), kind))
                continue
            for index, part in enumerate(value.split("\n")):
                if index:  # a line break came before this part
                    row += 1
                    line_at = pos
                if kind is not None and part:
                    per_line[row].append((pos - line_at, pos - line_at + len(part), kind))
                pos += len(part) + 1
        for index, spans in enumerate(per_line):
            self._spans[start + index] = tuple(spans)
        self.lexed_lines += end - start
        return end - start

    # -- checkpoints ----------------------------------------------------------------------
    def _scan_to(self, offset: int) -> None:
        """Find the multi-line constructs that start before ``offset``."""
        text = self.document.text
        steps = 0
        while self._scan_pos < offset:
            steps += 1
            if steps % SCAN_YIELD == 0:
                time.sleep(0)  # a long scan (a jump to the end) lets the event loop run
            match = SCAN.search(text, self._scan_pos)
            if match is None:
                self._scan_pos = len(text)
                return
            start, end = match.span()
            if text.find("\n", start, end) != -1:
                self._multi_starts.append(start)
                self._multi_ends.append(end)
            self._scan_pos = end

    def _inside(self, offset: int) -> int | None:
        """The index of the multi-line construct strictly containing ``offset``, if any."""
        self._scan_to(offset)
        index = bisect_right(self._multi_starts, offset - 1) - 1
        if index >= 0 and self._multi_starts[index] < offset < self._multi_ends[index]:
            return index
        return None

    def _line_of(self, offset: int) -> int:
        return self.document.position(offset)[0]

    def _checkpoint_before(self, line: int) -> int:
        """The nearest checkpoint at or before ``line``."""
        while line > 0:
            index = self._inside(self.document.starts[line])
            if index is None:
                return line
            line = self._line_of(self._multi_starts[index])
        return 0

    def _checkpoint_after(self, line: int) -> int:
        """The nearest checkpoint at or after ``line`` (the line count at the end)."""
        count = self.document.line_count
        while line < count:
            index = self._inside(self.document.starts[line])
            if index is None:
                return line
            line = self._line_of(self._multi_ends[index] - 1) + 1
        return count
