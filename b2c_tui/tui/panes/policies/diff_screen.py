"""The policy set diff: every policy compared, changed ones first, one at a time in
:class:`DiffView` (side by side or unified, highlighted).

The list on the left is the domain's :func:`~b2c_tui.policies.diff.diff_sets` order (changed,
new, deleted, unchanged); moving in it shows that policy's diff. The texts compared are the
ones the domain compares (what Graph itself changes on upload set aside), so the counts in the
list and the diff agree. ``u``, ``]``/``[`` and ``z`` work from the list too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import OptionList, Static

from ....policies.diff import DiffStatus, PolicyDiff, normalize
from ...safe_text import safe
from ...screens.listing import ListScreen, modal_bindings
from ...widgets.diff_view import DiffView
from ...widgets.footer import BindingsFooter

#: Terminals narrower than this start the diff unified rather than side by side.
WIDE = 120
#: How each status reads in the list (a glyph, so it reads without colour).
STATUS_MARK = {DiffStatus.CHANGED: ("~", "changed", "bold"),
               DiffStatus.NEW: ("+", "new", "bold"),
               DiffStatus.DELETED: ("-", "only in the tenant", ""),
               DiffStatus.UNCHANGED: ("=", "unchanged", "dim")}


def diff_line(diff: PolicyDiff) -> Text:
    """One list entry: status glyph, id, and the lines added and removed."""
    mark, _word, style = STATUS_MARK[diff.status]
    text = Text(f"{mark} ", style=style, no_wrap=True, overflow="ellipsis")
    text.append(safe(diff.policy_id), style=style)
    if diff.status is DiffStatus.CHANGED:
        added, removed = diff.counts
        text.append(f"  +{added} -{removed}", style="dim")
    elif diff.status is not DiffStatus.UNCHANGED:
        text.append(f"  {_word}", style="dim italic")
    return text


def summary(diffs: Sequence[PolicyDiff]) -> str:
    counts = {s: sum(1 for d in diffs if d.status is s) for s in DiffStatus}
    parts = [f"{counts[s]} {STATUS_MARK[s][1]}" for s in DiffStatus if counts[s]]
    return ", ".join(parts) or "nothing to compare"


class PolicyDiffScreen(ListScreen[PolicyDiff]):
    """Policies compared across two sides (see the module docs). With ``upload`` (an edited
    copy), ``U`` goes on to the dry run of uploading it."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"upload"})
    BINDINGS: ClassVar[list[BindingType]] = modal_bindings(
        "policy_diff",
        Binding("U", "upload", "Dry run & upload", key_display="U", id="policy_diff.upload"),
        # The view's own actions (same names: the footer shows each key once): they work from
        # the list too.
        Binding("u", "toggle_unified", "Unified/side by side", id="policy_diff.unified"),
        Binding("right_square_bracket", "next_change", "Next change", key_display="]",
                id="policy_diff.next_change"),
        Binding("left_square_bracket", "previous_change", "Previous change", key_display="[",
                id="policy_diff.previous_change"),
        Binding("z", "toggle_fold", "Fold unchanged", id="policy_diff.fold"))

    def __init__(self, diffs: Sequence[PolicyDiff], title: str, *,
                 unified: bool | None = None, upload: Callable[[], None] | None = None,
                 read_only: bool = False) -> None:
        super().__init__(diffs, diff_line, id="policy-diff", read_only=read_only)
        self.title_text = title
        self.unified = unified
        self.upload = upload
        self.shown: int | None = None

    def compose(self) -> ComposeResult:
        title = Text(safe(self.title_text), style="bold")
        title.append(f"  {summary(self.items)}", style="dim")
        yield Static(title, id="policy-diff-title")
        with Horizontal(id="policy-diff-body"):
            yield self.item_list()
            # Side by side needs room: in a narrow terminal start unified (u switches).
            unified = self.app.size.width < WIDE if self.unified is None else self.unified
            yield DiffView(unified=unified, id="policy-diff-view")
        yield BindingsFooter()

    @property
    def view(self) -> DiffView:
        return self.query_one(DiffView)

    def show(self, index: int) -> None:
        """Show the diff of entry ``index`` (texts as the domain compares them)."""
        if self.shown == index:
            return
        self.shown = index
        diff = self.items[index]
        left = normalize(diff.left, other=diff.right) if diff.left is not None else ""
        right = normalize(diff.right, other=diff.left) if diff.right is not None else ""
        self.view.set_texts(left, right, old_label=f"{diff.left_label} {diff.policy_id}",
                            new_label=f"{diff.right_label} {diff.policy_id}")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.view.focus()

    def action_state(self, action: str) -> bool | None:
        if action == "upload":  # (hidden on a read-only tenant already)
            return self.upload is not None
        if action in ("toggle_unified", "next_change", "previous_change", "toggle_fold"):
            return True if self.items else None
        return True

    def action_upload(self) -> None:
        if self.upload is not None and not self.read_only:
            self.upload()

    def action_toggle_unified(self) -> None:
        self.view.action_toggle_unified()

    def action_next_change(self) -> None:
        self.view.action_next_change()

    def action_previous_change(self) -> None:
        self.view.action_previous_change()

    def action_toggle_fold(self) -> None:
        self.view.action_toggle_fold()
