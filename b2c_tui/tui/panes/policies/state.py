"""What the policies pane knows about the tenant's policies, built off the event loop.

:func:`load_tenant_policies` reads every policy document (a few at a time), parses them and
builds the :class:`~b2c_tui.policies.index.PolicyIndex` in a worker thread, and reads when each
policy last changed from the audit log (the one place Graph says it: the policy resource
carries only its id). The result, :class:`TenantPolicies`, never changes once built, so the
viewer's resolver can read it from a thread. :func:`tree_rows` turns it into table records:
the inheritance tree (Base -> Localization -> Extensions -> relying parties, each policy set
under its own root) or a flat list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ....graph.errors import GraphError
from ....policies.index import PolicyIndex
from ....policies.inheritance import TreeRow
from ....policies.lint import Finding, lint_policies
from ....policies.tenant import (
    TenantContext,
    fetch_documents,
    list_keyset_ids,
    list_policy_ids,
    parse_documents,
    tenant_context,
)
from ....policies.xmlsafe import PolicyParseError

if TYPE_CHECKING:
    from ....graph.client import GraphClient

log = logging.getLogger(__name__)

#: How the problems of a policy read in the table (rule ids from the inheritance graph).
PROBLEM_TEXT = {
    "base-missing": "base missing",
    "base-cycle": "cycle",
    "inheritance-too-deep": "too deep",
    "tenant-mismatch": "other tenant",
}
ERROR_MARK = "✗"
UNREADABLE = "unreadable"
#: The audit log's category and target type for policy writes (B2C's "Resource" activities).
AUDIT_CATEGORY = "Resource"
AUDIT_TARGET = "policy"
AUDIT_PAGE = 500


@dataclass(frozen=True)
class TenantPolicies:
    """The tenant's policies as parsed, indexed and checked (see the module docs)."""

    context: TenantContext
    index: PolicyIndex
    #: documents the tenant holds that do not parse, and their text as Graph sent it
    errors: tuple[PolicyParseError, ...] = ()
    raw: dict[str, str] = field(default_factory=dict)
    #: lower-cased policy id -> ISO time of its last change in the audit log
    last_change: dict[str, str] = field(default_factory=dict)
    #: why the audit log could not be read ("" when it was)
    audit_note: str = ""

    @property
    def tenant(self) -> str:
        return self.context.domain

    def text_of(self, policy_id: str) -> str | None:
        """The XML of a policy (parsed or not), as the tenant holds it."""
        policy = self.index.get(policy_id)
        if policy is not None:
            return policy.text
        return next((t for k, t in self.raw.items() if k.lower() == policy_id.lower()), None)

    def documents(self) -> dict[str, str]:
        """``{id: XML}`` of every parsed policy (what a diff compares)."""
        return {p.policy_id: p.text for p in self.index.policies}

    def problems_of(self, policy_id: str) -> list[str]:
        """The inheritance problems of a policy, as sentences."""
        key = policy_id.lower()
        return [p.message for p in self.index.graph.problems if p.policy_id.lower() == key]


async def load_tenant_policies(client: GraphClient, fallback_tenant: str) -> TenantPolicies:
    """Read, parse and index the tenant's policies (parsing in a thread), and their last
    changes from the audit log (best effort: an audit log that cannot be read leaves the
    column empty and says why)."""
    context, ids = await asyncio.gather(tenant_context(client, fallback_tenant),
                                        list_policy_ids(client))
    documents, (changes, note) = await asyncio.gather(fetch_documents(client, ids),
                                                      last_changes(client))
    return await asyncio.to_thread(_build, context, documents, changes, note)


def _build(context: TenantContext, documents: dict[str, str], changes: dict[str, str],
           note: str) -> TenantPolicies:
    policies, errors = parse_documents(documents)
    index = PolicyIndex(policies, tenant=context.domain)
    failed = {e.source.removeprefix("tenant:") for e in errors}
    raw = {pid: text for pid, text in documents.items() if pid in failed}
    return TenantPolicies(context, index, tuple(errors), raw, changes, note)


