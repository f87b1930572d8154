"""Undoing a journaled change, or saying plainly why it cannot be undone.

* An update is undone by a PATCH back to the old values, but only if the object still holds
  the values the change set (someone may have changed it since: then nothing is sent), and
  never for a password reset or a secret (the journal never kept the old one).
* A delete of a user, application, service principal or group is undone by restoring it from
  deleted items while Graph keeps it there (30 days, unless purged).
* Anything else is refused with the reason: :class:`CannotUndoError`.

The undo is itself journaled (written before it is sent) and marks the original ``undone``.
"""

from __future__ import annotations

from asyncio import to_thread
from typing import TYPE_CHECKING

from ..graph.encoding import quote_segment
from ..graph.errors import B2CTuiError, GraphError, NotFoundError, OutcomeUnknownError
from .journal import Journal, Mark
from .model import DELETED_ITEMS, KINDS, RESTORABLE, Change, JournalEntry
from .reconcile import current_values, same_value
from .secrets import has_secret

if TYPE_CHECKING:
    from ..graph.client import GraphClient

__all__ = ["CannotUndoError", "undo"]


class CannotUndoError(B2CTuiError):
    """This change cannot be undone; the message says why (nothing was sent)."""


def _name(entry: JournalEntry) -> str:
    return f"{entry.display_name} ({entry.object_id})" if entry.display_name else entry.object_id


def _refuse_state(entry: JournalEntry) -> None:
    if entry.state == "done":
        return
    if entry.state == "undone":
        raise CannotUndoError(f"This change was already undone (by {entry.undone_by}).")
    if entry.state == "pending":
        raise CannotUndoError("Whether this change was made is not known yet; run "
                              "'b2c-tui journal reconcile' first.")
    raise CannotUndoError(f"This change is {entry.state.replace('_', ' ')}: only a change that "
                          "was made can be undone.")


async def _check_update(client: GraphClient, entry: JournalEntry) -> Change:
    if has_secret(entry.new) or has_secret(entry.old):
        what = "a password reset" if "passwordProfile" in entry.new else "a change of a secret"
        raise CannotUndoError(f"{what.capitalize()} cannot be undone: the journal never keeps "
                              "the old value.")
    if not entry.old or set(entry.old) != set(entry.new):
        raise CannotUndoError("The values before this change were not recorded, so it cannot "
                              "be undone.")
    try:
        now = await current_values(client, entry.path, list(entry.new))
    except NotFoundError:
        raise CannotUndoError(f"{_name(entry)} no longer exists; restore it first if it is in "
                              "deleted items.") from None
    moved = [k for k in entry.new if not same_value(now.get(k), entry.new[k])]
    if moved:
        detail = "; ".join(f"{k} is now {now.get(k)!r}" for k in moved)
        raise CannotUndoError(f"Cannot be undone: {_name(entry)} was changed since ({detail}). "
                              "Nothing was sent.")
    path = None if entry.kind in KINDS else entry.path
    return Change.update(entry.kind, entry.object_id, entry.old, old=entry.new,
                         display_name=entry.display_name, path=path)


async def _check_delete(client: GraphClient, entry: JournalEntry) -> Change:
    if entry.kind not in RESTORABLE:
        raise CannotUndoError(f"A deleted {entry.kind} cannot be restored: Graph keeps only "
                              "users, applications, service principals and groups in deleted "
                              "items.")
    try:
        await client.core.get_json(f"{DELETED_ITEMS}/{quote_segment(entry.object_id)}",
                                   params={"$select": "id"})
    except NotFoundError:
        raise CannotUndoError(f"Cannot be undone: {_name(entry)} is no longer in deleted items "
                              "(purged, or deleted more than 30 days ago).") from None
    return Change.restore(entry.kind, entry.object_id, display_name=entry.display_name)


async def undo(client: GraphClient, journal: Journal, entry_id: str) -> JournalEntry:
    """Undo the entry ``entry_id`` names (a unique prefix will do); returns the journaled
    undo, ``done``. Raises :class:`CannotUndoError` (nothing sent) with the reason,
    :class:`~b2c_tui.graph.errors.ReadOnlyError` on a read-only client, or the
    :class:`~b2c_tui.graph.errors.GraphError` Graph answered (journaled as failed)."""
    entry = await to_thread(journal.get, entry_id)
    if entry.op == "restore":
        raise CannotUndoError("A restore is undone by deleting the object again.")
    method = "PATCH" if entry.op == "update" else "POST"
    client.core.check_writes([(method, entry.path)])
    _refuse_state(entry)
    change = await (_check_update(client, entry) if entry.op == "update"
                    else _check_delete(client, entry))
    [record] = await to_thread(journal.record, [change], undoes=entry.id)
    try:
        if change.op == "update":
            await client.core.send_json("PATCH", change.request_path, dict(change.new))
        else:
            await client.core.send_json("POST", change.request_path)
    except OutcomeUnknownError:
        raise  # left pending: the next reconcile settles it
    except GraphError as exc:
        await to_thread(journal.mark, [Mark(record.id, "failed", exc.message, exc.code)])
        raise
    await to_thread(journal.mark,
                    [Mark(record.id, "done"), Mark(entry.id, "undone", by=record.id)])
    return await to_thread(journal.get, record.id)
