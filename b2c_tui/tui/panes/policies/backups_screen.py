"""The local backup journal of this tenant's policies: every upload, restore and delete saved
what it overwrote first. ``R`` restores the backup under the cursor (after a confirmation that
names the policies; what the restore overwrites is backed up in turn), ``f`` compares it with
the tenant.

The screen lists and asks; the pane restores and compares (``intent(name, backup)``), and
calls :meth:`BackupsScreen.set_status` with the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static

from ....policies.backups import COMPLETE, Backup
from ...safe_text import safe
from ...screens.listing import ListScreen, modal_bindings
from ...widgets.footer import BindingsFooter

STATUS_MARK = {COMPLETE: "✓", "failed": "✗", "started": "…", "nothing-sent": "·"}


def backup_line(backup: Backup) -> Text:
    """``20261101T093000Z-push  ✓ 3 saved`` (the glyph is how it ended: ✓ complete, ✗
    failed, … interrupted, · nothing sent)."""
    text = Text(f"{safe(backup.name):<28} ", style="bold", no_wrap=True, overflow="ellipsis")
    text.append(f"{STATUS_MARK.get(backup.status, '?')} {len(backup.saved)} saved")
    return text


def backup_detail(backup: Backup) -> Text:
    """What the backup holds and how its operation ended."""
    text = Text(f"{safe(backup.name)}\n", style="bold")
    text.append(f"{backup.operation} on {safe(backup.tenant)}, {safe(backup.created)} "
                f"({backup.status})\n", style="dim")
    if backup.profile:
        text.append(f"profile {safe(backup.profile)}\n", style="dim")
    text.append("\nSaved (the tenant's copy before the change):\n", style="underline")
    for saved in backup.saved:
        text.append(f"  {safe(saved.policy_id)}  {saved.size:,} bytes\n")
    if not backup.saved:
        text.append("  nothing (the operation only created policies)\n", style="dim")
    if backup.created_policies:
        text.append("\nCreated by the operation (nothing to restore):\n", style="underline")
        for pid in backup.created_policies:
            text.append(f"  {safe(pid)}\n")
    if backup.done:
        verb = {"push": "Uploaded", "restore": "Restored", "delete": "Deleted"}.get(
            backup.operation, "Written")
        text.append(f"\n{verb}: {', '.join(safe(p) for p in backup.done)}\n")
    if backup.failed or backup.message:
        text.append(f"\nStopped at {safe(backup.failed or '?')}: {safe(backup.message or '')}\n",
                    style="bold")
    return text


class BackupsScreen(ListScreen[Backup]):
    """This tenant's policy backups, newest first (see the module docs)."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"restore"})
    BINDINGS: ClassVar[list[BindingType]] = modal_bindings(
        "policy_backups",
        Binding("R", "restore", "Restore", key_display="R", id="policy_backups.restore"),
        Binding("f", "compare", "Diff with tenant", id="policy_backups.compare"))

    def __init__(self, backups: Sequence[Backup], where: str, *, read_only: bool,
                 intent: Callable[[str, Backup, BackupsScreen], None]) -> None:
        super().__init__(backups, backup_line, id="policy-backups", read_only=read_only)
        self.where = where
        self.intent = intent
        self.busy = False

    def _title(self) -> Text:
        title = Text(f"Policy backups of {safe(self.where)}", style="bold")
        title.append(f"  {len(self.items)} backup(s), newest first", style="dim")
        return title

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="policy-backups-title")
        with Horizontal(id="policy-backups-body"):
            yield self.item_list()
            with VerticalScroll(id="policy-backups-right"):
                yield Static(Text("No backups yet: uploads, restores and deletes make them.",
                                  style="italic") if not self.items else "",
                             id="policy-backups-detail")
        yield Static("", id="policy-backups-status")
        yield BindingsFooter()

    def show(self, index: int) -> None:
        self.query_one("#policy-backups-detail", Static).update(
            backup_detail(self.items[index]))

    def action_state(self, action: str) -> bool | None:
        if action in ("restore", "compare"):
            backup = self.current
            if backup is None or self.busy:
                return None
            return True if backup.saved else None
        return True

    def _intent(self, name: str) -> None:
        backup = self.current
        if backup is not None and self.check_action(name, ()) is True:
            self.intent(name, backup, self)

    def action_restore(self) -> None:
        self._intent("restore")

    def action_compare(self) -> None:
        self._intent("compare")

    def set_backups(self, backups: Sequence[Backup]) -> None:
        """The journal changed (a restore backs up what it overwrites): list it again."""
        self.items = list(backups)
        listing = self.query_one(OptionList)
        listing.set_options(self.options())
        self.query_one("#policy-backups-title", Static).update(self._title())
        if self.items:
            listing.highlighted = 0

    def set_status(self, text: str | Text, *, error: bool = False, busy: bool = False) -> None:
        """A line under the list: progress, the outcome, or why it stopped."""
        self.busy = busy
        super().set_status(text, error=error)
        self.refresh_bindings()