async def last_changes(client: GraphClient) -> tuple[dict[str, str], str]:
    """Lower-cased policy id -> the newest successful write in the audit log (one page of
    B2C's "Resource" activities, newest first), and a note when it could not be read."""
    try:
        pages = client.audit.list(category=AUDIT_CATEGORY, result="success", top=AUDIT_PAGE,
                                  newest_first=True,
                                  select=["activityDateTime", "activityDisplayName",
                                          "targetResources"])
        records = await pages.collect(AUDIT_PAGE)
    except GraphError as exc:
        log.info("audit log not readable for policy changes (%s)", exc.status)
        return {}, f"Last change: the audit log could not be read ({exc.status or 'no answer'})."
    out: dict[str, str] = {}
    for record in records:
        activity = str(record.get("activityDisplayName") or "").lower()
        when = record.get("activityDateTime")
        if not isinstance(when, str) or activity.startswith(("get ", "read ")):
            continue
        for target in record.get("targetResources") or []:
            if isinstance(target, dict) and str(target.get("type", "")).lower() == AUDIT_TARGET:
                out.setdefault(str(target.get("id") or target.get("displayName")).lower(), when)
    return out, ""


async def lint_tenant(client: GraphClient, state: TenantPolicies) -> list[Finding]:
    """Lint the tenant's own policies in its context (its keysets included)."""
    keysets = await list_keyset_ids(client)
    return await asyncio.to_thread(
        lint_policies, state.index.policies, tenant=state.tenant,
        tenant_ids=[p.policy_id for p in state.index.policies], keysets=keysets,
        errors=state.errors)


# -- table rows -------------------------------------------------------------------------------
def tree_rows(state: TenantPolicies, *, tree: bool) -> list[dict[str, Any]]:
    """The table's records: every policy (tree order with connectors, or by id), then the
    documents that do not parse."""
    graph = state.index.graph
    rows = graph.tree()
    labels = _tree_labels(rows) if tree else [r.policy_id for r in rows]
    out = []
    for row, label in zip(rows, labels, strict=True):
        policy = graph.get(row.policy_id)
        assert policy is not None
        problems = [PROBLEM_TEXT.get(rule, rule) for rule in dict.fromkeys(row.problems)]
        out.append({
            "id": policy.policy_id,
            "policy": label,
            "kind": row.kind.value,
            "base": policy.base_policy_id or "",
            "sizeKb": kilobytes(policy.size),
            "lastChange": state.last_change.get(policy.key),
            "problems": f"{ERROR_MARK} {', '.join(problems)}" if problems else "",
            "set": row.set_name,
            "depth": row.depth,
        })
    for error in state.errors:
        pid = error.source.removeprefix("tenant:")
        out.append({"id": pid, "policy": pid, "kind": UNREADABLE, "base": "",
                    "sizeKb": kilobytes(len(state.raw.get(pid, "").encode())),
                    "lastChange": state.last_change.get(pid.lower()),
                    "problems": f"{ERROR_MARK} {error.rule}", "set": "", "depth": 0})
    if not tree:
        out.sort(key=lambda r: str(r["id"]).lower())
    return out


def kilobytes(size: int) -> int:
    """Whole KB as :func:`~b2c_tui.policies.xmlsafe.format_size` rounds them (at least 1)."""
    return max(1, round(size / 1024))


def _tree_labels(rows: Sequence[TreeRow]) -> list[str]:
    """``├─``/``└─`` connectors for depth-first rows: a row is the last of its siblings when
    no later row at its depth comes before one shallower."""
    last: list[bool] = []
    for i, row in enumerate(rows):
        following = (r.depth for r in rows[i + 1:] if r.depth <= row.depth)
        last.append(next(following, -1) < row.depth)
    labels = []
    open_levels: list[bool] = []  # per depth: does a later sibling still come?
    for row, is_last in zip(rows, last, strict=True):
        del open_levels[row.depth:]
        if row.depth == 0:
            labels.append(row.policy_id)
        else:
            lead = "".join("│  " if more else "   " for more in open_levels[1:row.depth])
            labels.append(f"{lead}{'└─ ' if is_last else '├─ '}{row.policy_id}")
        open_levels.append(not is_last)
    return labels
