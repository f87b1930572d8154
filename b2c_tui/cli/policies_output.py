"""Text and JSON output of ``b2c-tui policies`` (results on stdout, nothing else there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .common import write_json
from .policy_support import clean, out

if TYPE_CHECKING:
    from ..policies.backups import BackupJournal
    from ..policies.diff import PolicyDiff
    from ..policies.inheritance import InheritanceGraph
    from ..policies.lint import Finding
    from ..policies.plan import UploadPlan
    from ..policies.push import WriteResult
    from ..policies.xmlsafe import PolicyParseError


def print_tree(graph: InheritanceGraph, errors: Sequence[PolicyParseError], tenant: str, *,
               as_json: bool) -> None:
    """The tenant's policies as trees per policy set, with their problems."""
    problems = graph.problems
    if as_json:
        write_json({
            "tenant": tenant,
            "sets": [{"name": s.name, "root": s.root_id, "upload_order": list(s.policy_ids)}
                     for s in graph.sets()],
            "policies": [_policy_json(graph, row.policy_id, row.depth, row.set_name)
                         for row in graph.tree()],
            "problems": [{"policy": p.policy_id, "rule": p.rule, "message": p.message}
                         for p in problems],
            "unreadable": [{"source": e.source, "message": e.reason} for e in errors],
        })
        return
    current = None
    for row in graph.tree():
        if row.set_name != current:
            current = row.set_name
            out(f"{row.set_name or '(no root)'}")
        policy = graph.get(row.policy_id)
        size = f"{policy.size / 1024:.0f} KB" if policy else ""
        flags = f"  !! {', '.join(row.problems)}" if row.problems else ""
        out(f"  {'  ' * row.depth}{row.policy_id}  [{row.kind.value}, {size}]{flags}")
    for problem in problems:
        out(f"problem: {problem.policy_id}: [{problem.rule}] {problem.message}")
    for error in errors:
        out(f"unreadable: {error}")
    out(f"{len(graph)} policies in {len(graph.sets())} set(s).")


def _policy_json(graph: InheritanceGraph, policy_id: str, depth: int, set_name: str
                 ) -> dict[str, Any]:
    policy = graph.get(policy_id)
    assert policy is not None
    return {"id": policy.policy_id, "kind": policy.kind.value, "base": policy.base_policy_id,
            "set": set_name, "depth": depth, "size": policy.size,
            "tenant_id": policy.tenant_id, "public_policy_uri": policy.public_policy_uri}


def print_findings(findings: Sequence[Finding], files: int, *, as_json: bool) -> None:
    if as_json:
        write_json({"files": files, "findings": [f.as_dict() for f in findings]})
        return
    for finding in findings:
        out(finding.format())
    errors = sum(1 for f in findings if f.severity == "error")
    out(f"{files} file(s): {errors} error(s), {len(findings) - errors} warning(s).")


def print_plan(plan: UploadPlan, *, as_json: bool, with_diff: bool) -> None:
    """The dry run: each policy's action in upload order, diffs of changed ones, findings."""
    if as_json:
        write_json(plan_json(plan, with_diff=with_diff))
        return
    prefix = f" with prefix {plan.prefix}" if plan.prefix else ""
    out(f"Push {plan.folder} to {plan.tenant}{prefix} (bases first):")
    for item in plan.items:
        mark = "->" if item.send and not plan.blocked else "  "
        extra = ""
        if item.action.value == "changed":
            added, removed = item.diff.counts
            extra = f"  (+{added} -{removed})"
        out(f" {mark} {item.action.value:<9} {item.policy_id:<45} {item.source}{extra}")
    if with_diff:
        for item in plan.items:
            if item.action.value == "changed":
                out()
                for line in item.diff.unified().splitlines():
                    out(line)
    if plan.findings:
        out()
        for finding in plan.findings:
            out(finding.format())
    counts = plan.counts()
    summary = ", ".join(f"{n} {a}" for a, n in counts.items() if n)
    sending = "nothing (refused)" if plan.blocked else str(len(plan.to_send))
    out(f"{summary or 'no policies'}; would upload: {sending}.")


def plan_json(plan: UploadPlan, *, with_diff: bool = True) -> dict[str, Any]:
    items = []
    for item in plan.items:
        entry: dict[str, Any] = {"id": item.policy_id, "file": item.source,
                                 "action": item.action.value,
                                 "send": item.send and not plan.blocked}
        if item.action.value == "changed":
            added, removed = item.diff.counts
            entry.update(added=added, removed=removed)
            if with_diff:
                entry["diff"] = item.diff.unified()
        entry["findings"] = [f.as_dict() for f in item.findings]
        items.append(entry)
    return {"tenant": plan.tenant, "folder": str(plan.folder), "prefix": plan.prefix,
            "blocked": plan.blocked, "counts": plan.counts(), "items": items,
            "findings": [f.as_dict() for f in plan.findings]}


def print_write_result(result: WriteResult, *, as_json: bool,
                       plan: UploadPlan | None = None) -> None:
    backup = result.backup
    if as_json:
        data: dict[str, Any] = {
            "operation": result.operation, "ok": result.ok, "done": result.done,
            "not_done": result.not_done, "skipped": result.skipped, "failed": result.failed,
            "error": result.error, "error_line": result.error_line, "file": result.source,
            "backup": str(backup.path) if backup else None}
        if plan is not None:
            data["plan"] = plan_json(plan, with_diff=False)
        write_json(data)
        return
    out(result.summary())
    if result.skipped:
        out(f"Already identical, not sent: {', '.join(result.skipped)}.")
    if result.failed and result.error_line:
        where = f"{result.source}:{result.error_line}"
        out(f"  {where}: {result.error_excerpt or ''}")
    if backup is not None:
        saved = len(backup.saved)
        out(f"Backup: {backup.path} ({saved} saved {'policy' if saved == 1 else 'policies'}"
            f"; restore with: b2c-tui policies restore {backup.name})")


def print_diffs(diffs: Sequence[PolicyDiff], *, as_json: bool, stat: bool) -> None:
    if as_json:
        write_json([{"id": d.policy_id, "status": d.status.value,
                     "left": d.left_label, "right": d.right_label,
                     **({} if stat else {"diff": d.unified()})} for d in diffs])
        return
    for diff in diffs:
        extra = ""
        if diff.status.value == "changed":
            added, removed = diff.counts
            extra = f"  (+{added} -{removed})"
        out(f"{diff.status.value:<9} {diff.policy_id}{extra}")
    if not stat:
        for diff in diffs:
            if diff.status.value == "changed":
                out()
                for line in diff.unified().splitlines():
                    out(line)
    changed = sum(1 for d in diffs if d.status.value != "unchanged")
    out(f"{len(diffs)} compared, {changed} differ.")


def print_backups(journal: BackupJournal, *, as_json: bool) -> None:
    backups = journal.list()
    if as_json:
        write_json({"folder": str(journal.root), "backups": [
            {"name": b.name, "path": str(b.path), **b.to_json()} for b in backups]})
        return
    if not backups:
        out(f"No policy backups for {journal.tenant} yet ({journal.root}).")
        return
    for backup in backups:
        saved = ", ".join(backup.saved_ids()) or "-"
        out(clean(f"{backup.name:<32} {backup.operation:<8} {backup.status:<12} saved: {saved}"))
    out(f"{len(backups)} backup(s) in {journal.root}")
