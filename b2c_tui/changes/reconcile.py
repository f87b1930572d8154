"""Settling pending journal entries against the tenant.

An entry stays ``pending`` when the program stopped (or the connection dropped) between
writing it and hearing Graph's answer. :func:`reconcile` looks at the object now:

* an update: the new values present -> ``done``; the old ones -> ``not_applied``; something
  else (changed meanwhile) or the object gone -> ``unknown``, with the reason;
* a delete: the object gone -> ``done``; still there -> ``not_applied``;
* a restore: the object back -> ``done``; not -> ``not_applied``.

An undo that turns out ``done`` marks the entry it reverted ``undone``.
"""

from __future__ import annotations

from asyncio import to_thread
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..graph.errors import GraphError, NotFoundError
from .journal import Journal, Mark
from .model import JournalEntry, State
from .secrets import MARKER

if TYPE_CHECKING:
    from ..graph.client import GraphClient

__all__ = ["ReconcileResult", "current_values", "reconcile", "same_value"]


@dataclass(frozen=True)
class ReconcileResult:
    """What reconcile concluded for one entry (``state`` ``pending``: it could not check)."""

    entry: JournalEntry
    state: State
    message: str | None = None


def same_value(now: Any, expected: Any) -> bool:
    """Graph leaves out unset properties: missing, ``None`` and ``[]`` are all "empty"."""
    if now in (None, []) and expected in (None, []):
        return True
    return bool(now == expected)


async def current_values(client: GraphClient, path: str, keys: Sequence[str]) -> dict[str, Any]:
    """The object's current values of ``keys`` (:class:`NotFoundError` when it is gone)."""
    params = {"$select": ",".join(keys)} if keys else None
    body = await client.core.get_json(path, params=params)
    return body if isinstance(body, dict) else {}


async def _exists(client: GraphClient, path: str) -> bool:
    try:
        await client.core.get_json(path, params={"$select": "id"})
    except NotFoundError:
        return False
    return True


async def _judge(client: GraphClient, entry: JournalEntry) -> tuple[State, str | None]:
    if entry.op == "delete":
        gone = not await _exists(client, entry.path)
        return ("done", None) if gone else ("not_applied", "the object still exists")
    if entry.op == "restore":
        back = await _exists(client, entry.path)
        return ("done", None) if back else ("not_applied", "the object is not back")
    keys = [k for k, v in entry.new.items() if v != MARKER]
    if not keys:
        return "unknown", "a secret (such as a password) cannot be read back to check"
    try:
        now = await current_values(client, entry.path, keys)
    except NotFoundError:
        return "unknown", "the object no longer exists"
    if all(same_value(now.get(k), entry.new[k]) for k in keys):
        return "done", None
    if all(k in entry.old and same_value(now.get(k), entry.old[k]) for k in keys):
        return "not_applied", "the old values are still there"
    changed = ", ".join(k for k in keys if not same_value(now.get(k), entry.new[k]))
    return "unknown", f"changed elsewhere since ({changed} holds neither value)"


async def reconcile(client: GraphClient, journal: Journal, *,
                    entries: Sequence[JournalEntry] | None = None) -> list[ReconcileResult]:
    """Settle ``entries`` (default: every pending entry of ``journal``) against the tenant,
    journal the conclusions, and return them. Entries that could not be checked (Graph
    unreachable) stay pending and are returned with state ``pending`` and the reason."""
    todo = list(entries) if entries is not None else await to_thread(journal.pending)
    results: list[ReconcileResult] = []
    marks: list[Mark] = []
    for entry in todo:
        try:
            state, message = await _judge(client, entry)
        except GraphError as exc:
            results.append(ReconcileResult(entry, "pending", f"could not check: {exc.message}"))
            continue
        results.append(ReconcileResult(entry, state, message))
        marks.append(Mark(entry.id, state, message, "Reconciled"))
        if state == "done" and entry.undoes:
            marks.append(Mark(entry.undoes, "undone", None, "Reconciled", by=entry.id))
    await to_thread(journal.mark, marks)
    return results
