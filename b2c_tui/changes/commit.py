"""Sending changes: ``$batch`` 20 at a time, each chunk journaled before it is sent.

:func:`commit` is what the explorer's "commit pending edits" and the Python API's ``apply``
call. For each chunk of up to 20 changes it writes pending journal entries (durably), sends
one ``$batch`` (the client retries throttled inner requests within its retry budget, honouring
``Retry-After``), and journals each answer. The result is one :class:`ChangeResult` per change,
in order: done, or failed with Graph's code and message.

If the connection drops after a chunk was sent, its outcome is unknown: the chunk is checked
against the tenant at once (:func:`~b2c_tui.changes.reconcile.reconcile`), and the changes not
yet sent are reported as not sent. Chunks go one after another: Graph's write budgets are per
tenant and application, so sending several at once only earns more 429s. Journal writes (an
fsync each) run in a worker thread: the explorer's event loop never waits on the disk.
"""

from __future__ import annotations

from asyncio import to_thread
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..graph.batch import MAX_BATCH
from ..graph.errors import GraphError, OutcomeUnknownError
from .journal import Journal, Mark, new_id
from .model import Change, JournalEntry, State

if TYPE_CHECKING:
    from ..graph.client import GraphClient

__all__ = ["ChangeResult", "commit"]


@dataclass(frozen=True)
class ChangeResult:
    """What became of one change.

    ``state`` is ``done``, ``failed`` (Graph refused: ``status``, ``code``, ``message``),
    ``not_applied``/``unknown`` (the connection dropped and the tenant was checked) or
    ``not_sent`` (an earlier failure stopped the commit before this change was sent;
    ``entry_id`` is then ``None``: nothing was journaled).
    """

    change: Change
    entry_id: str | None
    state: State | str
    status: int | None = None
    code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.state == "done"


Progress = Callable[[int, int], None]


async def commit(
    client: GraphClient,
    changes: Iterable[Change],
    journal: Journal,
    *,
    chunk_size: int = MAX_BATCH,
    progress: Progress | None = None,
) -> list[ChangeResult]:
    """Send ``changes`` (journaled first) and return one result per change, in order.

    A read-only client refuses before anything is journaled or sent
    (:class:`~b2c_tui.graph.errors.ReadOnlyError`). ``progress(sent, total)`` is called after
    each chunk.
    """
    todo = list(changes)
    if not todo:
        return []
    if not 1 <= chunk_size <= MAX_BATCH:
        raise ValueError(f"chunk_size must be 1..{MAX_BATCH}")
    client.core.check_writes((c.method, c.request_path) for c in todo)
    commit_id = new_id()
    results: list[ChangeResult] = []
    stopped: str | None = None
    for start in range(0, len(todo), chunk_size):
        chunk = todo[start:start + chunk_size]
        if stopped is not None:
            results += [ChangeResult(c, None, "not_sent", message=stopped) for c in chunk]
            continue
        entries = await to_thread(journal.record, chunk, commit=commit_id)
        try:
            answers = await client.core.batch(
                [c.batch_request(str(n)) for n, c in enumerate(chunk, 1)]
            )
        except OutcomeUnknownError as exc:
            results += await _settle(client, journal, chunk, entries, exc)
            stopped = f"not sent: the connection dropped earlier ({exc.reason})"
        except GraphError as exc:
            await to_thread(journal.mark,
                            [Mark(e.id, "failed", exc.message, exc.code) for e in entries])
            results += [ChangeResult(c, e.id, "failed", exc.status, exc.code, exc.message)
                        for c, e in zip(chunk, entries, strict=True)]
            stopped = f"not sent: an earlier batch failed ({exc.message})"
        else:
            marks: list[Mark] = []
            for change, entry, answer in zip(chunk, entries, answers, strict=True):
                error = answer.error
                if error is None:
                    marks.append(Mark(entry.id, "done"))
                    results.append(ChangeResult(change, entry.id, "done", answer.status))
                else:
                    marks.append(Mark(entry.id, "failed", error.message, error.code))
                    results.append(ChangeResult(change, entry.id, "failed", answer.status,
                                                error.code, error.message))
            await to_thread(journal.mark, marks)
        if progress is not None:
            progress(min(start + chunk_size, len(todo)), len(todo))
    return results


async def _settle(client: GraphClient, journal: Journal, chunk: list[Change],
                  entries: list[JournalEntry], exc: OutcomeUnknownError) -> list[ChangeResult]:
    """A chunk whose answer was lost: ask the tenant what happened (left pending, for the next
    reconcile, if even that fails)."""
    from .reconcile import reconcile

    try:
        settled = {r.entry.id: r for r in await reconcile(client, journal, entries=entries)}
    except GraphError:
        settled = {}
    out: list[ChangeResult] = []
    for change, entry in zip(chunk, entries, strict=True):
        found = settled.get(entry.id)
        state = found.state if found is not None else "pending"
        message = found.message if found is not None and found.message else exc.message
        out.append(ChangeResult(change, entry.id, state, None, exc.code, message))
    return out
