"""The list of uses drawn inline by :class:`~.view.XmlView`, like an editor's "peek references".

``u`` on an id opens a panel of rows right below the cursor's line (above it when there is no
room below, or the view scrolls so it fits): a title in its top border ("21 uses of objectId"),
then one row per use (policy id, line:column, the label), at most :data:`MAX_ROWS` at a time,
scrolling within. The widget paints these rows in :meth:`~.view.XmlView.render_line` over the
text lines they cover, so opening, moving and closing repaint a few lines of one widget: no
screen, no mounted widget, no layout (a modal list cost 22 ms a key, a panel widget shown and
hidden 24 ms; these cost what a cursor move costs).

:class:`UsesPanel` is the state and the drawing (no Textual events); :class:`XmlUsesPanel`,
mixed into the view, holds the keys, the mouse and the placement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.widget import Widget

from .display import visible
from .render import layer_style
from .resolver import Location

if TYPE_CHECKING:
    from .view import XmlView

#: Rows of uses shown at once; more scroll within the panel.
MAX_ROWS = 10
#: Border and title rows around the uses.
FRAME_ROWS = 2
#: Widest the policy-id column gets, as a share of the panel's inner width.
POLICY_SHARE = 0.4
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
PANEL_KEYS = frozenset({
    "down", "up", "pagedown", "pageup", "home", "ctrl+home", "end", "ctrl+end", "enter",
    "escape", "u", "shift+f12",
})


def panel_css(prefix: str) -> str:
    """The panel's component rules (theme colours only)."""
    return f"""
        & > .{prefix}--uses {{ background: $panel; color: $foreground; }}
        & > .{prefix}--uses-border {{ color: $primary; }}
        & > .{prefix}--uses-title {{ color: $foreground; text-style: bold; }}
        & > .{prefix}--uses-place {{ color: $foreground-muted; }}
        & > .{prefix}--uses-selected {{ background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; }}
        &:focus > .{prefix}--uses-selected {{ background: $block-cursor-background;
            color: $block-cursor-foreground; }}
    """


def panel_classes(prefix: str) -> set[str]:
    """Component class names of :func:`panel_css`."""
    return {f"{prefix}--uses{part}" for part in ("", "-border", "-title", "-place",
                                                  "-selected")}


@dataclass(frozen=True)
class PanelStyles:
    """Resolved styles for :meth:`UsesPanel.line`."""

    base: Style
    border: Style
    title: Style
    policy: Style
    place: Style
    label: Style
    selected: Style

    @classmethod
    def of(cls, widget: Widget, prefix: str) -> PanelStyles:
        base = widget.rich_style + layer_style(widget, f"{prefix}--uses")
        return cls(base=base, border=base + layer_style(widget, f"{prefix}--uses-border"),
                   title=base + layer_style(widget, f"{prefix}--uses-title"),
                   policy=base + Style(bold=True),
                   place=base + layer_style(widget, f"{prefix}--uses-place"),
                   label=base + Style(italic=True),
                   selected=layer_style(widget, f"{prefix}--uses-selected"))


