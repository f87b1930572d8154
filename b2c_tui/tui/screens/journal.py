"""``JournalScreen``: the tenant's change journal in the explorer, and undo (``ctrl+z``).

Lists the most recent entries, newest first: every commit of inline edits and every delete
made from the explorer (and the CLI and the Python API: they share the journal). The line
under the table shows the highlighted entry in full: old → new per property, Graph's answer,
and whether it can be undone, said plainly before anything is tried. ``u`` undoes the entry
(:func:`b2c_tui.changes.undo`: a PATCH back to the old values, or a restore from deleted
items), ``U`` every change of its commit; what cannot be undone is refused with the reason
and nothing is sent. Undo is a write: hidden on a read-only tenant. The journal file is read
off the event loop.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...changes import (
    RESTORABLE,
    CannotUndoError,
    JournalEntry,
    ReconcileResult,
    reconcile,
    undo,
)
from ...changes.secrets import has_secret
from ...graph.errors import B2CTuiError
from ..keys import WriteGuard
from ..safe_text import safe
from ..value_text import value_text
from ..widgets.footer import BindingsFooter
from .listing import cursor_item

if TYPE_CHECKING:
    from ...connection import Connection

#: entries listed (the most recent); the CLI's ``b2c-tui journal list`` shows them all
LIMIT = 500
STATE_STYLE = {"done": "", "failed": "bold", "pending": "bold italic", "unknown": "bold",
               "not_applied": "dim", "undone": "dim"}


def undo_hint(entry: JournalEntry, entries: dict[str, JournalEntry]) -> str:
    """Whether ``entry`` can be undone, and how, before anything is tried."""
    if entry.state == "undone":
        by = entries.get(entry.undone_by or "")
        when = f" at {by.time}" if by else ""
        return f"Undone{when}."
    if entry.state != "done":
        return f"This change is {entry.state.replace('_', ' ')}: only a change that was made " \
               "can be undone."
    if entry.op == "restore":
        return "A restore is undone by deleting the object again."
    if entry.op == "delete":
        if entry.kind not in RESTORABLE:
            return (f"Cannot be undone: Graph does not keep a deleted {entry.kind} in deleted "
                    "items.")
        return "u restores it from deleted items (Graph keeps it 30 days, unless purged)."
    if has_secret(entry.new) or has_secret(entry.old):
        return "Cannot be undone: the journal never keeps passwords or secrets."
    if entry.undoes:
        return "u makes the undone change again (refused if the object was changed since)."
    return "u sets the old values back (refused if the object was changed since)."


def _cut(text: str, width: int) -> str:
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _values(entry: JournalEntry) -> str:
    if entry.op != "update":
        return ""
    return "; ".join(f"{k}: {_show(entry.old.get(k))} → {_show(entry.new.get(k))}"
                     for k in entry.properties)


def _show(value: Any) -> str:
    return value_text(value, empty="(empty)", yes="yes", no="no", separator="; ")


class JournalScreen(WriteGuard, ModalScreen[None]):
    """The journal of the open tenant; see the module docs. ``undone(entry)`` is called
    after each successful undo (the app hands it to the panes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="journal.close"),
        Binding("u", "undo", "Undo", id="journal.undo"),
        Binding("U", "undo_commit", "Undo commit", id="journal.undo_commit"),
        Binding("r", "reload", "Refresh", id="journal.reload"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
    ]
    write_actions = frozenset({"undo", "undo_commit"})

    def __init__(self, connection: Connection, *,
                 undone: Callable[[JournalEntry], None] | None = None) -> None:
        super().__init__(id="journal")
        self.connection = connection
        self.journal = connection.journal()
        self.undone = undone
        self.entries: list[JournalEntry] = []
        self._by_id: dict[str, JournalEntry] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Journal: loading…", style="bold"), id="journal-title")
        yield DataTable(id="journal-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-detail")
        yield BindingsFooter()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        for label in ("When (UTC)", "State", "Change", "Object", "What"):
            table.add_column(Text(label, style="bold"), key=label)
        table.focus()
        self.load()

    def on_resize(self) -> None:
        if self._by_id:
            self.fill()

    # -- content ---------------------------------------------------------------------------
    @work(group="journal-read", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        """Read the journal (in a thread) and show the newest entries first."""
        try:
            entries = await asyncio.to_thread(self.journal.entries)
        except B2CTuiError as exc:
            self.query_one("#journal-title", Static).update(
                Text(f"Cannot read the journal: {safe(str(exc))}", style="bold"))
            return
        self._by_id = {e.id: e for e in entries}
        self.entries = list(reversed(entries))[:LIMIT]
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        current = self.current()
        row = table.cursor_row
        table.clear()
        # The changed values get what the other columns leave (whole in the line below).
        room = max(16, self.size.width - 80)
        for entry in self.entries:
            what = "undo" if entry.undoes else entry.op
            who = Text(_cut(safe(entry.display_name) or safe(entry.object_id), 24))
            who.append(f"  {safe(entry.kind)}", style="dim")
            table.add_row(Text(entry.time.replace("T", " ").rstrip("Z")),
                          Text(entry.state.replace("_", " "),
                               style=STATE_STYLE.get(entry.state, "")),
                          Text(what), who, Text(_cut(safe(_values(entry)), room)),
                          key=entry.id)
        if self.entries:
            # The cursor stays on its entry (an undo adds one above it).
            ids = [e.id for e in self.entries]
            if current is not None and current.id in ids:
                row = ids.index(current.id)
            table.move_cursor(row=min(max(row, 0), len(self.entries) - 1))
        count = len(self._by_id)
        shown = f" (the latest {LIMIT})" if count > LIMIT else ""
        title = Text(f"Journal of {safe(self.journal.tenant)}: {count} entries{shown}",
                     style="bold")
        title.append(f" · {safe(str(self.journal.path))}", style="dim")
        if not count:
            title.append("\nNothing yet: commits and deletes made here are written to it "
                         "before they are sent.")
        self.query_one("#journal-title", Static).update(title)
        self._detail()
        self.refresh_bindings()

    def current(self) -> JournalEntry | None:
        """The entry under the cursor."""
        return cursor_item(self.query_one(DataTable), self.entries)

    def _detail(self) -> None:
        entry = self.current()
        text = Text()
        if entry is not None:
            text.append(f"{entry.op} of {safe(entry.kind)} ", style="bold")
            text.append(safe(entry.display_name), style="bold")
            text.append(f"  {safe(entry.object_id)}  entry {entry.id[:8]}", style="dim")
            if entry.commit:
                text.append(f"  commit {entry.commit[:8]}", style="dim")
            if entry.profile:
                text.append(f"  profile {safe(entry.profile)}", style="dim")
            for key in entry.properties:
                text.append(f"\n  {safe(key)}: {safe(_show(entry.old.get(key)))} → "
                            f"{safe(_show(entry.new.get(key)))}")
            if entry.message:
                text.append(f"\nGraph: {safe(entry.message)}", style="italic")
            hint = undo_hint(entry, self._by_id)
            if self.connection.read_only and hint.startswith("u "):
                hint = "Read-only: nothing is undone from here (the tenant was opened read-only)."
            text.append(f"\n{hint}", style="bold")
        self.query_one("#journal-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.connection.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.write_hidden(action, parameters):
            return False
        if action in ("undo", "undo_commit"):
            entry = self.current()
            if self.busy or entry is None:
                return None
            return (action == "undo" or entry.commit is not None) or None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.load()

    def action_undo(self) -> None:
        entry = self.current()
        if entry is not None and not self.busy:
            self.run_undo([entry])

    def action_undo_commit(self) -> None:
        entry = self.current()
        if entry is None or entry.commit is None or self.busy:
            return
        group = [e for e in self.entries if e.commit == entry.commit and e.state == "done"]
        if not group:
            self.notify(undo_hint(entry, self._by_id), title="Nothing to undo", markup=False)
            return
        self.run_undo(group)

    @work(group="journal-undo", exclusive=True, exit_on_error=False)
    async def run_undo(self, entries: list[JournalEntry]) -> None:
        """Undo ``entries`` one after another; each result is said, the list read again."""
        self.busy = True
        self.refresh_bindings()
        done: list[JournalEntry] = []
        refused: list[str] = []
        try:
            for entry in entries:
                name = entry.display_name or entry.object_id
                try:
                    await undo(self.connection.client, self.journal, entry.id)
                except CannotUndoError as exc:
                    refused.append(f"{name}: {exc}")
                except B2CTuiError as exc:
                    refused.append(f"{name}: Graph refused the undo ({exc})")
                else:
                    done.append(entry)
                    if self.undone is not None:
                        self.undone(entry)
        finally:
            self.busy = False
        self._say(done, refused)
        self.load()

    def _say(self, done: list[JournalEntry], refused: list[str]) -> None:
        if done:
            names = ", ".join(safe(e.display_name or e.object_id) for e in done[:3])
            more = f" and {len(done) - 3} more" if len(done) > 3 else ""
            self.notify(f"Undone: {names}{more}", title="Undone", markup=False)
        if refused:
            more = f"\n(and {len(refused) - 1} more)" if len(refused) > 1 else ""
            self.notify(safe(refused[0]) + more, title="Cannot undo",
                        severity="warning", markup=False, timeout=15)


async def reconcile_at_start(connection: Connection) -> str:
    """Settle the entries a crashed run left pending, against the tenant (in the background
    at start); what was found, in one notification ('' when nothing was pending)."""
    journal = connection.journal()
    pending = await asyncio.to_thread(journal.pending)
    if not pending:
        return ""
    return reconcile_summary(await reconcile(connection.client, journal, entries=pending))


def reconcile_summary(results: list[ReconcileResult]) -> str:
    """What reconciling at start found, in one notification."""
    counts: Counter[str] = Counter(str(r.state) for r in results)
    parts = [f"{counts[state]} {label}" for state, label in (
        ("done", "made"), ("not_applied", "not made"), ("unknown", "changed elsewhere since"),
        ("pending", "still unknown (the tenant could not be asked)")) if counts[state]]
    total = len(results)
    return (f"{total} change{'s' if total != 1 else ''} sent just before the last run ended "
            f"had no answer. Checked against the tenant: {', '.join(parts)}. ctrl+z opens "
            "the journal.")
