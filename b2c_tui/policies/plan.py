"""The upload plan (the dry run): what a push of a local folder would do, before anything is
sent.

:func:`prepare` turns the folder's files into the documents that would be uploaded (prefix,
then placeholder substitution; see :mod:`.settings`); :func:`plan_push` reads the tenant, lints
those documents in the tenant's context and compares each with the tenant's copy:

- **new**: the tenant has no such policy;
- **changed**: it differs (beyond what Graph itself changes; see :mod:`.diff`);
- **unchanged**: identical, so not sent unless ``force_all`` (``--all``);
- **refused**: lint found an error in it (or it is part of a cycle).

Any error finding blocks the whole push: a half-uploaded policy set leaves the tenant
inconsistent, so nothing is sent until the folder lints without errors. Items come in upload
order (every base before what inherits from it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..graph.errors import B2CTuiError
from .diff import PolicyDiff, compare, equivalent
from .inheritance import InheritanceGraph
from .lint import ERROR, Finding, has_errors, lint_policies
from .local import LocalPolicies, load_local, utf8_document
from .model import Policy
from .parser import parse_policy
from .settings import PolicySettings, apply_prefix, substitute, validate_prefix
from .tenant import (
    TenantContext,
    fetch_bases,
    fetch_documents,
    list_keyset_ids,
    list_policy_ids,
)
from .xmlsafe import PolicyParseError

if TYPE_CHECKING:
    from ..graph.client import GraphClient


class Action(StrEnum):
    """What a push does with one policy."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass
class PlanItem:
    """One policy of the plan: the document to send and the tenant's current copy."""

    policy_id: str
    source: str
    action: Action
    text: str
    tenant_text: str | None
    findings: list[Finding] = field(default_factory=list)
    send: bool = False

    @cached_property
    def diff(self) -> PolicyDiff:
        """Tenant copy (left) against the document to send (right); computed once (its
        lines and opcodes are cached on it), however many times counts and text are asked."""
        return compare(self.policy_id, self.tenant_text, self.text,
                       left_label="tenant", right_label="local")


@dataclass
class UploadPlan:
    """The dry run's answer (see the module docs)."""

    tenant: str
    folder: Path
    items: list[PlanItem]
    findings: list[Finding]
    prefix: str | None = None
    force_all: bool = False
    settings_path: Path | None = None

    @property
    def to_send(self) -> list[PlanItem]:
        """What a push would upload, in order (empty when blocked)."""
        return [] if self.blocked else [i for i in self.items if i.send]

    @property
    def refused(self) -> list[PlanItem]:
        return [i for i in self.items if i.action is Action.REFUSED]

    @property
    def blocked(self) -> bool:
        """True when any error finding stops the push."""
        return has_errors(self.findings)

    def counts(self) -> dict[str, int]:
        out = {a.value: 0 for a in Action}
        for item in self.items:
            out[item.action.value] += 1
        return out


def prepare(local: LocalPolicies, settings: PolicySettings, prefix: str | None
            ) -> tuple[list[Policy], list[PolicyParseError]]:
    """The documents a push would send: each file with ``prefix`` applied to the set's ids,
    then placeholders substituted and the XML declaration's encoding set to UTF-8 (what is
    sent), parsed again (so findings and diffs are about what would really be uploaded; line
    numbers stay those of the files)."""
    errors = list(local.errors)
    set_ids = [p.policy_id for p in local.policies]
    out: list[Policy] = []
    for policy in local.policies:
        text = apply_prefix(policy, prefix, set_ids) if prefix else policy.text
        # sent as UTF-8: a declaration still saying UTF-16 would make B2C misread it
        text = utf8_document(substitute(text, settings))
        try:
            out.append(parse_policy(text, policy.source))
        except PolicyParseError as exc:
            errors.append(exc)
    return out, errors


@dataclass
class PreparedFolder:
    """A folder read and turned into the documents a push would send, with its findings."""

    local: LocalPolicies
    effective: list[Policy]
    errors: list[PolicyParseError]
    settings: PolicySettings
    prefix: str | None
    findings: list[Finding] = field(default_factory=list)
    #: the tenant's copies of the folder's policies (``{id: XML}``), when a tenant was read
    current: dict[str, str] = field(default_factory=dict)


