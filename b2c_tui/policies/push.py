"""Changing the tenant's policies: push a plan, restore a backup, delete a policy.

Every operation follows the same order, and says plainly where it stopped:

1. refuse up front in read-only mode (the client refuses too, but this code does not even try,
   and says what it would have done);
2. read the tenant's current copy of everything it will overwrite or delete, and refuse if a
   policy changed since the plan was made (someone else uploaded in between);
3. save those copies to a new backup (:mod:`.backups`) before the first write;
4. write in order, bases first; on the first failure stop, and report the policy, Graph's
   message with the line it points to, what was already written and what was not.

The backup itself (a file per policy and the manifest, each fsynced) is written off the event
loop, which may be the explorer's.
"""

from __future__ import annotations

import re
from asyncio import to_thread
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..graph.errors import B2CTuiError, GraphError, ReadOnlyError
from .backups import COMPLETE, FAILED, NOTHING_SENT, Backup, BackupJournal
from .diff import equivalent
from .inheritance import InheritanceGraph
from .parser import parse_policy
from .plan import UploadPlan
from .tenant import fetch_documents, fetch_policies, list_policy_ids

if TYPE_CHECKING:
    from ..graph.client import GraphClient

Progress = Callable[[str, int, int], None]
"""``progress(policy_id, done, total)`` after each write."""
_LINE = re.compile(r"\bline\s*[:=]?\s*(\d+)(?:\s*,?\s*col(?:umn)?\s*[:=]?\s*(\d+))?", re.I)


class UploadRefusedError(B2CTuiError):
    """The plan has error findings: nothing was sent."""


class TenantChangedError(B2CTuiError):
    """A policy changed in the tenant after the plan was made: nothing was sent."""


@dataclass
class WriteResult:
    """How a push, restore or delete went. ``ok`` when every write succeeded."""

    operation: str
    backup: Backup | None
    planned: list[str]
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # identical already: nothing to send
    failed: str | None = None
    error: str | None = None  # Graph's message
    error_line: int | None = None
    error_column: int | None = None
    error_excerpt: str | None = None  # the line of the sent document Graph pointed at
    source: str | None = None  # the failed policy's file

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def not_done(self) -> list[str]:
        return [p for p in self.planned if p not in self.done and p != self.failed]

    def summary(self) -> str:
        """One paragraph for a person: what happened, what is where."""
        verb = {"push": "uploaded", "restore": "restored", "delete": "deleted"}.get(
            self.operation, "written")
        if self.ok:
            text = f"{len(self.done)} {_plural(len(self.done))} {verb}"
            if self.done:
                text += f": {', '.join(self.done)}"
            return text + "."
        where = f" (line {self.error_line})" if self.error_line else ""
        text = f"Stopped at {self.failed}{where}: {self.error}"
        text += (f" Already {verb}: {', '.join(self.done)}." if self.done
                 else f" Nothing was {verb}.")
        if self.not_done:
            text += f" Not {verb}: {', '.join(self.not_done)}."
        return text


def _plural(n: int) -> str:
    return "policy" if n == 1 else "policies"


def refuse_read_only(client: GraphClient, what: str) -> None:
    """Raise :class:`ReadOnlyError` saying what would have happened, before anything."""
    if client.read_only:
        raise ReadOnlyError(f"read-only: {what}; nothing was sent.")


async def execute_push(client: GraphClient, plan: UploadPlan, journal: BackupJournal, *,
                       progress: Progress | None = None) -> WriteResult:
    """Upload what ``plan`` sends (see the module docs). Raises :class:`UploadRefusedError`
    for a blocked plan, :class:`TenantChangedError` when the tenant moved since the plan."""
    ids = [i.policy_id for i in plan.to_send]
    if plan.blocked:
        refused = [i.policy_id for i in plan.refused] or ["the folder"]
        raise UploadRefusedError(
            f"the upload is refused: lint found errors in {', '.join(refused)}; nothing was "
            "sent (run the dry run to see them).")
    refuse_read_only(client, f"the push would upload {len(ids)} {_plural(len(ids))}"
                             + (f" ({', '.join(ids)})" if ids else ""))
    if not ids:
        return WriteResult("push", None, [])
    expected = {i.policy_id.lower(): i.tenant_text for i in plan.to_send}
    backup = await _backup_current(client, journal, "push", ids, expected)
    documents = {i.policy_id: (i.text, i.source) for i in plan.to_send}
    return await _write_all(client, journal, backup, "push", ids, documents, progress)


async def restore(client: GraphClient, journal: BackupJournal, backup: Backup,
                  policy_ids: Iterable[str] | None = None, *,
                  progress: Progress | None = None) -> WriteResult:
    """Put the policies saved in ``backup`` back (all, or ``policy_ids``), bases first. What
    they overwrite is backed up first (a ``restore`` backup); identical ones are skipped."""
    documents = await to_thread(backup.documents, policy_ids)
    parsed = [parse_policy(text, f"{backup.name}/{pid}") for pid, text in documents.items()]
    refuse_read_only(client, f"restoring {backup.name} would upload {len(parsed)} "
                             f"{_plural(len(parsed))}")
    tenant_ids = await list_policy_ids(client)
    order = InheritanceGraph(parsed, known_ids=tenant_ids).upload_order()
    current = await fetch_documents(client, order, missing_ok=True)
    texts = {p.policy_id: p.text for p in parsed}
    skipped = [pid for pid in order if pid in current and equivalent(current[pid], texts[pid])]
    ids = [pid for pid in order if pid not in skipped]
    if not ids:
        return WriteResult("restore", None, [], skipped=skipped)
    new_backup = await to_thread(_take_backup, journal, "restore", ids, current)
    result = await _write_all(client, journal, new_backup, "restore", ids,
                              {pid: (texts[pid], f"{backup.name}/{pid}") for pid in ids},
                              progress)
    result.skipped = skipped
    return result


