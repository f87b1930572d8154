"""The list of uses drawn inline by :class:`~.view.XmlView`, like an editor's "peek references".

``u`` on an id opens a panel of rows right below the cursor's line (above it when there is no
room below, or the view scrolls so it fits): a title in its top border ("21 uses of objectId"),
then one row per use (policy id, line:column, the label), at most :data:`MAX_ROWS` at a time,
scrolling within. The widget paints these rows in :meth:`~.view.XmlView.render_line` over the
text lines they cover, so opening, moving and closing repaint a few lines of one widget: no
screen, no mounted widget, no layout (a modal list cost 22 ms a key, a panel widget shown and
hidden 24 ms; these cost what a cursor move costs).

:class:`UsesPanel` here is the state and the drawing (no Textual events);
:class:`~.uses_actions.XmlUsesPanel`, mixed into the view, holds the keys, the mouse and the
placement.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ..table.painter import fit
from .display import visible
from .render import layer_style
from .resolver import Location

#: Rows of uses shown at once; more scroll within the panel.
MAX_ROWS = 10
#: Border and title rows around the uses.
FRAME_ROWS = 2
#: Widest the policy-id column gets, as a share of the panel's inner width.
POLICY_SHARE = 0.4


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
        uses = f"{count} use{'s' if count != 1 else ''}"
        return f"{uses} of {visible(self.name)}" if self.name else uses

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
        title = fit(title, min(cell_len(title), room))
        note = fit(note, min(cell_len(note), room - cell_len(title)))
        rule = "─" * max(0, room - cell_len(title) - cell_len(note))
        segments = [Segment(left + "─", styles.border), Segment(title, styles.title),
                    Segment(rule, styles.border), Segment(note, styles.place),
                    Segment("─" + right, styles.border)]
        return Strip(segments).crop_extend(0, width, styles.base)

    def _use(self, location: Location, width: int, styles: PanelStyles,
             selected: bool) -> list[Segment]:
        """One use: policy id, line:column and label (tenant text, shown literally)."""
        policy_width = min(self.policy_width, int(width * POLICY_SHARE))
        policy = fit(visible(location.policy_id), policy_width)
        digits, column_digits = self.place_widths
        place = f"  {location.line:>{digits}}:{location.column:<{column_digits}}  "
        label = fit(" ".join(visible(location.label).split()),
                     max(0, width - policy_width - len(place)))
        parts = [(policy, styles.policy), (place, styles.place), (label, styles.label)]
        if selected:
            parts = [(text, style + styles.selected) for text, style in parts]
        base = styles.base + styles.selected if selected else styles.base
        # A narrow panel cuts the row (the place column does not shrink).
        return list(Strip([Segment(text, style) for text, style in parts if text])
                    .crop_extend(0, width, base))
