"""The upload: the dry run first (new / changed with its diff / unchanged / refused by lint),
then ``U`` to upload after a confirmation, with progress per policy and, on a failure, the
policy named, Graph's message with the line it points to, and what was already uploaded.

The screen shows and asks; the pane does the work (``upload``: it confirms, backs up what the
upload overwrites and sends, calling :meth:`UploadScreen.progress` and :meth:`finished`).
Items are in upload order (bases first); the ones that would be sent are marked ``→``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static

from ....policies.diff import normalize
from ....policies.plan import Action, PlanItem, UploadPlan
from ....policies.push import WriteResult
from ...safe_text import safe
from ...screens.listing import ListScreen, modal_bindings
from ...widgets.diff_view import DiffView
from ...widgets.footer import BindingsFooter
from .lint_screen import finding_line

ACTION_MARK = {Action.NEW: "+", Action.CHANGED: "~", Action.UNCHANGED: "=", Action.REFUSED: "✗"}
#: what happened to an item once the upload ran
DONE, FAILED, SKIPPED = "✓", "✗", "·"
STATE_WORDS = {DONE: "uploaded", FAILED: "failed", SKIPPED: "not uploaded"}
LEGEND = ("→ will be sent · + new · ~ changed · = unchanged · ✗ refused by lint; "
          "after the upload: ✓ uploaded · ✗ failed · · not uploaded")


def plan_counts(plan: UploadPlan) -> dict[str, tuple[int, int]]:
    """Lines (added, removed) of each changed policy of the plan (a line diff each: call it
    in a thread)."""
    return {i.policy_id: i.diff.counts for i in plan.items if i.action is Action.CHANGED}


def plan_title(plan: UploadPlan) -> Text:
    """``Upload ./policies → tenant (prefix Dev_) · 2 changed, 4 unchanged · would send 2``."""
    text = Text(f"Upload {safe(plan.folder)} → {safe(plan.tenant)}", style="bold")
    how = []
    if plan.prefix:
        how.append(f"prefix {safe(plan.prefix)}")
    if plan.settings_path is not None:
        how.append(f"settings {safe(Path(plan.settings_path).name)}")
    if plan.force_all:
        how.append("unchanged too")
    if how:
        text.append(f" ({', '.join(how)})")
    counts = ", ".join(f"{n} {a}" for a, n in plan.counts().items() if n)
    text.append(f"  · {counts or 'no policies'}", style="dim")
    if plan.blocked:
        text.append("  · refused by lint: nothing will be sent", style="bold")
    else:
        text.append(f"  · would upload {len(plan.to_send)}", style="dim")
    text.append(f"\n{LEGEND}", style="dim italic")
    return text


class UploadScreen(ListScreen[PlanItem]):
    """A dry run and, on ``U``, the upload it describes (see the module docs)."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"upload"})
    BINDINGS: ClassVar[list[BindingType]] = modal_bindings(
        "policy_upload",
        Binding("U", "upload", "Upload", key_display="U", id="policy_upload.upload"),
        Binding("u", "toggle_unified", "Unified/side by side", id="policy_upload.unified"))

    def __init__(self, plan: UploadPlan, *, read_only: bool,
                 upload: Callable[[UploadScreen], None],
                 counts: dict[str, tuple[int, int]]) -> None:
        super().__init__(plan.items, self._line, id="policy-upload", read_only=read_only)
        self.plan = plan
        #: lines (added, removed) of each changed policy (:func:`plan_counts`, in a thread)
        self.counts = counts
        self.upload = upload
        self.state: dict[str, str] = {}
        self.running = False
        self.result: WriteResult | None = None
        self.shown: int | None = None

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(plan_title(self.plan), id="policy-upload-title")
        with Horizontal(id="policy-upload-body"):
            yield self.item_list()
            with Vertical(id="policy-upload-right"):
                yield Static("", id="policy-upload-detail")
                yield DiffView(id="policy-upload-diff")
        yield Static(self._hint(), id="policy-upload-status")
        yield BindingsFooter()

    def _line(self, item: PlanItem) -> Text:
        """``→ ~ B2C_1A_X  +3 -1`` (see :data:`LEGEND`); once uploaded ``✓ ~ B2C_1A_X``."""
        state = self.state.get(item.policy_id)
        sent = item.send and not self.plan.blocked
        lead = state or ("→" if sent else " ")
        loud = (state is not None and state != SKIPPED) or (state is None and (
            sent or item.action is Action.REFUSED))
        text = Text(f"{lead} {ACTION_MARK[item.action]} ", style="bold" if loud else "dim",
                    no_wrap=True, overflow="ellipsis")
        text.append(safe(item.policy_id), style="bold" if loud else "dim")
        if item.policy_id in self.counts:
            added, removed = self.counts[item.policy_id]
            text.append(f"  +{added} -{removed}", style="dim")
        return text

    def _hint(self) -> Text:
        if self.plan.blocked:
            refused = ", ".join(i.policy_id for i in self.plan.refused) or "the folder"
            return Text(f"Refused by lint ({safe(refused)}): fix the findings and run the dry "
                        "run again. Nothing was sent.", style="bold")
        if not self.plan.to_send:
            return Text("Nothing to upload: the tenant already has these policies.")
        if self.read_only:
            return Text("Read-only: this is the dry run only; nothing can be uploaded.")
        return Text(f"Dry run: nothing was sent. U uploads {len(self.plan.to_send)} "
                    "(after a confirmation; what it overwrites is backed up first).")

    def first_item(self) -> int:
        # Start on what matters: the first policy that would be sent (or refused).
        return next((n for n, i in enumerate(self.plan.items)
                     if i.send or i.action is Action.REFUSED), 0)

    # -- the item shown --------------------------------------------------------------------
    def show(self, index: int) -> None:
        if self.shown == index:
            return
        self.shown = index
        item = self.plan.items[index]
        state = self.state.get(item.policy_id)
        detail = Text(f"{safe(item.policy_id)}  ", style="bold")
        detail.append(f"{item.action.value}" + (f", {STATE_WORDS[state]}" if state else "")
                      + f"  {safe(item.source)}", style="dim")
        for finding in item.findings:
            detail.append("\n")
            detail.append_text(finding_line(finding, 0))
        self.query_one("#policy-upload-detail", Static).update(detail)
        left = normalize(item.tenant_text, other=item.text) if item.tenant_text else ""
        right = normalize(item.text, other=item.tenant_text)
        self.query_one(DiffView).set_texts(left, right, old_label=f"tenant {item.policy_id}",
                                           new_label=f"local {item.policy_id}")

    # -- the upload ------------------------------------------------------------------------
    def action_state(self, action: str) -> bool | None:
        if action == "upload":
            return None if self.running or self.result is not None or not self.plan.to_send \
                else True
        return True

    def action_upload(self) -> None:
        if self.check_action("upload", ()) is True:
            self.upload(self)

    def started(self) -> None:
        """The pane began: backups first, then the uploads."""
        self.running = True
        self.set_status("Backing up what the upload overwrites…")
        self.refresh_bindings()

    def progress(self, policy_id: str, done: int, total: int) -> None:
        """One more policy was uploaded."""
        self.state[policy_id] = DONE
        self._relabel()
        self.set_status(f"Uploading… {done}/{total} ({safe(policy_id)})")

    def finished(self, result: WriteResult | None, error: str = "") -> None:
        """The upload ended: ``result`` (ok or stopped at a policy), or ``error`` when it was
        refused before anything was sent."""
        self.running = False
        self.result = result
        if result is None:
            self.set_status(Text(f"✗ {safe(error)}", style="bold"), error=True)
        else:
            for pid in result.done:
                self.state[pid] = DONE
            if result.failed:
                self.state[result.failed] = FAILED
                for pid in result.not_done:
                    self.state[pid] = SKIPPED
            self._relabel()
            self.set_status(result_text(result), error=not result.ok)
        self.refresh_bindings()

    def _relabel(self) -> None:
        listing = self.query_one(OptionList)
        for n, item in enumerate(self.plan.items):
            listing.replace_option_prompt_at_index(n, self._line(item))
        if self.shown is not None:  # its detail line says what happened too
            index, self.shown = self.shown, None
            self.show(index)

    def action_toggle_unified(self) -> None:
        self.query_one(DiffView).action_toggle_unified()


def result_text(result: WriteResult) -> Text:
    """What happened, for a person: the domain's summary, the line Graph points to, the
    backup to restore from."""
    text = Text(("✓ " if result.ok else "✗ ") + safe(result.summary()),
                style="" if result.ok else "bold")
    if result.error_excerpt:
        text.append(f"\n  line {result.error_line}: ", style="dim")
        text.append(safe(result.error_excerpt[:160]))
    if result.backup is not None and result.backup.saved:
        text.append(f"\nBackup {safe(result.backup.name)} ({len(result.backup.saved)} saved): "
                    "b in the policies pane restores from it.", style="dim")
    return text
