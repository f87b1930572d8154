"""Inline edits for a kit pane: change cells where they stand, review, commit in one go.

:class:`InlineEdits` belongs to a :class:`~.pane.KitPane` (``pane.inline``), whose actions
``edit_cell``, ``review`` and ``commit`` call it. Everything comes from the description: a
column is editable when its key is in ``PaneSpec.patchable`` and a patchable
:class:`~.spec.FieldSpec` edits it (``PaneSpec.cell_fields``, then the edit form's fields;
``KitPane.cell_field`` is the hook for columns known only at run time, such as extension
attributes).

* ``i`` (or ``F2``) on a cell: booleans toggle, other kinds open :class:`~.cell_editor.CellEditor`
  (the form field's rules). The edit is only *pending*: kept in :class:`~.pending.PendingEdits`
  by object id and property, shown on the cell with a glyph and a colour (the table's
  :class:`~b2c_tui.tui.widgets.table.CellMarks`), counted on the status line.
* ``v`` reviews them (:class:`~.review.ReviewScreen`: drop one or all, commit).
* ``ctrl+s`` commits after asking: one change per object through
  :func:`b2c_tui.changes.commit` (``$batch`` 20 a request, journaled and fsynced first,
  throttled requests retried), the same code the Python API and ``benchmarks/bench_commit``
  use. What Graph took leaves the pending edits and shows in the loaded rows; what it refused
  stays pending with Graph's message on the cell (``✗``) and in the review.

Read-only tenants hide these keys, and the edit key says why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...frames.columns import Column, flatten_value
from ...graph.errors import B2CTuiError
from ..dialogs.confirm import ConfirmDialog
from ..safe_text import safe
from ..value_text import value_text
from ..widgets.table import GLYPHS, CellMark
from ..widgets.table.model import format_cell, is_missing
from .cell_editor import CellEditor, CellValue
from .form import check_field
from .pending import PendingEdit, PendingEdits
from .review import ReviewScreen
from .spec import FieldSpec

if TYPE_CHECKING:
    from ...changes import Change, ChangeResult
    from .pane import KitPane

COMMIT_GROUP = "kit-commit"


def plain_value(value: Any) -> Any:
    """A loaded cell as a plain JSON value: missing -> ``None``, numpy scalars unwrapped,
    whole floats as ints, times as Graph writes them (``2026-11-01T09:30:00Z``)."""
    if is_missing(value):
        return None
    if isinstance(value, np.datetime64 | pd.Timestamp):
        return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def edit_text(value: Any) -> str:
    """What the editor's input starts with for ``value`` (``true``, ``a, b``, ``""``)."""
    return value_text(value)


def cell_text(value: Any, kind: str) -> str:
    """``value`` as the table shows a cell of ``kind`` (safe text)."""
    value = flatten_value(value)
    if kind == "datetime" and isinstance(value, str) and value:
        try:
            return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
        except ValueError:
            return safe(value)
    return format_cell(value, kind)


def describe_failure(result: ChangeResult) -> str:
    """Why a committed change did not happen, in one line (Graph's own words first)."""
    message = result.message or "no message"
    if result.state == "failed" and result.status is not None:
        return f"{result.status} {result.code or 'error'}: {message}"
    if result.state == "not_applied":
        return f"Not made (the connection dropped; the tenant was checked): {message}"
    if result.state in ("unknown", "pending"):
        return f"Not known whether it was made ({message}); see the journal (ctrl+z)"
    return message