def _cut(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class UsesPanel:
    """Every use of one id, which is picked, and where the panel sits.

    ``anchor`` is the 0-based document line the panel hangs from; ``offset`` is where its first
    row is drawn relative to that line's screen row (``1``: just below; ``-height``: just
    above), so the panel moves with the text when the view scrolls.
    """

    def __init__(self, name: str, locations: list[Location], anchor: int) -> None:
        self.name = name
        self.locations = list(locations)
        self.anchor = anchor
        self.rows = min(len(self.locations), MAX_ROWS)
        self.policy_width = max(cell_len(visible(loc.policy_id)) for loc in self.locations)
        self.place_widths = (len(str(max(loc.line for loc in self.locations))),
                             len(str(max(loc.column for loc in self.locations))))
        self.offset = 1
        self.selected = 0
        self.top = 0  # the first use shown

    @property
    def height(self) -> int:
        """Screen rows the panel covers."""
        return self.rows + FRAME_ROWS

    @property
    def chosen(self) -> Location:
        return self.locations[self.selected]

    @property
    def title(self) -> str:
        count = len(self.locations)
        return f"{count} use{'s' if count != 1 else ''} of {visible(self.name)}"

    def select(self, index: int) -> None:
        """Pick use ``index`` (clamped), scrolling the rows the least to show it."""
        self.selected = max(0, min(index, len(self.locations) - 1))
        if self.selected < self.top:
            self.top = self.selected
        elif self.selected >= self.top + self.rows:
            self.top = self.selected - self.rows + 1

    def use_at(self, row: int) -> int | None:
        """The use drawn on panel row ``row`` (0 is the title border), if any."""
        index = self.top + row - 1
        if 1 <= row <= self.rows and index < len(self.locations):
            return index
        return None

    def line(self, row: int, width: int, styles: PanelStyles) -> Strip:
        """Panel row ``row`` (0: the top border with the title; ``height - 1``: the bottom
        border) as a strip ``width`` cells wide."""
        if row == 0:
            return self._border("╭", "╮", f" {self.title} ", "", width, styles)
        if row == self.height - 1:
            where = f" {self.selected + 1}/{len(self.locations)} " \
                if len(self.locations) > self.rows else ""
            return self._border("╰", "╯", "", where, width, styles)
        inner = max(0, width - 4)  # "│ " and " │"
        index = self.use_at(row)
        segments = [Segment("│ ", styles.border)]
        if index is None:
            segments.append(Segment(" " * inner, styles.base))
        else:
            segments += self._use(self.locations[index], inner, styles, index == self.selected)
        segments.append(Segment(" │", styles.border))
        return Strip(segments).crop_extend(0, width, styles.base)

    @staticmethod
    def _border(left: str, right: str, title: str, note: str, width: int,
                styles: PanelStyles) -> Strip:
        """``╭─ title ───── note ─╮``, the title and the note cut to fit."""
        room = max(0, width - 4)  # the corners and one rule each side
        title = _cut(title, min(cell_len(title), room))
        note = _cut(note, min(cell_len(note), room - cell_len(title)))
        rule = "─" * max(0, room - cell_len(title) - cell_len(note))
        segments = [Segment(left + "─", styles.border), Segment(title, styles.title),
                    Segment(rule, styles.border), Segment(note, styles.place),
                    Segment("─" + right, styles.border)]
        return Strip(segments).crop_extend(0, width, styles.base)

    def _use(self, location: Location, width: int, styles: PanelStyles,
             selected: bool) -> list[Segment]:
        """One use: policy id, line:column and label (tenant text, shown literally)."""
        policy_width = min(self.policy_width, int(width * POLICY_SHARE))
        policy = _cut(visible(location.policy_id), policy_width)
        digits, column_digits = self.place_widths
        place = f"  {location.line:>{digits}}:{location.column:<{column_digits}}  "
        label = _cut(" ".join(visible(location.label).split()),
                     max(0, width - policy_width - len(place)))
        parts = [(policy, styles.policy), (place, styles.place), (label, styles.label)]
        if selected:
            parts = [(text, style + styles.selected) for text, style in parts]
        base = styles.base + styles.selected if selected else styles.base
        # A narrow panel cuts the row (the place column does not shrink).
        return list(Strip([Segment(text, style) for text, style in parts if text])
                    .crop_extend(0, width, base))


class XmlUsesPanel:
    """The uses panel's keys, mouse and placement, mixed into :class:`~.view.XmlView`.

    While the panel is open its keys (:func:`panel_bindings`) move the pick, ``enter`` jumps
    there (remembered for ``back``), ``escape`` or ``u`` close it with the cursor where it was,
    and a click on a row jumps to that use. Any other key the viewer binds (search, go to line,
    back, left and right...) closes the panel first and then does what it always does: the
    list is about the id under the cursor, and those keys move away from it.
    """

    @property
    def _view(self) -> XmlView:
        return cast("XmlView", self)

    @property
    def uses_panel(self) -> UsesPanel | None:
        """The open list of uses (``None``: closed)."""
        return cast("UsesPanel | None", self.__dict__.get("_uses_panel"))

    def open_uses(self, name: str, locations: list[Location]) -> None:
        """Open the panel listing ``locations`` (every use of ``name``) under the cursor's line.
        """
        view = self._view
        self.close_uses(quiet=True)
        panel = UsesPanel(name, locations, view._line)
        self.__dict__["_uses_panel"] = panel
        self._place(panel)
        self._refresh_panel(panel)
        view.refresh_bindings()

    def close_uses(self, *, quiet: bool = False) -> None:
        """Close the panel (if open), repainting the lines it covered."""
        panel = self.uses_panel
        if panel is None:
            return
        self.__dict__["_uses_panel"] = None
        self._refresh_panel(panel)
        if not quiet:
            self._view.refresh_bindings()

    def drop_uses(self) -> None:
        """Forget the panel without repainting (the document is being replaced)."""
        self.__dict__["_uses_panel"] = None

    # -- placement and painting -------------------------------------------------------------
    def _anchor_row(self, panel: UsesPanel) -> int:
        """The screen row of the line the panel hangs from (row 0 is the header)."""
        return panel.anchor - self._view.scroll_offset.y + 1

    def _place(self, panel: UsesPanel) -> None:
        """Below the line if it fits, else above it, else scroll the text up so it fits below
        (else, on a very short view, as many rows as fit on the roomier side)."""
        view = self._view
        page = view.page_size
        panel.rows = max(1, min(panel.rows, page - FRAME_ROWS - 1))
        row = self._anchor_row(panel)
        if not 1 <= row <= page:  # scrolled away with the mouse: bring the line back
            view.scroll_cursor_into_view(center=True)
            row = self._anchor_row(panel)
        height = panel.height
        if row + height <= page:
            panel.offset = 1
            return
        if row - height >= 1:
            panel.offset = -height
            return
        want = min(panel.anchor + 1 + height - page, int(view.max_scroll_y))
        if want > view.scroll_offset.y:
            view.scroll_to(y=want, animate=False, force=True, immediate=True)
            row = self._anchor_row(panel)
        below, above = page - row, row - 1
        if below >= height or below >= above:
            panel.rows = max(1, min(panel.rows, below - FRAME_ROWS))
            panel.offset = 1
        else:
            panel.rows = max(1, min(panel.rows, above - FRAME_ROWS))
            panel.offset = -panel.height
        panel.select(panel.selected)

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


def _view_keys(view_class: type[Widget]) -> frozenset[str]:
    """Every key ``view_class`` binds itself."""
    keys = _VIEW_KEYS.get(view_class)
    if keys is None:
        keys = frozenset(binding.key for binding in Binding.make_bindings(view_class.BINDINGS))
        _VIEW_KEYS[view_class] = keys
    return keys


_VIEW_KEYS: dict[type[Widget], frozenset[str]] = {}
