"""``ReviewScreen``: every pending edit of a pane, old → new per object, before committing.

One row per changed property, grouped by object (name and id on its first row); the line
under the table shows the highlighted edit in full, with Graph's message when the last commit
refused it. ``x`` drops the highlighted edit, ``X`` drops them all (after asking), ``ctrl+s``
commits (the result is ``True``: the pane sends them), Esc goes back. Dropping changes the
pane's :class:`~.pending.PendingEdits` at once (``changed`` repaints the table behind).
Everything from the tenant is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..dialogs.confirm import ConfirmDialog
from ..keys import WriteGuard
from ..safe_text import safe
from ..widgets.footer import BindingsFooter
from ..widgets.table import GLYPHS
from .pending import PendingEdit, PendingEdits

#: ``(old text, new text)`` of an edit as the table shows values
Describe = Callable[[PendingEdit], tuple[str, str]]
ROW_KEY_SEPARATOR = "\x00"
#: cells wider than this end in an ellipsis (values, Graph's messages)
CELL_WIDTH = 32


def _cut(text: str, width: int = CELL_WIDTH) -> str:
    """``text`` within ``width`` cells (the line under the table shows it whole)."""
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _short(object_id: str) -> str:
    return object_id if len(object_id) <= 13 else f"{object_id[:8]}…"


class ReviewScreen(WriteGuard, ModalScreen[bool]):
    """The pending edits of one pane; see the module docs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="review.close"),
        Binding("x,delete", "drop", "Drop edit", key_display="x", id="review.drop"),
        Binding("X", "drop_all", "Drop all", id="review.drop_all"),
        Binding("ctrl+s", "commit", "Commit", id="review.commit"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
    ]
    write_actions = frozenset({"commit"})

    def __init__(self, pending: PendingEdits, *, noun: str, describe: Describe,
                 read_only: bool = False, changed: Callable[[], None] | None = None) -> None:
        super().__init__(id="review")
        self.pending = pending
        self.noun = noun
        self.describe = describe
        self.read_only = read_only
        self.changed = changed
        self._rows: list[PendingEdit] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title")
        table: DataTable[Text] = DataTable(id="review-table", cursor_type="row",
                                           zebra_stripes=True)
        yield table
        yield Static("", id="review-detail")
        yield BindingsFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (("mark", ""), ("object", "Object"), ("property", "Property"),
                           ("old", "Loaded"), ("arrow", ""), ("new", "New"),
                           ("graph", "Graph said")):
            table.add_column(Text(label, style="bold"), key=key)
        self.fill()
        table.focus()

    # -- content ---------------------------------------------------------------------------
    def fill(self) -> None:
        """Show the pending edits again (after a drop), keeping the cursor's place."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self._rows = list(self.pending)
        # Old and new values share what the object and property leave (the line under the
        # table shows them whole): at 80 columns the new value must stay on screen.
        values = max(10, min(CELL_WIDTH, (self.size.width - 70) // 2))
        previous = None
        for edit in self._rows:
            old, new = self.describe(edit)
            if edit.object_id != previous:
                name = self.pending.name(edit.object_id) or edit.object_id
                who = Text(_cut(safe(name), 22), style="bold")
                who.append(f" {_short(edit.object_id)}", style="dim")
            else:
                who = Text("")
            previous = edit.object_id
            mark = Text(GLYPHS["failed"] if edit.error else GLYPHS["pending"], style="bold")
            said = Text(_cut(safe(edit.error)), style="bold") if edit.error \
                else Text("pending", style="dim")
            table.add_row(mark, who, Text(_cut(safe(edit.label), 20)),
                          Text(_cut(safe(old) or "(empty)", values)), Text("→"),
                          Text(_cut(safe(new) or "(empty)", values)), said,
                          key=f"{edit.object_id}{ROW_KEY_SEPARATOR}{edit.prop}")
        if self._rows:
            table.move_cursor(row=min(row, len(self._rows) - 1))
        self._title()
        self._detail()
        self.refresh_bindings()

    def _title(self) -> None:
        count, objects, failed = len(self.pending), self.pending.objects, self.pending.failed
        if not count:
            text = Text("Nothing pending: edit a cell with i (or F2) to start.", style="bold")
        else:
            text = Text(f"{count} pending edit{'s' if count != 1 else ''} of {objects} "
                        f"{self.noun}{'s' if objects != 1 else ''}", style="bold")
            if failed:
                text.append(f" · {failed} refused by Graph at the last commit")
            text.append(" · each object is one PATCH, journaled first", style="dim")
        self.query_one("#review-title", Static).update(text)

    def current(self) -> PendingEdit | None:
        """The edit under the cursor."""
        table = self.query_one(DataTable)
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            return None
        return self._rows[table.cursor_row]

    def _detail(self) -> None:
        edit = self.current()
        text = Text()
        if edit is not None:
            old, new = self.describe(edit)
            name = self.pending.name(edit.object_id)
            text.append(f"{safe(name)} " if name else "", style="bold")
            text.append(f"{safe(edit.object_id)} · {safe(edit.label)}\n", style="dim")
            text.append(f"{safe(old) or '(empty)'}  →  {safe(new) or '(empty)'}")
            if edit.error:
                text.append(f"\nGraph refused it: {safe(edit.error)}", style="bold")
        self.query_one("#review-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def on_resize(self) -> None:
        self.fill()

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.write_hidden(action, parameters):
            return False
        if action in ("drop", "drop_all", "commit"):
            return bool(self.pending) or None
        return True

    def action_drop(self) -> None:
        edit = self.current()
        if edit is not None:
            self.pending.drop(edit.object_id, edit.prop)
            self._changed()

    def action_drop_all(self) -> None:
        count = len(self.pending)
        if not count:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.pending.clear()
                self._changed()

        self.app.push_screen(ConfirmDialog(
            f"Drop all {count} pending edits?",
            "Nothing was sent: the cells show the tenant's values again.",
            yes="Drop them"), answered)

    def _changed(self) -> None:
        self.fill()
        if self.changed is not None:
            self.changed()

    def action_commit(self) -> None:
        if self.pending:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
