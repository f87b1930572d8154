"""The user write workflows of the users pane: create, edit, reset password, delete, bulk delete.

Each flow opens a dialog with plain values, runs the Graph request in a worker of the pane, and
reports back: a form dialog stays open on failure with Graph's message beside the field it
concerns; a success updates the table (and the detail view when one is open) and says so in a
notification. Nothing here waits on the network in a key handler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from ....changes import Change, commit, send_journaled
from ....frames.extensions import ExtensionAttribute, custom_attributes, friendly_name
from ....graph.errors import B2CTuiError
from ...dialogs.bulk_result import BulkOutcome, BulkResultDialog
from ...dialogs.confirm_delete import ConfirmDeleteDialog
from ...dialogs.form import FormDialog
from ...dialogs.password_reset import PasswordResetDialog
from ...dialogs.user_create import UserCreateDialog
from ...dialogs.user_edit import UserEditDialog
from ...kit.form import FAILED, send_form
from ...safe_text import safe
from .dropped import CHECKING, find_created, outcome_unknown

if TYPE_CHECKING:
    from ....graph.client import GraphClient
    from ...context import AppContext
    from ...kit.detail import DetailScreen
    from ...widgets.table import VirtualTable
    from .pane import UsersPane

log = logging.getLogger(__name__)

WRITE_GROUP = "users-write"
NOT_FOUND = 404
DELETE_NOTE = "It moves to Deleted items, where it can be restored for 30 days."
BULK_DELETE_NOTE = "They move to Deleted items, where they can be restored for 30 days."
Record = dict[str, Any]
EXTENSIONS_APP = "b2c-extensions-app"


async def discover_extensions(context: AppContext) -> list[ExtensionAttribute]:
    """The tenant's custom attributes, from its user-flow attributes (the appId of the
    b2c-extensions-app when there are none), cached in ``context`` once per connection (the
    attributes pane clears the cache when it adds or deletes one). Graph errors propagate
    (nothing is cached then)."""
    if context.extensions is not None:
        return list(context.extensions)
    client = context.client
    attributes = await client.user_flow_attributes.list().collect()
    found = custom_attributes(attributes)
    if found:
        context.extension_app_id = found[0].app_id
    elif context.extension_app_id is None:
        apps = await client.applications.list(
            {"$filter": f"startswith(displayName,'{EXTENSIONS_APP}')"},
            select=["appId", "displayName"]).collect()
        if apps:
            context.extension_app_id = str(apps[0]["appId"]).replace("-", "").lower()
    context.extensions = tuple(found)
    return found


@dataclass
class Restore:
    """Cursor and selection to put back while a reload after a change streams in: the
    cursor goes to ``focus`` when its row arrives (else back to ``row``), the ``select``
    keys are selected again as their rows arrive."""

    generation: int
    focus: str | None = None
    row: int | None = None
    select: set[str] = field(default_factory=set)

    def apply(self, table: VirtualTable, items: list[Record], *, more: bool) -> bool:
        """Apply to the page of ``items`` just appended; ``True`` once nothing is left."""
        start = table.row_count - len(items)
        selected = 0
        for row, item in enumerate(items, start):
            key = str(item.get("id"))
            if key in self.select:
                table.model.selection.toggle(row, key)
                self.select.discard(key)
                selected += 1
            if key == self.focus:
                table.move_cursor(row=row)
                self.focus = self.row = None
        if selected:
            table.refresh()
            table.post_message(table.SelectionChanged(table, table.selected_count))
        if self.focus is None and self.row is not None and self.row < table.row_count:
            table.move_cursor(row=self.row)
            self.row = None
        if more and (self.select or self.focus):
            return False
        if self.row is not None and table.row_count:
            table.move_cursor(row=self.row)
        return True


class UserFlows:
    """Orchestrates the write flows for one :class:`UsersPane`."""

    def __init__(self, pane: UsersPane) -> None:
        self.pane = pane
        #: create dialogs whose last create may or may not have happened (by ``id()``)
        self._unsure: set[int] = set()

    @property
    def client(self) -> GraphClient:
        return self.pane.context.client

    def _run(self, work: Awaitable[None], name: str) -> None:
        self.pane.run_worker(work, name=name, group=WRITE_GROUP, exit_on_error=False)

    async def _journaled(self, change: Change, call: Callable[[], Awaitable[Any]]) -> Any:
        """``call()``, written to the tenant's journal (fsynced) first and its answer after."""
        journal = self.pane.context.connection.journal()
        answer, _entry = await send_journaled(self.client, journal, change, call)
        return answer

    async def _patch(self, dialog: FormDialog[Record], change: Change, what: str) -> bool:
        """Send the update ``change`` of ``dialog`` (journaled first); ``False`` when it
        failed (the dialog says why and keeps what was typed)."""
        user_id, patch = change.object_id, dict(change.new)
        call = partial(self._journaled, change, lambda: self.client.users.update(user_id, patch))
        return await send_form(dialog, call, what) is not FAILED

    def _notify(self, message: str, *, title: str = "", error: bool = False) -> None:
        self.pane.notify(message, title=title, severity="error" if error else "information",
                         markup=False, timeout=10 if error else 5)

    # -- create ----------------------------------------------------------------------------
    def create(self) -> None:
        """``n``: a new local account."""
        self.pane.app.push_screen(
            UserCreateDialog(self.pane.context.tenant, submit=self._submit_create))

    def _submit_create(self, dialog: FormDialog[Record], body: Record) -> None:
        if id(dialog) in self._unsure:  # the last create's connection dropped: check first
            self._run(self._check_created(dialog, body), "check created user")
        else:
            self._run(self._create(dialog, body), "create user")

    async def _create(self, dialog: FormDialog[Record], body: Record) -> None:
        try:
            created = await self.client.users.create(body)
        except Exception as exc:
            _log_unexpected(exc)
            if outcome_unknown(exc):
                await self._check_created(dialog, body)
            else:
                dialog.fail(exc)
            return
        self._created(dialog, created, body)

    def _created(self, dialog: FormDialog[Record], created: Record, body: Record,
                 note: str = "") -> None:
        self._unsure.discard(id(dialog))
        dialog.finish()
        name = created.get("displayName") or body.get("displayName")
        self._notify(f"{note}Created {safe(name)}", title="User created")
        self.pane.refresh_rows(focus=created.get("id"))

    async def _check_created(self, dialog: FormDialog[Record], body: Record) -> None:
        """The create's connection dropped: look the user up by its sign-in name. Found: it
        was created (no second create). Not found: Create may be pressed again. The check
        failing too: Create checks again rather than creating."""
        self._unsure.add(id(dialog))
        dialog.set_status(CHECKING)
        try:
            found = await find_created(self.client, body)
        except B2CTuiError as exc:
            dialog.saving = False
            dialog.set_save_label("Check again")
            dialog.set_status(f"The connection dropped, and checking whether the user was "
                              f"created failed too ({safe(str(exc))}). Check again before "
                              "creating.", error=True)
            return
        if found is not None:
            self._created(dialog, found, body,
                          note="The connection dropped, but the user was created. ")
            return
        self._unsure.discard(id(dialog))
        dialog.saving = False
        dialog.set_save_label(None)
        dialog.set_status("The connection dropped before the user was created: nothing was "
                          "created. Create sends it again.", error=True)

    # -- edit ------------------------------------------------------------------------------
    def edit(self, user_id: str, record: Mapping[str, Any] | None = None,
             detail: DetailScreen | None = None) -> None:
        """``E`` (``e`` in the detail view): fetch the whole user if needed, then the form."""
        if record is not None:
            self._open_edit(record, detail)
            return
        self._run(self._fetch_then_edit(user_id), "fetch user for edit")

    async def _fetch_then_edit(self, user_id: str) -> None:
        try:
            record = await self.pane.fetch_user(user_id)
        except B2CTuiError as exc:
            self._notify(safe(str(exc)), title="Cannot edit this user", error=True)
            return
        self._open_edit(record, None)

    def _open_edit(self, record: Mapping[str, Any], detail: DetailScreen | None) -> None:
        extensions = self.pane.known_extensions

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            self._run(self._save(dialog, record, patch, detail), "update user")

        self.pane.app.push_screen(
            UserEditDialog(record, extensions, self.pane.context.tenant, submit=submit))

    async def _save(self, dialog: FormDialog[Record], record: Mapping[str, Any], patch: Record,
                    detail: DetailScreen | None) -> None:
        user_id = str(record["id"])
        old = {key: record.get(key) for key in patch}  # for the journal: undo puts them back
        change = Change.update("user", user_id, patch, old=old,
                               display_name=str(record.get("displayName") or ""))
        if not await self._patch(dialog, change, "update user"):
            return
        self._notify(f"Saved {', '.join(sorted(friendly_name(k) for k in patch))}",
                     title="User updated")
        self.pane.refresh_rows(focus=user_id)
        if detail is not None:
            self.pane.load_detail(detail)

    # -- reset password --------------------------------------------------------------------
    def reset_password(self, user_id: str, name: str,
                       record: Mapping[str, Any] | None = None) -> None:
        """``p``: a new password (typed or generated), sent as ``passwordProfile``."""
        policies = str((record or {}).get("passwordPolicies") or "")

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            self._run(self._reset(dialog, user_id, name, patch), "reset password")

        self.pane.app.push_screen(PasswordResetDialog(
            name, user_id, strong="DisableStrongPassword" not in policies, submit=submit))

    async def _reset(self, dialog: FormDialog[Record], user_id: str, name: str,
                     patch: Record) -> None:
        # Journaled like every change, the password replaced by a marker: the journal screen
        # lists the reset and says it cannot be undone.
        change = Change.update("user", user_id, patch, display_name=name)
        if not await self._patch(dialog, change, "reset password"):
            return
        self._notify(f"The password of {safe(name)} was reset.", title="Password reset")

    # -- delete ----------------------------------------------------------------------------
    def delete(self, user_id: str, name: str, detail: DetailScreen | None = None) -> None:
        """``d``: confirm (naming the user and its id), then delete."""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(self._delete(user_id, name, detail), "delete user")

        self.pane.app.push_screen(
            ConfirmDeleteDialog("user", [(name, user_id)], note=DELETE_NOTE), confirmed)

    async def _delete(self, user_id: str, name: str, detail: DetailScreen | None) -> None:
        try:  # journaled (fsynced) first: the journal screen can restore it
            await self._journaled(Change.delete("user", user_id, display_name=name),
                                  lambda: self.client.users.delete(user_id))
        except Exception as exc:
            _log_unexpected(exc)
            self._notify(f"{safe(name)}: {safe(str(exc))}", title="Delete failed", error=True)
            return
        self._notify(f"Deleted {safe(name)} ({safe(user_id)})", title="User deleted")
        if detail is not None and detail.is_attached:
            detail.dismiss(None)
        self.pane.remove_rows([user_id])

    # -- bulk delete -----------------------------------------------------------------------
    def bulk_delete(self, keys: Sequence[str], names: Mapping[str, str] | None = None) -> None:
        """``D``: confirm with the count and the first names, delete through ``$batch``, then
        show a result per user; the ones that failed stay selected. ``names`` when the caller
        looked them up already (off the event loop, for a large selection)."""
        if names is None:
            names = self.pane.names_of(keys)
        items = [(names.get(k, k), k) for k in keys]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(self._bulk_delete(items), "delete users")

        self.pane.app.push_screen(
            ConfirmDeleteDialog("user", items, note=BULK_DELETE_NOTE), confirmed)

    async def _bulk_delete(self, items: list[tuple[str, str]]) -> None:
        changes = [Change.delete("user", key, display_name=name) for name, key in items]
        try:  # $batch, 20 a request, each chunk journaled (fsynced) before it is sent
            results = await commit(self.client, changes, self.pane.context.connection.journal())
        except Exception as exc:
            _log_unexpected(exc)
            self._notify(safe(str(exc)), title="Bulk delete failed", error=True)
            return
        outcomes = []
        for (name, key), result in zip(items, results, strict=True):
            outcomes.append(BulkOutcome(key, name, result.ok, result.status,
                                        result.code or "", result.message or ""))
        # Deleted now, or already gone (404: deleted elsewhere since the list was loaded): such
        # rows leave the table. The other failures stay, still selected, ready for a retry.
        gone = [o.key for o in outcomes if o.ok or o.status == NOT_FOUND]
        if gone:
            self.pane.remove_rows(gone)
        already = len([o for o in outcomes if not o.ok and o.status == NOT_FOUND])
        kept = len([o for o in outcomes if not o.ok]) - already
        note = "; ".join(part for part in (
            f"{already:,} already gone, removed from the list" if already else "",
            f"{kept:,} still selected for a retry" if kept else "") if part)
        self.pane.app.push_screen(BulkResultDialog("deleted", outcomes, note=note))


def _log_unexpected(exc: BaseException) -> None:
    if not isinstance(exc, B2CTuiError):
        log.error("user workflow failed: %s", type(exc).__name__, exc_info=exc)
