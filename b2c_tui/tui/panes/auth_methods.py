"""The authentication methods pane: phone, email and software OATH methods of one user.

The users pane picks the user: ``m`` posts :class:`~b2c_tui.tui.messages.OpenPane` with a
:class:`~b2c_tui.tui.messages.UserRef`, which the app hands to :meth:`AuthMethodsPane.receive`.
The keys are a kit description (:class:`~b2c_tui.tui.kit.spec.Operation`): write ones are
hidden and refused in read-only mode.
Graph work runs in workers: the list loads in the ``methods`` group, where a newer load cancels
the older and a result for an older generation (another user, a refresh) is dropped; changes run
in the ``mutate`` group, which leaving the pane does not cancel, so a change already sent always
gets its answer. Dialogs only collect values; this pane sends them and reports Graph's answer.
The rows themselves (Graph's methods -> :class:`MethodRow` -> DataFrame) are
:mod:`b2c_tui.frames.auth_methods`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import get_current_worker

from ...frames.auth_methods import (
    EMAIL,
    METHOD_COLUMNS,
    PHONE,
    MethodRow,
    method_rows,
    methods_frame,
)
from ...graph.errors import B2CTuiError
from ...graph.resources.base import seg
from ...graph.validation import PHONE_TYPES
from ..dialogs.confirm_delete import ConfirmDeleteDialog
from ..dialogs.email_method import EmailMethodDialog, EmailMethodInput
from ..dialogs.form import FormDialog
from ..dialogs.phone_method import PhoneMethodDialog, PhoneMethodInput
from ..kit.base import ResourcePane
from ..kit.operations import Operations
from ..kit.spec import Operation
from ..messages import OpenPane, UserRef
from ..safe_text import safe, safe_text
from ..widgets.table import VirtualTable

log = logging.getLogger(__name__)

OPERATIONS = (
    Operation("add_phone", "a", "Add phone", write=True),
    Operation("add_email", "A", "Add email", write=True),
    Operation("edit", "E", "Edit", write=True, needs_row=True),
    Operation("delete", "d", "Delete", write=True, needs_row=True),
    Operation("fix", "x", "Fix number", write=True, needs_row=True),
)
MUTATING = frozenset(op.name for op in OPERATIONS if op.write)
NO_USER = ("No user selected. On the Users pane, put the cursor on a user and press m to see "
           "their authentication methods here.")
NO_METHODS = "No authentication methods. Press a to add a phone number, A to add an email."


class MethodsTable(VirtualTable):
    """The methods table. A user has a handful of methods: no selection, and the keys that
    only matter for long tables stay out of the footer, which keeps room for the pane's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "activate", "Edit", show=False, id="table.activate"),
        Binding("space", "toggle_select", "Select", show=False, id="table.toggle_select"),
        Binding("ctrl+a", "select_all", "Select all", show=False, id="table.select_all"),
        Binding("s", "sort", "Sort", show=False, id="table.sort"),
        Binding("less_than_sign", "narrow", "Narrower", show=False, id="table.narrow"),
        Binding("greater_than_sign", "widen", "Wider", show=False, id="table.widen"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_select", "select_all"):
            return None
        return super().check_action(action, parameters)


class AuthMethodsPane(Operations, ResourcePane):
    """The selected user's authentication methods in one table, with add, edit, delete and
    the one-key fix of phone numbers stored without the space after the country code."""

    binding_prefix: ClassVar[str] = "methods"
    operations: ClassVar[tuple[Operation, ...]] = OPERATIONS
    BASE_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to users", id="methods.back"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generation = 0
        self.user_id: str | None = None
        self.user_name = ""
        #: the user the users pane handed over last (see :meth:`receive`)
        self.wanted: UserRef | None = None
        self.rows: list[MethodRow] = []
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Static(id="methods-user")
        yield Static(id="methods-hint")
        yield MethodsTable(METHOD_COLUMNS, id="auth-methods-table", fit_content=True)

    @property
    def table(self) -> MethodsTable:
        return self.query_one(MethodsTable)

    # -- loading ---------------------------------------------------------------------------
    def receive(self, subject: object) -> None:
        """The users pane handed over a user (:class:`UserRef`): show theirs when shown."""
        if isinstance(subject, UserRef):
            self.wanted = subject

    @property
    def wanted_id(self) -> str | None:
        return self.wanted.id if self.wanted is not None else None

    def pane_shown(self) -> None:
        """Load on the first visit, and again whenever the users pane picked another user."""
        if not self._shown_once or self.wanted_id != self.user_id:
            self._shown_once = True
            self.reload()
        else:
            self._post_status()  # the app cleared the status line when switching panes
        focused = self.app.focused
        if focused is None or focused.id != "nav":  # arriving with `m`: ready to act
            self.table.focus()

    def pane_hidden(self) -> None:
        # Only the list load stops; a change already sent keeps its worker.
        self.workers.cancel_group(self, "methods")
        if self.loading:
            self._shown_once = False  # load again on return

    def reload(self) -> None:
        """Load the methods of the user the users pane selected (``r``)."""
        self.generation += 1
        self.workers.cancel_group(self, "methods")
        user_id = self.wanted_id
        if user_id != self.user_id:
            self.user_id = user_id
            self.user_name = self.wanted.name if self.wanted is not None else ""
            self.rows = []
            self.table.clear()
        self.loading = user_id is not None
        self._show_user()
        if user_id is None or not self.rows:  # a refresh keeps the rows shown meanwhile
            self._hint(NO_USER if user_id is None else "Loading authentication methods…")
        self.refresh_bindings()
        self._post_status()
        if user_id is not None:
            self._load(user_id, self.generation)

    @work(group="methods", exclusive=True, exit_on_error=False)
    async def _load(self, user_id: str, generation: int) -> None:
        """Fetch the user and the three method collections at once."""
        client = self.context.client
        api = client.auth_methods
        try:
            user, phones, emails, oaths = await asyncio.gather(
                client.users.get(user_id, select=["id", "displayName", "userPrincipalName"]),
                api.list_phone_methods(user_id).collect(),
                api.list_email_methods(user_id).collect(),
                api.list_software_oath_methods(user_id).collect(),
            )
        except B2CTuiError as exc:
            if self._is_current(generation):
                self.loading = False
                self._hint(f"Cannot load the methods: {safe(exc)}", error=True)
                self.refresh_bindings()
                self._post_status(str(exc))
            return
        if not self._is_current(generation):
            return  # another user or a refresh since: this result must not land
        self.loading = False
        self.user_name = str(user.get("displayName") or user.get("userPrincipalName") or "")
        self._show_user()
        self._show_rows(method_rows(phones, emails, oaths))

    def _is_current(self, generation: int) -> bool:
        return generation == self.generation and not get_current_worker().is_cancelled

    # -- showing ---------------------------------------------------------------------------
    def _show_user(self) -> None:
        text = Text("Authentication methods of ")
        if self.user_id is None:
            text.append("no user selected", style="italic")
        else:
            text.append_text(safe_text(self.user_name or "…", style="bold"))
            text.append("\nUser id  ", style="dim")
            text.append_text(safe_text(self.user_id))
        self.query_one("#methods-user", Static).update(text)

    def _hint(self, message: str, *, error: bool = False) -> None:
        hint = self.query_one("#methods-hint", Static)
        hint.update(Text(message))
        hint.set_class(error, "-error")
        hint.display = bool(message)

    def _show_rows(self, rows: list[MethodRow]) -> None:
        table = self.table
        keep = table.row_key(table.cursor_row) if table.row_count else None
        self.rows = rows
        table.clear()
        table.set_columns(METHOD_COLUMNS)  # widths measured again for this user's values
        if rows:
            table.append(methods_frame(rows))
            ids = [r.id for r in rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else 0)
        self._hint("" if rows else NO_METHODS)
        self.refresh_bindings()
        self._post_status()

    def _post_status(self, message: str = "") -> None:
        count = len(self.rows)
        rows = "loading…" if self.loading else f"{count} method{'' if count == 1 else 's'}"
        row = self.current_row()
        if not message and row is not None and row.needs_fix:
            message = (f"{row.type} number stored without the space: x stores {row.fix}"
                       if row.fix else f"{row.type} number is not in Graph's form: E edits it")
        self.post_message(self.Status(rows, safe(message)))

    def current_row(self) -> MethodRow | None:
        """The method under the cursor (none while loading)."""
        table = self.table
        if self.loading or not table.row_count:
            return None
        key = table.row_key(table.cursor_row)
        return next((r for r in self.rows if r.id == key), None)

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self.refresh_bindings()
        self._post_status()

    def on_virtual_table_row_activated(self, event: VirtualTable.RowActivated) -> None:
        event.stop()
        if self.check_action("edit", ()):
            self.action_edit()

    # -- what applies now ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Mutating actions need a writable tenant, a loaded user and (most) a fitting row."""
        if action not in MUTATING:
            return True
        if self.operation_state(action, parameters) is False:
            return False
        if self.user_id is None or self.loading:
            return None
        row = self.current_row()
        if action == "add_phone":
            return bool(self.free_phone_types()) or None
        if action == "add_email":
            return not any(r.kind == EMAIL for r in self.rows) or None
        if action == "edit":
            return (row is not None and row.kind in (PHONE, EMAIL)) or None
        if action == "delete":
            return row is not None or None
        return (row is not None and row.fix is not None) or None  # fix

    def free_phone_types(self) -> list[str]:
        """Phone types the user has no number of (one per type); alternateMobile needs a
        mobile first."""
        taken = {r.type for r in self.rows if r.kind == PHONE}
        return [t for t in PHONE_TYPES
                if t not in taken and (t != "alternateMobile" or "mobile" in taken)]

    @property
    def user_label(self) -> str:
        """The user as dialogs name them (plain text; dialogs render it safely)."""
        return f"{self.user_name}  {self.user_id}" if self.user_name else str(self.user_id)

    def guard_read_only(self) -> bool:
        return self.context.read_only

    # -- actions ---------------------------------------------------------------------------
    def action_back(self) -> None:
        """Esc: back to the users pane, where the user was picked."""
        self.post_message(OpenPane("users"))

    def action_add_phone(self) -> None:
        self._open(PhoneMethodDialog(self.user_label, self.free_phone_types()))

    def action_add_email(self) -> None:
        self._open(EmailMethodDialog(self.user_label))

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None and row.kind == PHONE:
            self._open(PhoneMethodDialog(self.user_label, [row.type], number=row.value,
                                         method_id=row.id))
        elif row is not None and row.kind == EMAIL:
            self._open(EmailMethodDialog(self.user_label, row.value, method_id=row.id))

    def action_delete(self) -> None:
        row, user_id, name = self.current_row(), self.user_id, self.user_name
        if row is None or user_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(user_id, lambda: self._journaled_delete(user_id, name, row),
                           f"Deleted the {row.description} {safe(row.value)} of "
                           f"{safe(name or user_id)}")

        note = f"User  {safe(name)}  {safe(user_id)}" if name else f"User  {safe(user_id)}"
        self.app.push_screen(
            ConfirmDeleteDialog(row.description, [(row.value, row.id)], note=note), answered)

    async def _journaled_delete(self, user_id: str, name: str | None, row: MethodRow) -> None:
        """The delete, written to the journal (fsynced) first. Graph keeps no deleted
        methods: the journal screen says it cannot be undone."""
        from ...changes import Change, send_journaled

        collection = {PHONE: "phoneMethods", EMAIL: "emailMethods"}.get(
            row.kind, "softwareOathMethods")
        path = f"/users/{seg(user_id)}/authentication/{collection}/{seg(row.id)}"
        change = Change.delete(collection[:-1], row.id, path=path,
                               display_name=f"{row.description} {row.value} of "
                                            f"{name or user_id}")
        await send_journaled(self.context.client, self.context.connection.journal(), change,
                             lambda: self._delete_call(user_id, row))

    def _delete_call(self, user_id: str, row: MethodRow) -> Awaitable[Any]:
        api = self.context.client.auth_methods
        if row.kind == PHONE:
            return api.delete_phone_method(user_id, row.id)
        if row.kind == EMAIL:
            return api.delete_email_method(user_id, method_id=row.id)
        return api.delete_software_oath_method(user_id, row.id)

    def action_fix(self) -> None:
        row, user_id = self.current_row(), self.user_id
        if row is None or user_id is None or row.fix is None:
            return
        method = {"id": row.id, "phoneNumber": row.value, "phoneType": row.type}
        api = self.context.client.auth_methods
        self._send(user_id, lambda: api.fix_phone_number(user_id, method),
                   f"{row.type} phone of {safe(self.user_name or user_id)}\n"
                   f"before  {safe(row.value)}\nafter   {safe(row.fix)}",
                   title="Phone number fixed")

    # -- sending ---------------------------------------------------------------------------
    def _open(self, dialog: FormDialog[Any]) -> None:
        user_id = self.user_id
        if user_id is not None:
            dialog.submit = lambda form, value: self._save(form, user_id, value)
            self.app.push_screen(dialog)

    def _save(self, dialog: FormDialog[Any], user_id: str, value: Any) -> None:
        """A dialog's value is ready: send it; the dialog keeps its input until Graph agrees."""
        api = self.context.client.auth_methods
        call: Callable[[], Awaitable[Any]]
        name = safe(self.user_name or user_id)
        if isinstance(value, PhoneMethodInput) and value.method_id:
            call = partial(api.update_phone_method, user_id, value.method_id, value.phone_number)
            done = f"Changed the {value.phone_type} phone of {name} to {value.phone_number}"
        elif isinstance(value, PhoneMethodInput):
            call = partial(api.add_phone_method, user_id, value.phone_number, value.phone_type)
            done = f"Added the {value.phone_type} phone {value.phone_number} to {name}"
        elif isinstance(value, EmailMethodInput) and value.method_id:
            call = partial(api.update_email_method, user_id, value.email, method_id=value.method_id)
            done = f"Changed the email method of {name} to {safe(value.email)}"
        else:
            call = partial(api.add_email_method, user_id, value.email)
            done = f"Added the email method {safe(value.email)} to {name}"
        self._send(user_id, call, done, dialog=dialog)

    @work(group="mutate", exit_on_error=False)
    async def _send(self, user_id: str, call: Callable[[], Awaitable[Any]], message: str,
                    title: str = "", *, dialog: FormDialog[Any] | None = None) -> None:
        """Run one change. Graph's refusal goes beside the dialog's field (the dialog keeps
        its input), or into a notification for changes that need no form (delete, fix)."""
        try:
            await call()
        except B2CTuiError as exc:
            log.info("method change refused: %r", exc)
            if dialog is not None:
                dialog.fail(exc)
            else:
                self.notify(safe(exc), title="Graph refused", severity="error", timeout=10,
                            markup=False)
            return
        if dialog is not None:
            dialog.finish()
        self._done(user_id, message, title)

    def _done(self, user_id: str, message: str, title: str = "") -> None:
        """``message`` is already safe text (tenant values went through :func:`safe`)."""
        self.notify(message, title=title, markup=False)
        if user_id == self.user_id:
            self.reload()
