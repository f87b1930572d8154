"""``XmlView``: a read-only policy viewer that stays fluid at any size.

A Line-API widget (``ScrollView``): :meth:`XmlView.render_line` paints one screen line straight
from the document's line list, so the first screen of a 1 MB policy costs what 50 lines cost.
Colours come from pygments, lexed in a worker thread for the lines on screen and a page around
them (see :mod:`.highlight`); a line is drawn plain until its colours arrive. Splitting a large
text into lines and searching run in threads too. Line numbers, a cursor (line and column),
horizontal scrolling, search, go to line, go to definition, find uses and back are here and in
:mod:`.actions`; the host provides definitions and uses through an :class:`XmlResolver` and
opens other policies when the widget posts :class:`XmlView.OpenLocation`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import ClassVar, TypeAlias

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..exposed import Exposed
from ..moving import movement_bindings
from .actions import XmlActions
from .display import cell_of, line_width, visible
from .document import Document
from .highlight import Highlighter
from .jobs import HighlightJobs, Offload
from .messages import CursorMoved, EditorClosed, OpenLocation
from .references import XmlReferences
from .render import (
    TextStyles,
    layer_style,
    matches_in,
    paint_segments,
    syntax_classes,
    syntax_css,
)
from .resolver import Location, XmlResolver
from .search import SearchState
from .uses_actions import XmlUsesPanel, panel_bindings
from .uses_panel import PanelStyles, panel_classes, panel_css

#: Texts up to this size are split on the event loop (a few ms); larger ones in a thread.
SYNC_LOAD_LIMIT = 256 * 1024
#: Documents kept split and coloured, so going back to a policy just seen is instant.
DOCUMENT_CACHE = 4
PREFIX = "xml-view"


@dataclass(frozen=True)
class _Styles:
    base: Style
    header: Style
    gutter: Style
    gutter_cursor: Style
    cursor_line: Style
    cursor: Style
    match: Style
    match_current: Style
    text: TextStyles
    uses: PanelStyles


class XmlView(XmlUsesPanel, XmlActions, XmlReferences, Offload, ScrollView, can_focus=True):
    """A read-only, highlighted view of one policy's XML, with search and navigation.

    ``load(text, policy_id)`` shows a policy (any size); set :attr:`resolver` for go to
    definition and find uses. Keys are in :attr:`BINDINGS` (each with an id): ``/`` search,
    ``n``/``N`` next and previous match, ``ctrl+g`` or ``L`` go to line, ``enter``/``F12`` go to
    definition, ``u``/``shift+F12`` find uses, ``backspace``/``ctrl+o`` back, ``c`` copy the XML,
    ``o`` open it in ``$EDITOR``. The uses open inline, under the cursor's line (see
    :mod:`.uses_panel` and :mod:`.uses_actions`, whose keys, last here, apply only while it
    is open).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *movement_bindings("xml"),
        Binding("home", "line_start", "Line start", show=False, id="xml.line_start"),
        Binding("end", "line_end", "Line end", show=False, id="xml.line_end"),
        Binding("ctrl+home", "first_line", "First line", show=False, id="xml.first_line"),
        Binding("ctrl+end", "last_line", "Last line", show=False, id="xml.last_line"),
        Binding("slash", "search", "Search", key_display="/", id="xml.search"),
        Binding("n", "next_match", "Next", id="xml.next_match"),
        Binding("N", "previous_match", "Previous", key_display="N", id="xml.previous_match"),
        Binding("ctrl+g,L", "goto_line", "Go to line", key_display="^g", id="xml.goto_line"),
        Binding("enter,f12", "definition", "Definition", key_display="⏎", id="xml.definition"),
        Binding("u,shift+f12", "uses", "Uses", key_display="u", id="xml.uses"),
        Binding("backspace,ctrl+o", "back", "Back", key_display="⌫", id="xml.back"),
        Binding("c", "copy", "Copy", id="xml.copy"),
        Binding("o", "editor", "Editor", id="xml.editor"),
        *panel_bindings(),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"{PREFIX}--header", f"{PREFIX}--gutter", f"{PREFIX}--gutter-cursor",
        f"{PREFIX}--cursor-line", f"{PREFIX}--cursor", f"{PREFIX}--match",
        f"{PREFIX}--match-current", *syntax_classes(PREFIX), *panel_classes(PREFIX),
    }

    DEFAULT_CSS = """
    XmlView {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .xml-view--header { background: $panel; color: $foreground; text-style: bold; }
        & > .xml-view--gutter { color: $foreground-muted; }
        & > .xml-view--gutter-cursor { color: $accent; text-style: bold; }
        & > .xml-view--cursor-line { background: $primary 12%; }
        & > .xml-view--cursor { background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; }
        &:focus > .xml-view--cursor { background: $block-cursor-background;
            color: $block-cursor-foreground; }
        & > .xml-view--match { background: $warning 35%; }
        & > .xml-view--match-current { background: $accent; color: $background; }
    """ + syntax_css(PREFIX) + panel_css(PREFIX) + """
    }
    """

    OpenLocation: TypeAlias = OpenLocation
    EditorClosed: TypeAlias = EditorClosed
    CursorMoved: TypeAlias = CursorMoved

    def __init__(self, text: str = "", *, policy_id: str = "",
                 resolver: XmlResolver | None = None, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.resolver = resolver
        self._initial = (text, policy_id)
        self._initial_cursor = (1, 1)
        self._started = False  # on_mount has run (is_mounted is still False inside it)
        self._doc: Document | None = None
        self._hl: Highlighter | None = None
        self._docs: OrderedDict[str, Document] = OrderedDict()
        self._loading: str | None = None
        self._load_generation = 0
        self._line = 0
        self._column = 0
        self._goal = 0
        self._width_seen = 0
        self._search = SearchState()
        self._history: list[Location] = []
        self._jobs = HighlightJobs(self)
        self._styles: _Styles | None = None

    # -- public API -------------------------------------------------------------------------
    document = Exposed[Document | None](
        "_doc", "The document shown (``None`` before the first one is ready).")

    @property
    def policy_id(self) -> str:
        """The id of the policy shown (or being loaded)."""
        if self._loading is not None:
            return self._loading
        return self._doc.policy_id if self._doc else ""

    @property
    def is_loading(self) -> bool:
        """Whether a large text is being split into lines."""
        return self._loading is not None

    @property
    def text(self) -> str:
        """The policy's XML exactly as given to :meth:`load`."""
        return self._doc.original if self._doc else ""

    @property
    def line_count(self) -> int:
        return self._doc.line_count if self._doc else 0

    @property
    def cursor(self) -> tuple[int, int]:
        """The cursor's 1-based (line, column)."""
        return self._line + 1, self._column + 1

    highlighter = Exposed[Highlighter | None]("_hl", "The shown document's highlighter.")
    search_state = Exposed[SearchState]("_search", "The last search and its matches.")

    @property
    def history(self) -> list[Location]:
        """Where ``back`` returns to, most recent last."""
        return list(self._history)

    def load(self, text: str, policy_id: str = "", *, line: int = 1, column: int = 1) -> None:
        """Show ``text`` (the XML of ``policy_id``) with the cursor at ``line``, ``column``
        (1-based). A large text is split into lines in a thread; the view says it is loading
        meanwhile. The jump history is kept, so ``back`` works across policies."""
        if not self._started:
            self._initial = (text, policy_id)
            self._initial_cursor = (line, column)
            return
        self._load_generation += 1
        cached = self._docs.get(policy_id)
        if cached is not None and (cached.original is text or cached.original == text):
            self._show(cached, line, column)
        elif len(text) <= SYNC_LOAD_LIMIT:
            self._show(Document.build(text, policy_id), line, column)
        else:
            generation = self._load_generation
            self._loading = policy_id
            self.refresh()

            def ready(doc: Document) -> None:
                if generation == self._load_generation:
                    self._show(doc, line, column)

            self.offload(lambda: Document.build(text, policy_id), ready, group="xml-load",
                         exclusive=True, failed=self._load_failed)

    def goto(self, line: int, column: int = 1) -> None:
        """Put the cursor at 1-based ``line`` and ``column`` (clamped) and scroll it into
        view, centred when it was off screen."""
        self.move_cursor(line - 1, column - 1, center=True)

    # -- loading ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._started = True
        text, policy_id = self._initial
        if text or policy_id:
            self.load(text, policy_id, line=self._initial_cursor[0],
                      column=self._initial_cursor[1])

    def _show(self, doc: Document, line: int, column: int) -> None:
        self._loading = None
        self._doc = doc
        self.drop_uses()
        self._hl = Highlighter.of(doc)
        if doc.policy_id:
            self._docs[doc.policy_id] = doc
            self._docs.move_to_end(doc.policy_id)
            while len(self._docs) > DOCUMENT_CACHE:
                self._docs.popitem(last=False)
        self._width_seen = 0
        self._line = self._column = self._goal = 0
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, force=True, immediate=True)
        self.move_cursor(line - 1, column - 1, center=True, force_post=True)
        if self._search.query:
            self.start_search(self._search.query, jump=False)
        self.refresh()
        self.refresh_bindings()

    def _load_failed(self, error: BaseException) -> None:
        self._loading = None
        self.notify(f"Cannot show the policy: {visible(error)}", severity="error", markup=False)
        self.refresh()

    # -- geometry ---------------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        """Cells of the line-number column."""
        return len(str(max(1, self.line_count))) + 2

    @property
    def page_size(self) -> int:
        """Text lines on screen (the header excluded)."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def text_width(self) -> int:
        """Cells for text beside the line numbers."""
        return max(1, self.scrollable_content_region.width - self.gutter_width)

    def _update_virtual_size(self) -> None:
        doc = self._doc
        if doc is None:
            self.virtual_size = Size(0, 0)
            return
        width = max(doc.max_length, self._width_seen) + 1  # room for the cursor at a line end
        self.virtual_size = Size(self.gutter_width + width, doc.line_count + 1)

    def refresh_text_line(self, line: int) -> None:
        """Repaint 0-based text ``line`` if it is on screen."""
        y = line - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, 1))

    def scroll_cursor_into_view(self, *, center: bool = False) -> None:
        """Scroll the least needed for the cursor to be visible (centred if asked and it was
        off screen)."""
        doc = self._doc
        if doc is None:
            return
        if not self.scrollable_content_region.height:  # not laid out yet: scroll once it is
            self.call_after_refresh(self.scroll_cursor_into_view, center=center)
            return
        scroll_x, scroll_y = self.scroll_offset
        page = self.page_size
        y = scroll_y
        if not scroll_y <= self._line < scroll_y + page:
            y = self._line - page // 3 if center else (
                self._line if self._line < scroll_y else self._line - page + 1)
        room = self.text_width
        x = scroll_x
        cell = cell_of(doc.line(self._line), self._column)
        if cell < scroll_x:
            x = max(0, cell - room // 4)
        elif cell >= scroll_x + room:
            x = cell - room + room // 4
        if cell >= self.virtual_size.width - self.gutter_width:
            self._width_seen = max(self._width_seen, line_width(doc.line(self._line)))
            self._update_virtual_size()
        y = max(0, min(y, doc.line_count - page))
        if (x, y) != (scroll_x, scroll_y):
            self.scroll_to(x, y, animate=False, force=True, immediate=True)

    # -- painting ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _get_styles(self) -> _Styles:
        if self._styles is None:
            base = self.rich_style
            self._styles = _Styles(
                base=base,
                header=self.get_component_rich_style(f"{PREFIX}--header"),
                gutter=base + layer_style(self, f"{PREFIX}--gutter"),
                gutter_cursor=base + layer_style(self, f"{PREFIX}--cursor-line")
                + layer_style(self, f"{PREFIX}--gutter-cursor"),
                cursor_line=base + layer_style(self, f"{PREFIX}--cursor-line"),
                cursor=layer_style(self, f"{PREFIX}--cursor"),
                match=layer_style(self, f"{PREFIX}--match"),
                match_current=layer_style(self, f"{PREFIX}--match-current"),
                text=TextStyles.of(self, PREFIX),
                uses=PanelStyles.of(self, PREFIX),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        """Screen line ``y``: the header, or a numbered, coloured line of text."""
        styles = self._get_styles()
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width, styles)
        over = self.uses_line(y, width)
        if over is not None:
            return over
        doc = self._doc
        line = self.scroll_offset.y + y - 1
        if doc is None or self._loading is not None or line >= doc.line_count:
            return Strip.blank(width, styles.base)
        gutter_width = self.gutter_width
        on_cursor = line == self._line
        number = f" {line + 1:>{gutter_width - 2}} "
        gutter = Segment(number, styles.gutter_cursor if on_cursor else styles.gutter)
        text = doc.line(line)
        hl = self._hl
        spans = hl.spans(line) if hl is not None else None
        if spans is None and hl is not None:
            top = self.scroll_offset.y
            self._jobs.want(hl, top - self.page_size, top + 2 * self.page_size)
        marks = self._marks(doc, line, styles)
        base, end_mark = styles.base, None
        if on_cursor:
            base = styles.cursor_line
            if self._column >= len(text):
                end_mark = styles.cursor  # the cursor after the last character
            else:
                marks.append((self._column, self._column + 1, styles.cursor))
        if width <= gutter_width:
            return Strip([gutter], gutter_width).crop(0, width)
        body = paint_segments(text, spans, self.scroll_offset.x, width - gutter_width, base,
                              styles.text, marks, end_mark)
        return Strip([gutter, *body], width)

    def _marks(self, doc: Document, line: int, styles: _Styles) -> list[tuple[int, int, Style]]:
        matches = self._search.matches
        if not matches:
            return []
        start = doc.starts[line]
        current = self._search.index_at(doc.offset(self._line, self._column))
        return matches_in(matches, self._search.length, start, start + len(doc.line(line)) + 1,
                          styles.match, current, styles.match_current)

    def _header(self, width: int, styles: _Styles) -> Strip:
        doc = self._doc
        left = " " + (visible(self.policy_id) or "(no policy)")
        if self._loading is not None:
            left += "  loading…"
        elif doc is not None and doc.bom:
            left += "  (BOM)"
        right = self.status_text + " "
        room = max(0, width - cell_len(right))
        if cell_len(left) > room:
            left = set_cell_size(left, max(0, room - 1)) + "…" if room else ""
        return Strip([Segment(set_cell_size(left, room) + right, styles.header)]).crop_extend(
            0, width, styles.header)

    @property
    def status_text(self) -> str:
        """What the header says on its right: search state, cursor, size."""
        doc = self._doc
        if doc is None:
            return ""
        parts = []
        search = self._search
        if search.query:
            query = visible(search.query)
            if len(query) > 24:
                query = query[:23] + "…"
            if search.matches is None:
                parts.append(f"/{query} searching…")
            elif not search.matches:
                parts.append(f"/{query} no match")
            else:
                index = search.index_at(doc.offset(self._line, self._column))
                count = len(search.matches)
                parts.append(f"/{query} {index + 1}/{count:,}" if index is not None
                             else f"/{query} {count:,} matches")
        parts.append(f"Ln {self._line + 1:,}, Col {self._column + 1}")
        parts.append(f"{doc.line_count:,} lines")
        return " · ".join(parts)
