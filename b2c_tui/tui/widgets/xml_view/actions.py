"""What the keys of :class:`~.view.XmlView` do (mixed into it): moving, search, go to line,
go to definition, find uses, back, copy and the editor.

Each action is O(1) or O(screen) on the event loop; finding matches and asking the resolver
run in worker threads (:class:`~.jobs.Offload`), and a result that arrives after the document
changed is dropped.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import SuspendNotSupported

from .display import column_at, visible
from .document import Document
from .editor import editor_command, run_editor, write_scratch
from .prompts import LinePrompt, UsesScreen
from .resolver import Location, Reference, attribute_at
from .search import SearchState, find_all

if TYPE_CHECKING:
    from .view import XmlView

log = logging.getLogger(__name__)

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
        """A click puts the cursor on the character under the pointer."""
        view = self._view
        offset = event.get_content_offset(view)
        doc = view.document
        if offset is None or doc is None or offset.y == 0:
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

        view.offload(partial(find_all, doc.text, query, case_sensitive=case_sensitive), found,
                     group="xml-search", exclusive=True)

    def _go_to_match(self, doc: Document, state: SearchState, index: int, wrapped: bool,
                     wrap_note: str) -> None:
        assert state.matches is not None
        line, column = doc.position(state.matches[index])
        self.move_cursor(line, column, center=True)
        self._view.refresh()
        if wrapped:
            self._view.notify(wrap_note, timeout=2)

    def action_next_match(self) -> None:
        view = self._view
        doc, state = view.document, view.search_state
        hit = state.next_after(doc.offset(view._line, view._column)) if doc else None
        if doc is not None and hit is not None:
            self._go_to_match(doc, state, *hit, wrap_note="Search wrapped to the top")

    def action_previous_match(self) -> None:
        view = self._view
        doc, state = view.document, view.search_state
        hit = state.before(doc.offset(view._line, view._column)) if doc else None
        if doc is not None and hit is not None:
            self._go_to_match(doc, state, *hit, wrap_note="Search wrapped to the bottom")

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

    # -- definitions, uses, history ---------------------------------------------------------
    def remember(self) -> None:
        """Push the cursor's place onto the history ``back`` returns along."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        here = Location(doc.policy_id, *view.cursor, label=doc.line(view._line).strip()[:80])
        history = view._history
        if not history or history[-1] != here:
            history.append(here)
            del history[:-100]
            view.refresh_bindings()

    def jump_to(self, location: Location, *, remember: bool = True) -> None:
        """Go to ``location``: here if it is in the policy shown, otherwise post
        :class:`OpenLocation` for the host to open it."""
        view = self._view
        doc = view.document
        origin = Location(doc.policy_id, *view.cursor) if doc else None
        if remember:
            self.remember()
        if doc is not None and location.policy_id in ("", doc.policy_id):
            view.goto(location.line, location.column)
        else:
            view.post_message(view.OpenLocation(view, location, origin))

    def action_back(self) -> None:
        """Return to where the last jump started (in this policy or another)."""
        view = self._view
        doc = view.document
        here = (doc.policy_id, *view.cursor) if doc else None
        while view._history:
            location = view._history.pop()
            if (location.policy_id, location.line, location.column) != here:
                break
        else:
            view.refresh_bindings()
            return
        view.refresh_bindings()
        if doc is not None and location.policy_id == doc.policy_id:
            view.goto(location.line, location.column)
        else:
            view.post_message(view.OpenLocation(view, location, None, back=True))

    def _reference(self) -> Reference | None:
        view = self._view
        doc = view.document
        return attribute_at(doc.line(view._line), view._column) if doc else None

    def action_definition(self) -> None:
        """Ask the resolver where the id under the cursor is defined, and go there."""
        view = self._view
        doc, resolver = view.document, view.resolver
        if doc is None or resolver is None:
            return
        ref = self._reference()
        line, column = view.cursor
        view.offload(partial(resolver.definition, doc.policy_id, line, column),
                     partial(self._definition_found, doc, ref), group="xml-resolve",
                     exclusive=True, failed=self._resolve_failed)

    def _definition_found(self, doc: Document, ref: Reference | None,
                          location: Location | None) -> None:
        view = self._view
        if view.document is not doc:
            return
        if location is not None:
            self.jump_to(location)
            return
        if ref is not None and ref.attribute == "StorageReferenceId":
            note = (f"{visible(ref.value)} is a policy key: keysets live in the tenant (the keys "
                    "pane), not in a policy")
        elif ref is not None and ref.is_reference:
            note = f"No definition of {visible(ref.value)!r} in this policy or its bases"
        else:
            note = ("Not on a reference: put the cursor on a ReferenceId, "
                    "TechnicalProfileReferenceId, ClaimTypeReferenceId, "
                    "ContentDefinitionReferenceId or StorageReferenceId value")
        view.notify(note, severity="warning", markup=False)

    def action_uses(self) -> None:
        """List every use of the id under the cursor; pick one to go there."""
        view = self._view
        doc, resolver = view.document, view.resolver
        if doc is None or resolver is None:
            return
        ref = self._reference()
        line, column = view.cursor
        view.offload(partial(resolver.uses, doc.policy_id, line, column),
                     partial(self._uses_found, doc, ref), group="xml-resolve", exclusive=True,
                     failed=self._resolve_failed)

    def _uses_found(self, doc: Document, ref: Reference | None,
                    locations: list[Location]) -> None:
        view = self._view
        if view.document is not doc:
            return
        name = ref.value if ref is not None else ""
        if not locations:
            view.notify(f"No uses of {visible(name)!r}" if name else
                        "Not on an id or a reference", severity="warning", markup=False)
            return

        def chosen(location: Location | None) -> None:
            if location is not None:
                self.jump_to(location)

        view.app.push_screen(UsesScreen(name, list(locations)), chosen)

    def _resolve_failed(self, error: BaseException) -> None:
        self._view.notify(f"Cannot resolve: {visible(error)}", severity="error", markup=False)

    # -- copy and the editor ----------------------------------------------------------------
    def action_copy(self) -> None:
        """Copy the whole policy XML (as given) to the clipboard."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        view.app.copy_to_clipboard(doc.original)
        view.notify(f"Copied {visible(doc.policy_id) or 'the XML'} ({doc.line_count:,} lines)",
                    timeout=2, markup=False)

    def action_editor(self) -> None:
        """Open a scratch copy in ``$VISUAL``/``$EDITOR``; post :class:`EditorClosed`."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        command = editor_command()
        if command is None:
            view.notify("Set $EDITOR (or $VISUAL) to open the XML in an editor",
                        severity="warning")
            return
        try:
            path = write_scratch(doc.policy_id, doc.original)
        except OSError as exc:
            view.notify(f"Cannot write a copy for the editor: {visible(exc)}", severity="error",
                        markup=False)
            return
        app = view.app
        try:
            try:
                with app.suspend():
                    code = run_editor(command, path, attached=True)
            except SuspendNotSupported:
                if not app.is_headless:
                    path.unlink(missing_ok=True)
                    view.notify("This terminal cannot hand over to an editor",
                                severity="error")
                    return
                code = run_editor(command, path, attached=False)
            with open(path, encoding="utf-8", newline="") as edited:
                changed = edited.read() != doc.original
        except (OSError, UnicodeDecodeError) as exc:
            view.notify(f"Editor {visible(command[0])!r} failed: {visible(exc)}",
                        severity="error", markup=False)
            return
        if not changed:
            path.unlink(missing_ok=True)
        if code != 0:
            view.notify(f"The editor exited with code {code}", severity="warning")
        elif changed:
            view.notify(f"Edited copy saved to {visible(path)}", markup=False, timeout=4)
        view.post_message(view.EditorClosed(view, doc.policy_id, path, changed, code))
