"""``DiffView``: two versions of a policy side by side or unified, fluid at any size.

The diff (:func:`b2c_tui.policies.diff.diff_lines`, the CLI's engine too) is computed in a
worker thread; rows come from a layout of a few segments (:mod:`.layout`), and each screen line
is painted straight from the two documents' lines (Line API), with XML colours lexed in a thread
for what is on screen (the viewer's highlighter). Keys: ``]``/``[`` next and previous change,
``u`` unified or side by side, ``z`` fold or show unchanged lines, arrows and pages to move.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ....policies.diff import Opcode, diff_lines
from ..exposed import Exposed
from ..messages import WidgetMessage
from ..moving import movement_bindings
from ..view_css import view_css
from ..xml_view.document import Document
from ..xml_view.jobs import HighlightJobs, Offload
from ..xml_view.render import syntax_classes, syntax_css
from .layout import DiffLayout, build_layout
from .render import PREFIX, DiffPainter, DiffStyles

#: Texts up to this size (both together) are diffed on the event loop; larger ones in a thread.
SYNC_LIMIT = 64 * 1024
#: Cells a ``left``/``right`` press scrolls.
SCROLL_STEP = 8


def _compute(old: str, new: str) -> tuple[Document, Document, list[Opcode]]:
    old_doc, new_doc = Document.build(old), Document.build(new)
    return old_doc, new_doc, diff_lines(old_doc.lines, new_doc.lines)


class DiffView(Offload, ScrollView, can_focus=True):
    """The differences between an old and a new text (XML), with change navigation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *movement_bindings("diff", sideways="scroll"),
        Binding("home,ctrl+home", "first_row", "Top", show=False, id="diff.first_row"),
        Binding("end,ctrl+end", "last_row", "Bottom", show=False, id="diff.last_row"),
        Binding("right_square_bracket", "next_change", "Next change", key_display="]",
                id="diff.next_change"),
        Binding("left_square_bracket", "previous_change", "Previous change", key_display="[",
                id="diff.previous_change"),
        Binding("u", "toggle_unified", "Unified/side by side", id="diff.toggle_unified"),
        Binding("z", "toggle_fold", "Fold unchanged", id="diff.toggle_fold"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"{PREFIX}--{name}" for name in ("header", "gutter", "cursor", "removed", "added",
                                         "changed", "removed-part", "added-part", "fold",
                                         "empty")
    } | syntax_classes(PREFIX)

    DEFAULT_CSS = "DiffView {" + view_css(PREFIX, cursor_style="text-style: bold;") + """
        & > .diff-view--gutter { color: $foreground-muted; }
        & > .diff-view--removed { background: $error 18%; }
        & > .diff-view--added { background: $success 18%; }
        & > .diff-view--changed { background: $warning 14%; }
        & > .diff-view--removed-part { background: $error 45%; }
        & > .diff-view--added-part { background: $success 45%; }
        & > .diff-view--fold { background: $panel; color: $foreground-muted;
            text-style: italic; }
        & > .diff-view--empty { background: $panel; }
    """ + syntax_css(PREFIX) + """
    }
    """

    @dataclass
    class Ready(WidgetMessage["DiffView"]):
        """The diff is computed: ``changes`` blocks, ``added`` and ``removed`` lines."""

        changes: int
        added: int
        removed: int

    def __init__(self, old: str = "", new: str = "", *, old_label: str = "",
                 new_label: str = "", unified: bool = False, folded: bool = True,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.old_label = old_label
        self.new_label = new_label
        self._unified = unified
        self._folded = folded
        self._initial = (old, new)
        self._started = False  # on_mount has run (is_mounted is still False inside it)
        self.old_doc = Document.build("")
        self.new_doc = Document.build("")
        self._ops: list[Opcode] | None = None
        self._counts = (0, 0)
        self._layout: DiffLayout | None = None
        self._generation = 0
        self._cursor = 0
        self.jobs = HighlightJobs(self)
        self._painter = DiffPainter(self)
        self._styles: DiffStyles | None = None

    # -- public API -------------------------------------------------------------------------
    def set_texts(self, old: str, new: str, *, old_label: str | None = None,
                  new_label: str | None = None) -> None:
        """Diff ``old`` against ``new`` (in a thread when large); labels name the two sides
        in the header (a policy id and "tenant", a file name, a backup's time)."""
        if old_label is not None:
            self.old_label = old_label
        if new_label is not None:
            self.new_label = new_label
        if not self._started:
            self._initial = (old, new)
            return
        self._generation += 1
        generation = self._generation
        if len(old) + len(new) <= SYNC_LIMIT:
            self._ready(generation, _compute(old, new))
            return
        self._ops = None
        self._layout = None
        self.refresh()
        self.offload(lambda: _compute(old, new), lambda result: self._ready(generation, result),
                     group="diff-compute", exclusive=True)

    @property
    def computing(self) -> bool:
        """Whether the diff is still being computed."""
        return self._layout is None

    @property
    def opcodes(self) -> list[Opcode]:
        """The diff (``difflib``-style opcodes over lines); empty while computing."""
        return list(self._ops or [])

    diff_layout = Exposed[DiffLayout | None]("_layout", "The rows shown (None while computing).")
    unified = Exposed[bool]("_unified", "Whether the diff is one column rather than two.")
    folded = Exposed[bool]("_folded", "Whether runs of unchanged lines are folded.")
    cursor_row = Exposed[int]("_cursor", "The layout row under the cursor.")
    counts = Exposed[tuple[int, int]]("_counts", "Lines (added, removed).")

    @property
    def change_count(self) -> int:
        return len(self._layout.hunks) if self._layout else 0

    @property
    def current_change(self) -> int | None:
        """The 0-based index of the change at or above the cursor."""
        return self._layout.hunk_at(self._cursor) if self._layout else None

    @property
    def summary_text(self) -> str:
        if self._layout is None:
            return "comparing…"
        if not self._layout.hunks:
            return "no differences"
        added, removed = self.counts
        current = self.current_change
        count = len(self._layout.hunks)
        where = f"change {current + 1}/{count}" if current is not None else f"{count} changes"
        return f"{where} · +{added:,} -{removed:,}"

    @property
    def digits(self) -> int:
        """Width of the line numbers."""
        return len(str(max(self.old_doc.line_count, self.new_doc.line_count, 1)))

    @property
    def page_size(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- computing --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._started = True
        old, new = self._initial
        if old or new:
            self.set_texts(old, new)

    def _ready(self, generation: int, result: tuple[Document, Document, list[Opcode]]) -> None:
        if generation != self._generation:
            return
        self.old_doc, self.new_doc, self._ops = result
        changes = [op for op in self._ops if op.tag != "equal"]
        self._counts = (sum(op.b1 - op.b0 for op in changes),
                        sum(op.a1 - op.a0 for op in changes))
        self._relayout(first=True)
        added, removed = self.counts
        self.post_message(self.Ready(self, self.change_count, added, removed))

    def _relayout(self, *, first: bool = False) -> None:
        if self._ops is None:
            return
        keep = None if first or self._layout is None else self._layout.row(
            min(self._cursor, max(0, self._layout.rows - 1)))
        self._layout = build_layout(self._ops, unified=self._unified, folded=self._folded)
        self._update_virtual_size()
        if keep is not None:
            row = self._layout.row_of(old=keep.old, new=keep.new if keep.old is None else None)
            self._move(row, center=True)
        elif self._layout.hunks:
            self._move(self._layout.hunks[0], center=True)
        else:
            self._move(0)
        self.refresh()
        self.refresh_bindings()

    @property
    def text_width(self) -> int:
        """Cells of text in a row (in one half, side by side), beside the gutters."""
        width = self.scrollable_content_region.width
        if self._unified:
            return max(1, width - (2 * self.digits + 4))
        return max(1, (width - 1) // 2 - (self.digits + 3))

    def _update_virtual_size(self) -> None:
        # Scrolling right moves the text inside each half: the view is as much wider than the
        # screen as the longest line is wider than a half's text.
        if self._layout is None:
            return
        longest = max(self.old_doc.max_length, self.new_doc.max_length) + 1
        extra = max(0, longest - self.text_width)
        self.virtual_size = Size(self.scrollable_content_region.width + extra,
                                 self._layout.rows + 1)

    def on_resize(self) -> None:
        self._update_virtual_size()

    # -- moving -----------------------------------------------------------------------------
    def _move(self, row: int, *, center: bool = False) -> None:
        layout = self._layout
        if layout is None or not layout.rows:
            return
        old = self._cursor
        self._cursor = max(0, min(row, layout.rows - 1))
        if not self.scrollable_content_region.height:  # not laid out yet: scroll once it is
            self.call_after_refresh(self._move, self._cursor, center=center)
            return
        top, page = self.scroll_offset.y, self.page_size
        y = top
        if not top <= self._cursor < top + page:
            y = self._cursor - min(3, page // 3) if center else (
                self._cursor if self._cursor < top else self._cursor - page + 1)
        y = max(0, min(y, layout.rows - page))
        if y != top:
            self.scroll_to(y=y, animate=False, force=True, immediate=True)
        if old != self._cursor:
            self._refresh_row(old)
            self._refresh_row(self._cursor)
            self.refresh(Region(0, 0, self.size.width, 1))

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._layout is None:
            return None
        if action in ("next_change", "previous_change"):
            return True if self._layout.hunks else None
        return True

    def action_cursor_up(self) -> None:
        self._move(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self._cursor + 1)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_offset.y - self.page_size, animate=False, force=True,
                       immediate=True)
        self._move(self._cursor - self.page_size)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_offset.y + self.page_size, animate=False, force=True,
                       immediate=True)
        self._move(self._cursor + self.page_size)

    def action_first_row(self) -> None:
        self._move(0)

    def action_last_row(self) -> None:
        self._move(self._layout.rows - 1 if self._layout else 0)

    def action_scroll_left(self) -> None:
        self.scroll_to(x=max(0, self.scroll_offset.x - SCROLL_STEP), animate=False,
                       force=True, immediate=True)

    def action_scroll_right(self) -> None:
        self.scroll_to(x=self.scroll_offset.x + SCROLL_STEP, animate=False, force=True,
                       immediate=True)

    def action_next_change(self) -> None:
        """Go to the next change (after the last one, back to the first, saying so)."""
        layout = self._layout
        if layout is None or not layout.hunks:
            return
        index = bisect_right(layout.hunks, self._cursor)
        if index < len(layout.hunks):
            self._move(layout.hunks[index], center=True)
        else:
            self._move(layout.hunks[0], center=True)
            self.notify("Wrapped to the first change", timeout=2)

    def action_previous_change(self) -> None:
        """Go to the previous change (before the first, to the last one, saying so)."""
        layout = self._layout
        if layout is None or not layout.hunks:
            return
        index = bisect_left(layout.hunks, self._cursor) - 1
        if index >= 0:
            self._move(layout.hunks[index], center=True)
        else:
            self._move(layout.hunks[-1], center=True)
            self.notify("Wrapped to the last change", timeout=2)

    def action_toggle_unified(self) -> None:
        """Switch between side by side and unified, staying on the same line."""
        self._unified = not self._unified
        self._relayout()

    def action_toggle_fold(self) -> None:
        """Fold unchanged runs into one row, or show every line."""
        self._folded = not self._folded
        self._relayout()

    # -- painting ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def render_line(self, y: int) -> Strip:
        if self._styles is None:
            self._styles = DiffStyles.of(self)
        styles = self._styles
        width = self.scrollable_content_region.width
        if y == 0:
            return self._painter.header(width, styles)
        layout = self._layout
        index = self.scroll_offset.y + y - 1
        if layout is None or index >= layout.rows:
            return Strip.blank(width, styles.base)
        return self._painter.row(index, layout.row(index), width, styles)
