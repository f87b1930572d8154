"""What the moving keys of :class:`~.view.XmlView` do (mixed into it): the cursor, pages,
search and go to line (definitions, uses and the rest are in :mod:`.references`).

Each action is O(1) or O(screen) on the event loop; finding matches runs in a worker thread
(:class:`~.jobs.Offload`), and a result that arrives after the document changed is dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from textual import events
from textual.worker import get_current_worker

from .display import column_at, visible
from .document import Document
from .prompts import LinePrompt
from .search import SearchState, find_all
from .uses_actions import PANEL_ACTIONS

if TYPE_CHECKING:
    from .view import XmlView


#: Actions that need a document.
DOC_ACTIONS = frozenset({
    "cursor_up", "cursor_down", "cursor_left", "cursor_right", "page_up", "page_down",
    "line_start", "line_end", "first_line", "last_line", "search", "goto_line", "copy",
    "editor",
})
_LINE_COLUMN = re.compile(r"\s*(\d+)\s*(?:[:,.\s]\s*(\d+))?\s*")


def parse_line_column(value: str) -> tuple[int, int] | None:
    """``"120"`` or ``"120:15"`` as (line, column); ``None`` if it is neither."""
    match = _LINE_COLUMN.fullmatch(value)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or 1)


class XmlActions:
    """``action_*`` methods, ``check_action``, the cursor, and mouse clicks."""

    @property
    def _view(self) -> XmlView:
        return cast("XmlView", self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions that cannot apply now show disabled (``None``) rather than doing nothing."""
        view = self._view
        doc = view.document
        if view.uses_panel is not None:
            # The list of uses is open: the footer shows its keys only. The viewer's other keys
            # still work: XmlUsesPanel.on_key closes the list before their bindings are read.
            return action in PANEL_ACTIONS
        if action in PANEL_ACTIONS:  # hidden while it is closed, so their keys fall through
            return False
        if action in DOC_ACTIONS:
            return True if doc is not None and not view.is_loading else None
        if action in ("next_match", "previous_match"):
            return True if doc is not None and view.search_state.matches else None
        if action in ("definition", "uses"):
            return True if doc is not None and view.resolver is not None else None
        if action == "back":
            return True if view.history else None
        return True

    # -- the cursor -------------------------------------------------------------------------
    def move_cursor(self, line: int | None = None, column: int | None = None, *,
                    goal: bool = True, center: bool = False, force_post: bool = False) -> None:
        """Put the cursor on 0-based ``line`` / ``column`` (clamped) and scroll it into view.
        ``goal``: remember the column for moves up and down."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        old_line, old_column = view._line, view._column
        if line is not None:
            view._line = max(0, min(line, doc.line_count - 1))
        if column is not None:
            view._column = column
        view._column = max(0, min(view._column, len(doc.line(view._line))))
        if goal and column is not None:
            view._goal = view._column
        view.scroll_cursor_into_view(center=center)
        moved = (view._line, view._column) != (old_line, old_column)
        if moved:
            view.refresh_text_line(old_line)
            view.refresh_text_line(view._line)
            view.refresh_header()
        if moved or force_post:
            view.post_message(view.CursorMoved(view, doc.policy_id, *view.cursor))

    def _vertical(self, delta: int) -> None:
        view = self._view
        self.move_cursor(view._line + delta, view._goal, goal=False)

    def action_cursor_up(self) -> None:
        self._vertical(-1)

    def action_cursor_down(self) -> None:
        self._vertical(1)

    def action_cursor_left(self) -> None:
        self.move_cursor(column=self._view._column - 1)

    def action_cursor_right(self) -> None:
        self.move_cursor(column=self._view._column + 1)

    def action_line_start(self) -> None:
        self.move_cursor(column=0)

    def action_line_end(self) -> None:
        view = self._view
        self.move_cursor(column=len(view.document.line(view._line)) if view.document else 0)

    def action_first_line(self) -> None:
        self.move_cursor(0, 0)

    def action_last_line(self) -> None:
        self.move_cursor(self._view.line_count - 1, 0)

    def action_page_down(self) -> None:
        self._page_by(self._view.page_size)

    def action_page_up(self) -> None:
        self._page_by(-self._view.page_size)

    def _page_by(self, delta: int) -> None:
        # Scroll a page and keep the cursor at the same place on screen.
        view = self._view
        view.scroll_to(y=view.scroll_offset.y + delta, animate=False, force=True,
                       immediate=True)
        self._vertical(delta)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the character under the pointer (on the list of uses:
        goes to the use clicked)."""
        view = self._view
        offset = event.get_content_offset(view)
        doc = view.document
        if offset is None or doc is None or view.uses_click(offset) or offset.y == 0:
            return
        line = view.scroll_offset.y + offset.y - 1
        if line >= doc.line_count:
            return
        cell = max(0, offset.x - view.gutter_width) + view.scroll_offset.x
        self.move_cursor(line, column_at(doc.line(line), cell))

    # -- search -----------------------------------------------------------------------------
    def action_search(self) -> None:
        """``/``: find text (literal, case-insensitive) and jump to the first match after the
        cursor; ``n`` and ``N`` step through the others."""
        view = self._view

        def chosen(query: str | None) -> None:
            if query:
                self.start_search(query)

        view.app.push_screen(LinePrompt("/", view.search_state.query,
                                        "search (case-insensitive)"), chosen)

    def start_search(self, query: str, *, jump: bool = True,
                     case_sensitive: bool = False) -> None:
        """Find every match of ``query`` in a thread; then (``jump``) go to the first one at
        or after the cursor."""
        view = self._view
        doc = view.document
        state = SearchState(query, case_sensitive)
        view._search = state
        view.refresh()
        if doc is None:
            return

        def found(matches: list[int]) -> None:
            if view._search is not state or view.document is not doc:
                return
            state.matches = matches
            view.refresh()
            view.refresh_bindings()
            if not jump:
                return
            if not matches:
                view.notify(f"No match for {visible(query)!r}", severity="warning",
                            markup=False)
                return
            hit = state.at_or_after(doc.offset(view._line, view._column))
            if hit is not None:
                self._go_to_match(doc, state, *hit, wrap_note="Search wrapped to the top")

        def search() -> list[int]:
            worker = get_current_worker()
            return find_all(doc.text, query, case_sensitive=case_sensitive,
                            stop=lambda: worker.is_cancelled)

        view.offload(search, found, group="xml-search", exclusive=True)

    def _go_to_match(self, doc: Document, state: SearchState, index: int, wrapped: bool,
                     wrap_note: str) -> None:
        assert state.matches is not None
        line, column = doc.position(state.matches[index])
        # The current match is the one under the cursor: moving the cursor repaints both the
        # line it leaves and the line it reaches, which is all that changes.
        self.move_cursor(line, column, center=True)
        if wrapped:
            self._view.notify(wrap_note, timeout=2)

    def action_next_match(self) -> None:
        self._step_match(forward=True)

    def action_previous_match(self) -> None:
        self._step_match(forward=False)

    def _step_match(self, *, forward: bool) -> None:
        """To the match after (or before) the cursor, wrapping round at the end."""
        view = self._view
        doc, state = view.document, view.search_state
        if doc is None:
            return
        offset = doc.offset(view._line, view._column)
        hit = state.next_after(offset) if forward else state.before(offset)
        if hit is not None:
            note = "Search wrapped to the top" if forward else "Search wrapped to the bottom"
            self._go_to_match(doc, state, *hit, wrap_note=note)

    # -- go to line -------------------------------------------------------------------------
    def action_goto_line(self) -> None:
        """``ctrl+g`` / ``L``: go to ``line`` or ``line:column``."""
        view = self._view
        count = view.line_count

        def check(value: str) -> str | None:
            if parse_line_column(value) is None:
                return f"Type a line number (1-{count:,}), or line:column"
            return None

        def chosen(value: str | None) -> None:
            target = parse_line_column(value) if value else None
            if target is None:
                return
            line, column = target
            view.remember()
            view.goto(line, column)
            if line > count:
                view.notify(f"Line {line:,} is past the end: went to the last line, {count:,}",
                            severity="warning", timeout=3)

        view.app.push_screen(LinePrompt("Go to line", "", f"1-{count:,} or line:column",
                                        check), chosen)
