"""The keys, the mouse and the placement of the inline list of uses (see :mod:`.uses_panel`),
mixed into :class:`~.view.XmlView` as :class:`XmlUsesPanel`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.widget import Widget

from .resolver import Location
from .uses_panel import FRAME_ROWS, MAX_ROWS, UsesPanel

if TYPE_CHECKING:
    from .view import XmlView

#: Actions of the panel's keys (enabled only while it is open).
PANEL_ACTIONS = frozenset({"uses_move", "uses_page", "uses_edge", "uses_jump", "uses_close"})


def panel_bindings() -> list[BindingType]:
    """The panel's keys, last in the view's bindings (so the help lists the viewer's own keys
    first). While the panel is open, the view's ``check_action`` disables its other actions,
    so the same keys (arrows, ``enter``, ``u``) fall through to these, and ``escape`` wins over
    the screen's; while it is closed these are hidden and the keys work as always."""
    return [
        Binding("down", "uses_move(1)", "Pick a use", key_display="↑↓", id="xml.uses.down"),
        Binding("up", "uses_move(-1)", "Previous use", show=False, id="xml.uses.up"),
        Binding("pagedown", "uses_page(1)", "Next page", show=False, id="xml.uses.page_down"),
        Binding("pageup", "uses_page(-1)", "Previous page", show=False, id="xml.uses.page_up"),
        Binding("home,ctrl+home", "uses_edge(0)", "First use", show=False,
                id="xml.uses.first"),
        Binding("end,ctrl+end", "uses_edge(1)", "Last use", show=False, id="xml.uses.last"),
        Binding("enter", "uses_jump", "Go to use", key_display="⏎", id="xml.uses.jump"),
        Binding("escape", "uses_close", "Close uses", id="xml.uses.close"),
        # ``u`` again closes the list (it would list the same uses again).
        Binding("u,shift+f12", "uses_close", "Close uses", show=False, id="xml.uses.toggle"),
    ]


#: Keys the panel handles itself; any other key the view binds closes the panel first.
PANEL_KEYS = frozenset(binding.key for binding in Binding.make_bindings(panel_bindings()))


