"""One change sent by its own request, journaled first: the explorer's single deletes.

:func:`~b2c_tui.changes.commit.commit` sends many changes through ``$batch``; a delete confirmed
in a dialog is one request made by the resource's own client call (which knows its path and
its quirks). :func:`send_journaled` wraps such a call: the change is written to the journal
(fsynced) before the call, and Graph's answer is appended after it. A refusal is journaled as
failed and raised; a lost answer (:class:`~b2c_tui.graph.errors.OutcomeUnknownError`) is
checked against the tenant at once, and the change counts as made if it was.
"""

from __future__ import annotations

import logging
from asyncio import to_thread
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ..graph.errors import B2CTuiError, GraphError, OutcomeUnknownError
from .journal import Journal, Mark
from .model import Change, JournalEntry

if TYPE_CHECKING:
    from ..graph.client import GraphClient

__all__ = ["send_journaled"]

log = logging.getLogger(__name__)
T = TypeVar("T")


async def send_journaled(client: GraphClient, journal: Journal, change: Change,
                         call: Callable[[], Awaitable[T]]) -> tuple[T | None, JournalEntry]:
    """Journal ``change``, then ``await call()`` (the request that makes it); returns the
    call's answer (``None`` when a lost answer was found applied) and the entry.

    A read-only client refuses before anything is journaled. Errors propagate after being
    journaled: a Graph refusal (or a check that refused before sending) as ``failed``; a lost
    answer the tenant does not confirm stays ``pending`` for the next reconcile.
    """
    client.core.check_writes([(change.method, change.request_path)])
    [entry] = await to_thread(journal.record, [change])
    try:
        answer = await call()
    except OutcomeUnknownError:
        if await _applied(client, journal, entry):
            return None, entry
        raise
    except B2CTuiError as exc:
        message = exc.message if isinstance(exc, GraphError) else str(exc)
        code = exc.code if isinstance(exc, GraphError) else "NotSent"
        await to_thread(journal.mark, [Mark(entry.id, "failed", message, code)])
        raise
    await to_thread(journal.mark, [Mark(entry.id, "done")])
    return answer, entry


async def _applied(client: GraphClient, journal: Journal, entry: JournalEntry) -> bool:
    """Whether the tenant shows ``entry`` made (the journal is marked either way; left
    pending when even the check fails)."""
    from .reconcile import reconcile

    try:
        [result] = await reconcile(client, journal, entries=[entry])
    except GraphError as exc:
        log.warning("could not check %s after a lost answer: %s", entry.id, exc)
        return False
    return result.state == "done"
