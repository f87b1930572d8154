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
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ....policies.backups import COMPLETE, Backup
from ...keys import WriteGuard
from ...safe_text import safe
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


class BackupsScreen(WriteGuard, ModalScreen[None]):
    """This tenant's policy backups, newest first (see the module docs)."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"restore"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="policy_backups.close"),
        Binding("R", "restore", "Restore", key_display="R", id="policy_backups.restore"),
        Binding("f", "compare", "Diff with tenant", id="policy_backups.compare"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
    ]

    def __init__(self, backups: Sequence[Backup], where: str, *, read_only: bool,
                 intent: Callable[[str, Backup, BackupsScreen], None]) -> None:
        super().__init__(id="policy-backups")
        self.backups = list(backups)
        self.where = where
        self.read_only = read_only
        self.intent = intent
        self.busy = False

    def compose(self) -> ComposeResult:
        title = Text(f"Policy backups of {safe(self.where)}", style="bold")
        title.append(f"  {len(self.backups)} backup(s), newest first", style="dim")
        yield Static(title, id="policy-backups-title")
        with Horizontal(id="policy-backups-body"):
            yield OptionList(*(Option(backup_line(b), id=str(i))
                               for i, b in enumerate(self.backups)), id="policy-backups-list")
            with VerticalScroll(id="policy-backups-right"):
                yield Static(Text("No backups yet: uploads, restores and deletes make them.",
                                  style="italic") if not self.backups else "",
                             id="policy-backups-detail")
        yield Static("", id="policy-backups-status")
        yield BindingsFooter()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if self.backups:
            listing.highlighted = 0
        listing.focus()

    @property
    def current(self) -> Backup | None:
        index = self.query_one(OptionList).highlighted
        return self.backups[index] if index is not None and self.backups else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        backup = self.current
        if backup is not None:
            self.query_one("#policy-backups-detail", Static).update(backup_detail(backup))
        self.refresh_bindings()

    def guard_read_only(self) -> bool:
        return self.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.write_hidden(action, parameters):
            return False
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
        self.backups = list(backups)
        listing = self.query_one(OptionList)
        listing.set_options(Option(backup_line(b), id=str(i))
                            for i, b in enumerate(self.backups))
        title = Text(f"Policy backups of {safe(self.where)}", style="bold")
        title.append(f"  {len(self.backups)} backup(s), newest first", style="dim")
        self.query_one("#policy-backups-title", Static).update(title)
        if self.backups:
            listing.highlighted = 0

    def set_status(self, text: str | Text, *, error: bool = False, busy: bool = False) -> None:
        """A line under the list: progress, the outcome, or why it stopped."""
        self.busy = busy
        status = self.query_one("#policy-backups-status", Static)
        status.update(text if isinstance(text, Text) else Text(safe(text)))
        status.set_class(error, "-error")
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)