@dataclass(frozen=True)
class DeletePlan:
    """What deleting a policy means: its id and everything that inherits from it."""

    policy_id: str
    dependents: tuple[str, ...]


async def plan_delete(client: GraphClient, policy_ids: Iterable[str]) -> list[DeletePlan]:
    """Read the tenant's policies once to list what inherits from each of ``policy_ids``
    (reads only)."""
    policies, _errors = await fetch_policies(client)
    graph = InheritanceGraph(policies)
    plans: list[DeletePlan] = []
    for policy_id in policy_ids:
        policy = graph.get(policy_id)
        if policy is None:
            raise B2CTuiError(f"the tenant has no policy {policy_id}.")
        plans.append(DeletePlan(policy.policy_id, tuple(
            p.policy_id for p in graph.descendants(policy.policy_id))))
    return plans


async def delete_policies(client: GraphClient, journal: BackupJournal,
                          policy_ids: Sequence[str]) -> WriteResult:
    """Delete policies (derived ones first, so no policy is left without its base while the
    rest runs), each backed up first."""
    refuse_read_only(client, f"deleting {', '.join(policy_ids)} would change the tenant")
    current = await fetch_documents(client, policy_ids)
    parsed = [parse_policy(text, f"tenant:{pid}") for pid, text in current.items()]
    ids = list(reversed(InheritanceGraph(parsed).upload_order()))
    backup = await to_thread(_take_backup, journal, "delete", ids, current)
    result = WriteResult("delete", backup, ids)
    for pid in ids:
        try:
            await client.policies.delete(pid)
        except GraphError as exc:
            result.failed, result.error = pid, exc.message
            await to_thread(journal.finish, backup, FAILED, message=exc.message, failed=pid)
            return result
        result.done.append(pid)
        backup.done.append(pid)
        await to_thread(journal.write_manifest, backup)
    await to_thread(journal.finish, backup, COMPLETE)
    return result


# -- shared steps -----------------------------------------------------------------------------
async def _backup_current(client: GraphClient, journal: BackupJournal, operation: str,
                          ids: list[str], expected: dict[str, str | None]) -> Backup:
    current = await fetch_documents(client, ids, missing_ok=True)
    for pid in ids:
        now, then = current.get(pid), expected.get(pid.lower())
        if (now is None) != (then is None) or (
                now is not None and then is not None and not equivalent(now, then)):
            state = "was created" if then is None else (
                "was deleted" if now is None else "changed")
            raise TenantChangedError(
                f"{pid} {state} in the tenant after the plan was made; nothing was sent. "
                "Run the dry run again to see the tenant's current copy.")
    return await to_thread(_take_backup, journal, operation, ids, current)


def _take_backup(journal: BackupJournal, operation: str, ids: list[str],
                 current: dict[str, str]) -> Backup:
    """A new backup holding the tenant's copy of each of ``ids`` (those it lacks are noted as
    created by the operation). Blocking file I/O: run it in a thread."""
    backup = journal.start(operation)
    for pid in ids:
        text = current.get(pid)
        if text is None:
            backup.created_policies.append(pid)
        else:
            journal.save(backup, pid, text)
    journal.write_manifest(backup)
    return backup


async def _write_all(client: GraphClient, journal: BackupJournal, backup: Backup,
                     operation: str, ids: list[str], documents: dict[str, tuple[str, str]],
                     progress: Progress | None) -> WriteResult:
    result = WriteResult(operation, backup, ids)
    try:
        for n, pid in enumerate(ids, 1):
            text, source = documents[pid]
            try:
                await client.policies.upload(pid, text)
            except GraphError as exc:
                _record_failure(result, pid, exc, text, source)
                journal.finish(backup, FAILED, message=exc.message, failed=pid)
                return result
            result.done.append(pid)
            backup.done.append(pid)
            # in place, not in a thread: a cancel while a thread still wrote this manifest
            # could let it land after the "interrupted" one below
            journal.write_manifest(backup)
            if progress is not None:
                progress(pid, n, len(ids))
    except BaseException:  # interrupted: the manifest must say how far it got
        journal.finish(backup, FAILED, message=f"interrupted after {len(result.done)} of "
                       f"{len(ids)}")
        raise
    journal.finish(backup, COMPLETE if ids else NOTHING_SENT)
    return result


def _record_failure(result: WriteResult, pid: str, exc: GraphError, text: str,
                    source: str) -> None:
    result.failed, result.error, result.source = pid, exc.message, source
    match = _LINE.search(exc.message or "")
    if match:
        result.error_line = int(match.group(1))
        result.error_column = int(match.group(2)) if match.group(2) else None
        lines = text.splitlines()
        if 0 < result.error_line <= len(lines):
            result.error_excerpt = lines[result.error_line - 1].strip()
