"""Changes to the tenant with a journal: commit in ``$batch``, reconcile after a crash, undo.

The explorer's inline edits and the Python API's ``apply`` both go through here::

    journal = Journal.for_tenant(conn.tenant, profile=conn.profile_name, demo=conn.demo)
    results = await commit(conn.client, [Change.update("user", uid, {"displayName": "Ada"},
                                                       old={"displayName": "Ada L."})], journal)
    await reconcile(conn.client, journal)      # at start: settle what a crash left pending
    await undo(conn.client, journal, entry_id)  # a PATCH back, or a restore from deleted items
    await send_journaled(conn.client, journal, Change.delete("user", uid),
                         lambda: conn.client.users.delete(uid))  # one request, journaled

No Textual, no pandas: this package sits beside ``frames`` and ``policies`` and uses only the
Graph client and :mod:`b2c_tui.paths`.
"""

from __future__ import annotations

from .commit import ChangeResult, commit
from .journal import Journal, JournalError, Mark
from .model import KINDS, RESTORABLE, Change, JournalEntry, Op, State
from .reconcile import ReconcileResult, reconcile
from .secrets import MARKER, scrub
from .single import send_journaled
from .undo import CannotUndoError, undo

__all__ = [
    "KINDS",
    "MARKER",
    "RESTORABLE",
    "CannotUndoError",
    "Change",
    "ChangeResult",
    "Journal",
    "JournalEntry",
    "JournalError",
    "Mark",
    "Op",
    "ReconcileResult",
    "State",
    "commit",
    "reconcile",
    "scrub",
    "send_journaled",
    "undo",
]