class XmlUsesPanel:
    """The uses panel's keys, mouse and placement, mixed into :class:`~.view.XmlView`.

    While the panel is open its keys (:func:`panel_bindings`) move the pick, ``enter`` jumps
    there (remembered for ``back``), ``escape`` or ``u`` close it with the cursor where it was,
    and a click on a row jumps to that use. Any other key the viewer binds (search, go to line,
    back, left and right...) closes the panel first and then does what it always does: the
    list is about the id under the cursor, and those keys move away from it.
    """

    #: the open list of uses (``None``: closed)
    _uses_panel: UsesPanel | None = None

    @property
    def _view(self) -> XmlView:
        return cast("XmlView", self)

    @property
    def uses_panel(self) -> UsesPanel | None:
        """The open list of uses (``None``: closed)."""
        return self._uses_panel

    def open_uses(self, name: str, locations: list[Location]) -> None:
        """Open the panel listing ``locations`` (every use of ``name``) at the cursor's line."""
        view = self._view
        self.close_uses(quiet=True)
        panel = UsesPanel(name, locations, view._line)
        self._uses_panel = panel
        self._place(panel)
        self._refresh_panel(panel)
        view.refresh_bindings()

    def close_uses(self, *, quiet: bool = False) -> None:
        """Close the panel (if open), repainting the lines it covered."""
        panel = self.uses_panel
        if panel is None:
            return
        self._uses_panel = None
        self._refresh_panel(panel)
        if not quiet:
            self._view.refresh_bindings()

    def drop_uses(self) -> None:
        """Forget the panel without repainting (the document is being replaced)."""
        self._uses_panel = None

    # -- placement and painting -------------------------------------------------------------
    def _anchor_row(self, panel: UsesPanel) -> int:
        """The screen row of the line the panel hangs from (row 0 is the header)."""
        return panel.anchor - self._view.scroll_offset.y + 1

    def _place(self, panel: UsesPanel) -> None:
        """Below the line if it fits, else above it, else scroll the text up so it fits below
        (else, on a very short view, as many rows as fit on the roomier side)."""
        view = self._view
        page = view.page_size
        panel.rows = max(1, min(len(panel.locations), MAX_ROWS, page - FRAME_ROWS - 1))
        row = self._anchor_row(panel)
        if not 1 <= row <= page:  # scrolled away with the mouse: bring the line back
            view.scroll_cursor_into_view(center=True)
            row = self._anchor_row(panel)
        height = panel.height
        if row + height > page and row - height < 1:
            want = min(panel.anchor + 1 + height - page, int(view.max_scroll_y))
            if want > view.scroll_offset.y:
                view.scroll_to(y=want, animate=False, force=True, immediate=True)
                row = self._anchor_row(panel)
        below, above = page - row, row - 1
        if below >= height or (above < height and below >= above):
            panel.rows = max(1, min(panel.rows, below - FRAME_ROWS))
            panel.offset = 1
        else:
            panel.rows = max(1, min(panel.rows, above - FRAME_ROWS))
            panel.offset = -panel.height
        panel.select(panel.selected)  # the pick stays among the rows shown

    def on_resize(self, event: events.Resize) -> None:
        # Placed again for the new size (the whole view repaints on a resize anyway).
        panel = self.uses_panel
        if panel is not None:
            self._place(panel)

    def _panel_top(self, panel: UsesPanel) -> int:
        return self._anchor_row(panel) + panel.offset

    def _refresh_panel(self, panel: UsesPanel) -> None:
        view = self._view
        view.refresh(Region(0, self._panel_top(panel), view.size.width, panel.height))

    def uses_line(self, y: int, width: int) -> Strip | None:
        """Screen line ``y`` if the panel covers it (``None``: draw the text)."""
        panel = self.uses_panel
        if panel is None or y < 1:
            return None
        row = y - self._panel_top(panel)
        if not 0 <= row < panel.height:
            return None
        view = self._view
        styles = view._get_styles().uses
        gutter = min(width, view.gutter_width)
        strip = panel.line(row, width - gutter, styles)
        return Strip([Segment(" " * gutter, styles.base), *strip], width)

    # -- keys -------------------------------------------------------------------------------
    def action_uses_move(self, delta: int) -> None:
        self._select(lambda panel: panel.selected + delta)

    def action_uses_page(self, direction: int) -> None:
        self._select(lambda panel: panel.selected + direction * panel.rows)

    def action_uses_edge(self, last: int) -> None:
        self._select(lambda panel: len(panel.locations) - 1 if last else 0)

    def _select(self, where: Callable[[UsesPanel], int]) -> None:
        panel = self.uses_panel
        if panel is None:
            return
        before = (panel.selected, panel.top)
        panel.select(where(panel))
        if (panel.selected, panel.top) != before:
            self._refresh_panel(panel)

    def action_uses_jump(self) -> None:
        """Go to the use picked (``back`` returns here)."""
        panel = self.uses_panel
        if panel is None:
            return
        self.close_uses()
        self._view.jump_to(panel.chosen)

    def action_uses_close(self) -> None:
        self.close_uses()

    def on_key(self, event: events.Key) -> None:
        # Runs before the bindings: a viewer key that is not the panel's closes it first.
        if self.uses_panel is not None and event.key not in PANEL_KEYS \
                and event.key in _view_keys(type(self._view)):
            self.close_uses()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -1)

    def _wheel(self, event: events.MouseScrollDown | events.MouseScrollUp, delta: int) -> None:
        # The wheel over the list moves its pick (it runs before the view's own scrolling,
        # which prevent_default skips); elsewhere it scrolls the text, the list with it.
        panel = self.uses_panel
        offset = event.get_content_offset(self._view)
        if panel is None or offset is None:
            return
        if 0 <= offset.y - self._panel_top(panel) < panel.height:
            event.prevent_default()
            event.stop()
            self.action_uses_move(delta)

    def uses_click(self, offset: Offset) -> bool:
        """A click at ``offset`` (in the view): on a use, jump there; elsewhere on the panel,
        nothing; off it, close it and let the click do what it does. ``True``: handled."""
        panel = self.uses_panel
        if panel is None:
            return False
        row = offset.y - self._panel_top(panel)
        if offset.y < 1 or not 0 <= row < panel.height:
            self.close_uses()
            return False
        index = panel.use_at(row) if offset.x >= self._view.gutter_width else None
        if index is not None:
            panel.select(index)
            self.action_uses_jump()
        return True


@cache
def _view_keys(view_class: type[Widget]) -> frozenset[str]:
    """Every key ``view_class`` binds itself (worked out once per class)."""
    return frozenset(binding.key for binding in Binding.make_bindings(view_class.BINDINGS))