class InlineEdits:
    """The inline edits of one :class:`~.pane.KitPane` (see the module docs); also the
    table's :class:`~b2c_tui.tui.widgets.table.CellMarks`."""

    def __init__(self, pane: KitPane) -> None:
        self.pane = pane
        self.pending = PendingEdits()
        self.committing = False

    # -- what the pane shows ---------------------------------------------------------------
    def current_column(self) -> Column | None:
        table = self.pane.table
        return table.columns[table.cursor_column] if table.columns else None

    def object_name(self, key: str) -> str:
        """The object's name for dialogs and the journal (as Graph sent it)."""
        pane = self.pane
        record = pane.records.get(key)
        if record is not None:
            return pane.spec.name_of(record)
        value = pane.table.values_of([key], "displayName").get(key)
        return "" if is_missing(value) else str(value)

    def loaded_value(self, key: str, column: Column, field: FieldSpec) -> Any:
        """The property's value as loaded (from the full record when the pane keeps it, else
        the table's cell turned back into a value)."""
        pane = self.pane
        record = pane.records.get(key)
        if record is not None and column.key in record:
            return record[column.key]
        value = plain_value(pane.table.values_of([key], column.key).get(key))
        if field.from_cell is not None and value is not None:
            return field.from_cell(value)
        return value

    def row_marks(self, key: str) -> Mapping[str, CellMark] | None:
        """The table's :class:`CellMarks`: this row's pending edits."""
        edits = self.pending.of(key)
        if not edits:
            return None
        kinds = {c.key: c.kind for c in self.pane.table.columns}
        return {prop: CellMark(cell_text(e.new, kinds.get(prop, "text")),
                               "failed" if e.error else "pending")
                for prop, e in edits.items()}

    def describe_edit(self, edit: PendingEdit) -> tuple[str, str]:
        """``(old, new)`` as the table shows values of the edit's column."""
        kind = next((c.kind for c in self.pane.columns() if c.key == edit.prop), "text")
        return cell_text(edit.old, kind), cell_text(edit.new, kind)

    def pending_changed(self) -> None:
        """Repaint the marks, the status line and the footer (commit and review)."""
        pane = self.pane
        pane.table.refresh_marks()
        pane.refresh_bindings()
        pane.post_status()

    def refusal_note(self, key: str) -> str:
        """Graph's message for the edits of ``key`` it refused at the last commit ('' when
        none): the status line shows it while the cursor is on that row."""
        refused = [e for e in self.pending.of(key).values() if e.error]
        if not refused:
            return ""
        first = refused[0]
        return f"{GLYPHS['failed']} {first.label}: {first.error}"

    def summary(self) -> str:
        """The status line's count of pending edits ('' when none)."""
        count = len(self.pending)
        if not count:
            return ""
        failed = self.pending.failed
        text = f"✎ {count} pending edit{'s' if count != 1 else ''}"
        if failed:
            text += f", {failed} refused"
        return text + ": ctrl+s commits, v reviews"

    # -- editing ---------------------------------------------------------------------------
    def edit_cell(self) -> None:
        """``i``: toggle a boolean, or open the editor on the cell under the cursor."""
        pane = self.pane
        table, column = pane.table, self.current_column()
        if not table.row_count or column is None or pane.context.read_only:
            return
        key = table.row_key(table.cursor_row)
        field = pane.cell_field(column.key)
        if field is None:
            how = " E opens the edit form." if any(
                op.name == "edit" for op in pane.operations) else ""
            pane.notify(f"{safe(column.label)} cannot be edited in place.{how}",
                        title="Not editable", severity="warning", markup=False)
            return
        reason = pane.refusal("edit", pane.records.get(key))
        if reason is not None:
            pane.notify(reason, title="Cannot edit", severity="warning", markup=False)
            return
        old = self.loaded_value(key, column, field)
        edit = self.pending.get(key, column.key)
        current = edit.new if edit is not None else old
        name = self.object_name(key)
        if field.kind == "bool":
            self._set(key, column, field, not bool(current), old, name)
            return

        def done(result: CellValue | None) -> None:
            if result is not None:
                self._set(key, column, field, result.value, old, name, checked=True)

        pane.app.push_screen(CellEditor(field, object_name=name or key,
                                        text=edit_text(current), was=edit_text(old),
                                        error=edit.error if edit else None), done)

    def _set(self, key: str, column: Column, field: FieldSpec, value: Any, old: Any,
             name: str, *, checked: bool = False) -> None:
        try:
            value = value if checked else check_field(field, value)
        except B2CTuiError as exc:
            self.pane.notify(safe(str(exc)), title="Not changed", severity="warning",
                             markup=False)
            return
        self.pending.set(key, column.key, value, old=old, label=column.label, name=name)
        self.pending_changed()

    # -- review and commit -----------------------------------------------------------------
    def review(self) -> None:
        """``v``: the review screen; committing from there sends at once."""
        pane = self.pane

        def done(commit: bool | None) -> None:
            self.pending_changed()
            if commit:
                self.commit()

        pane.app.push_screen(ReviewScreen(self.pending, noun=pane.spec.noun,
                                          describe=self.describe_edit,
                                          read_only=pane.context.read_only,
                                          changed=self.pending_changed), done)

    def ask_commit(self) -> None:
        """``ctrl+s``: ask, naming how many edits of how many objects, then commit."""
        pane = self.pane
        count, objects = len(self.pending), self.pending.objects
        if not count or self.committing or pane.context.read_only:
            return
        noun = pane.spec.noun + ("s" if objects != 1 else "")
        title = f"Commit {count} edit{'s' if count != 1 else ''} to {objects} {noun}?"
        body = ("Each object is one PATCH, written to the journal before it is sent; "
                "ctrl+z opens the journal to undo. v reviews them first.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.commit()

        pane.app.push_screen(ConfirmDialog(title, body, yes="Commit", default_yes=True),
                             answered)

    def commit(self) -> None:
        """Send every pending edit now (in a worker of the pane)."""
        if self.pending and not self.committing:
            self.committing = True
            self.pane.refresh_bindings()
            self.pane.run_worker(self._commit(), group=COMMIT_GROUP, exit_on_error=False)

    def _change(self, object_id: str, new: dict[str, Any], old: dict[str, Any],
                name: str) -> Change:
        return self.pane.spec.change("update", object_id, new=new, old=old, name=name)

    async def _commit(self) -> None:
        from ...changes import commit

        pane = self.pane
        todo = self.pending.changes(self._change)

        def progress(sent: int, of: int) -> None:
            pane.post_message(pane.Status(pane.table.row_summary,
                                          f"committing… {sent:,} of {of:,} sent"))

        try:
            journal = pane.context.connection.journal()
            results = await commit(pane.context.client, todo, journal, progress=progress)
        except B2CTuiError as exc:  # nothing was sent (read-only, the journal unwritable)
            pane.notify(safe(str(exc)), title="Not committed", severity="error",
                        markup=False, timeout=10)
            return
        finally:
            self.committing = False
            pane.refresh_bindings()
        updates: dict[str, dict[str, Any]] = {}
        failures: list[tuple[Change, str]] = []
        for result in results:
            error = None if result.ok else describe_failure(result)
            taken = self.pending.settle(result.change, error)
            if taken:
                updates[result.change.object_id] = {p: result.change.new[p] for p in taken}
            if error is not None:
                failures.append((result.change, error))
        await self.show_values(updates)
        self.pending_changed()
        self._report(len(todo), failures)

    def _report(self, total: int, failures: list[tuple[Change, str]]) -> None:
        pane, done = self.pane, total - len(failures)
        noun = pane.spec.noun
        if not failures:
            pane.notify(f"Committed the changes to {done} {noun}{'s' if done != 1 else ''}.",
                        title="Committed", markup=False)
            return
        change, error = failures[0]
        who = change.display_name or change.object_id
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        pane.notify(f"{done} of {total} {noun}s changed; {len(failures)} kept pending, "
                    f"marked ✗ in the table{more}.\n{safe(who)}: {safe(error)}",
                    title="Graph refused some changes", severity="error", markup=False,
                    timeout=15)

    async def show_values(self, updates: Mapping[str, Mapping[str, Any]]) -> None:
        """Show new values (Graph took them) in the loaded rows, the kept records and the
        frame exports read: found and rebuilt in a thread, put in on the event loop."""
        if not updates:
            return
        pane = self.pane
        for object_id, values in updates.items():
            record = pane.records.get(object_id)
            if record is not None:
                pane.records[object_id] = {**record, **values}
        frame = pane.frame
        planned = await asyncio.to_thread(frame.plan_values, updates)
        if frame is pane.frame:  # not reloaded meanwhile (a reload shows Graph's values)
            frame.set_arrays(planned)
            pane.table.set_arrays(planned)