async def lint_folder(
    client: GraphClient | None,
    folder: str | Path | LocalPolicies,
    context: TenantContext | None,
    *,
    settings: PolicySettings | None = None,
    prefix: str | None = None,
) -> PreparedFolder:
    """Read, prepare and lint ``folder``. With a ``client`` and ``context`` the tenant is read
    (reads only): its id and keyset lists, the bases the folder inherits from, and its copies
    of the folder's policies; without them only what the files say is checked."""
    local = folder if isinstance(folder, LocalPolicies) else await asyncio.to_thread(
        load_local, folder)
    merged = (settings or PolicySettings()).with_defaults(context.defaults if context else {})
    chosen = prefix if prefix is not None else merged.prefix
    chosen = validate_prefix(chosen) if chosen else None
    effective, errors = await asyncio.to_thread(prepare, local, merged, chosen)
    prepared = PreparedFolder(local, effective, errors, merged, chosen)
    tenant_ids: list[str] = []
    bases: list[Policy] = []
    keysets: list[str] | None = None
    if client is not None and context is not None:
        tenant_ids = await list_policy_ids(client)
        present = {i.lower() for i in tenant_ids}
        prepared.current = await fetch_documents(
            client, [p.policy_id for p in effective if p.key in present], missing_ok=True)
        bases = await fetch_bases(client, effective, tenant_ids)
        keysets = await list_keyset_ids(client)
    prepared.findings = await asyncio.to_thread(
        lint_policies, effective, tenant=context.domain if context else None,
        tenant_policies=bases, tenant_ids=tenant_ids, keysets=keysets,
        setting_names=list(merged.values), errors=errors)
    return prepared


async def plan_push(
    client: GraphClient,
    folder: str | Path | LocalPolicies,
    context: TenantContext,
    *,
    settings: PolicySettings | None = None,
    prefix: str | None = None,
    force_all: bool = False,
    policy_ids: Iterable[str] | None = None,
) -> UploadPlan:
    """Plan a push of ``folder`` to the tenant (reads only). ``policy_ids`` limits what is
    sent (the rest of the folder is still linted, as the chains need it)."""
    prepared = await lint_folder(client, folder, context, settings=settings, prefix=prefix)
    items = _items(prepared.effective, prepared.current, prepared.findings, force_all,
                   policy_ids)
    return UploadPlan(context.domain, prepared.local.root, items, prepared.findings,
                      prepared.prefix, force_all, prepared.settings.path)


def _items(effective: list[Policy], current: dict[str, str], findings: list[Finding],
           force_all: bool, policy_ids: Iterable[str] | None) -> list[PlanItem]:
    given = list(policy_ids or ())
    wanted = None if policy_ids is None else {i.lower() for i in given}
    have = {p.key for p in effective}
    unknown = [i for i in given if i.lower() not in have]
    if unknown:
        raise B2CTuiError(f"not in the folder: {', '.join(unknown)} (ids are as uploaded, "
                          "with any prefix).")
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    tenant = {k.lower(): v for k, v in current.items()}
    graph = InheritanceGraph(effective)
    order = {pid.lower(): n for n, pid in enumerate(graph.upload_order())}
    duplicated = set(graph.duplicates)
    items: list[PlanItem] = []
    for policy in effective:
        if wanted is not None and policy.key not in wanted:
            continue
        own = by_file.get(policy.source, [])
        before = tenant.get(policy.key)
        refused = (any(f.severity == ERROR for f in own) or policy.key not in order
                   or policy.key in duplicated)
        if refused:
            action = Action.REFUSED
        elif before is None:
            action = Action.NEW
        else:
            action = Action.UNCHANGED if equivalent(before, policy.text) else Action.CHANGED
        send = action in (Action.NEW, Action.CHANGED) or (force_all and action is
                                                           Action.UNCHANGED)
        items.append(PlanItem(policy.policy_id, policy.source, action, policy.text, before,
                              own, send))
    last = len(order)
    return sorted(items, key=lambda i: (order.get(i.policy_id.lower(), last), i.source))
