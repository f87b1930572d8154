"""Lint a set of policies before it goes anywhere near a tenant.

Each :class:`Finding` names the file, line and column (1-based), a rule id, a message and a
severity. ``error`` findings stop an upload; ``warning`` ones are reported and counted (the CLI
exits 1 on any finding of either). The rules:

============================  ========  ===========================================================
rule                          severity  what
============================  ========  ===========================================================
xml-malformed                 error     not well-formed XML (line and column from the parser)
xml-unsafe                    error     a DTD, an entity declaration or an external reference
encoding                      error     not UTF-8 / UTF-16-with-BOM text
file-too-large                error     over b2c-tui's 16 MB reading limit
unreadable                    error     the file cannot be opened
not-a-policy                  warning   an XML file whose root is not <TrustFrameworkPolicy>
policy-id-missing             error     <TrustFrameworkPolicy> without a PolicyId
policy-too-large              error     over B2C's 1024 KB policy size limit
schema-namespace              error     the root is not in B2C's policy namespace
policy-id-prefix              error     a PolicyId without ``B2C_1A_`` or with other characters
duplicate-policy-id           error     two files claim one PolicyId
policy-id-file-name           warning   the file name says one policy, the PolicyId another
base-missing                  error     <BasePolicy> is neither in the set nor in the tenant
base-cycle                    error     the base chain loops
inheritance-too-deep          error     more than B2C's 10 levels
tenant-missing                error     no TenantId on the root element
tenant-mismatch               error     TenantId, base TenantId or PublicPolicyUri of another tenant
public-policy-uri             warning   PublicPolicyUri does not end in the PolicyId
undefined-<kind>              error     an id referenced but defined nowhere in the chain
                                        (technical-profile, claim-type, content-definition,
                                        claims-exchange, claims-transformation, user-journey...)
duplicate-definition          error     one id defined twice in one file
unknown-keyset                error     a StorageReferenceId that is not a keyset of the tenant
unreplaced-placeholder        error     {Settings:...}, {Tenant}, yourtenant.onmicrosoft.com...
============================  ========  ===========================================================

References are resolved the way B2C compiles a policy: each leaf (a relying party, or any
policy nothing inherits from) is merged with its bases, and a reference anywhere in that chain
must be defined somewhere in it, so a base may use what its extensions define. Ids match
case-insensitively, as in B2C (the starter packs define ``surname`` and use ``surName``), and a
``<LocalizedString ElementId>`` naming a claim nobody defines is not a finding (B2C ignores it;
the starter packs have some). Chains with a missing base or a cycle are not checked for
references (the base finding says why).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..graph.errors import ValidationError
from ..graph.validation import validate_policy_id
from .index import PolicyIndex
from .model import Location, Policy, SymbolKind
from .parser import NAMESPACE
from .settings import find_placeholders
from .xmlsafe import B2C_MAX_POLICY_BYTES, PolicyParseError

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)
#: kinds whose references must resolve (keysets are checked against the tenant instead)
CHECKED_KINDS = tuple(k for k in SymbolKind if k not in (SymbolKind.KEYSET, SymbolKind.POLICY))
_SCOPED = {SymbolKind.CLAIMS_EXCHANGE}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Finding:
    """One problem: where, which rule, what, how bad."""

    file: str
    line: int | None
    column: int | None
    rule: str
    message: str
    severity: str = ERROR
    policy_id: str | None = None

    def format(self) -> str:
        """``file:line:col: error [rule] message`` (the shape editors and CI logs link)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.severity} [{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def finding_from_error(error: PolicyParseError) -> Finding:
    """A file that could not be read, as a finding."""
    severity = WARNING if error.rule == "not-a-policy" else ERROR
    return Finding(error.source, error.line, error.column, error.rule, error.reason, severity)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0, f.rule))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def lint_policies(
    policies: Sequence[Policy],
    *,
    tenant: str | None = None,
    tenant_policies: Sequence[Policy] = (),
    tenant_ids: Iterable[str] = (),
    keysets: Iterable[str] | None = None,
    setting_names: Iterable[str] = (),
    errors: Iterable[PolicyParseError] = (),
) -> list[Finding]:
    """Lint ``policies`` (the set being checked, usually a folder after substitution).

    ``tenant`` is the tenant's ``*.onmicrosoft.com`` name (tenant checks are skipped without
    it); ``tenant_policies`` are parsed tenant policies that complete the chains (bases not in
    the folder), ``tenant_ids`` every id the tenant has; ``keysets`` the tenant's keyset ids
    (the keyset check is skipped when ``None``); ``errors`` files that failed to parse.
    """
    findings = [finding_from_error(e) for e in errors]
    local_keys = {p.key for p in policies}
    extra = [p for p in tenant_policies if p.key not in local_keys]
    index = PolicyIndex([*policies, *extra], known_ids=tenant_ids, tenant=tenant)
    findings += _duplicate_ids(policies)
    for policy in policies:
        findings += _document_rules(policy, setting_names)
    for problem in index.graph.problems:
        owner = index.get(problem.policy_id)
        if owner is None or owner.key not in local_keys:
            continue
        findings.append(_at(owner, problem.location, problem.rule, problem.message,
                            problem.severity))
    findings += _unresolved(index, local_keys)
    if keysets is not None:
        findings += _unknown_keysets(policies, {k.lower() for k in keysets})
    return sort_findings(findings)


# -- per document -----------------------------------------------------------------------------
def _document_rules(policy: Policy, setting_names: Iterable[str]) -> list[Finding]:
    out: list[Finding] = []
    where = policy.header_locations
    if policy.size > B2C_MAX_POLICY_BYTES:
        out.append(_at(policy, None, "policy-too-large",
                       f"{policy.size / 1024:,.0f} KB: B2C refuses policy files over "
                       f"{B2C_MAX_POLICY_BYTES // 1024} KB."))
    if policy.namespace != NAMESPACE:
        out.append(_at(policy, Location(policy.policy_id, 1, 1, 1), "schema-namespace",
                       f"the root element's namespace is {policy.namespace or '(none)'}; B2C "
                       f"expects {NAMESPACE}."))
    try:
        validate_policy_id(policy.policy_id)
    except ValidationError as exc:
        out.append(_at(policy, where.get("PolicyId"), "policy-id-prefix", str(exc)))
    if not policy.tenant_id:
        out.append(_at(policy, where.get("PolicyId"), "tenant-missing",
                       "the root element has no TenantId attribute."))
    out += _file_name(policy)
    out += _public_uri(policy)
    out += _duplicate_definitions(policy)
    for found in find_placeholders(policy.text, setting_names):
        out.append(_at(policy, Location(policy.policy_id, found.line, found.column,
                                        found.column + len(found.text)),
                       "unreplaced-placeholder",
                       f"{found.text} is still a placeholder: set it in the policy settings "
                       "file (b2c-tui policies --help) or replace it."))
    return out


def _file_name(policy: Policy) -> list[Finding]:
    if Path(policy.source).suffix.lower() != ".xml":  # from the tenant or a backup: no file
        return []
    stem = _NON_ALNUM.sub("", Path(policy.source).stem.lower().removeprefix("b2c_1a_"))
    ident = _NON_ALNUM.sub("", policy.policy_id.lower().removeprefix("b2c_1a_"))
    if not stem or not ident or stem in ident or ident in stem:
        return []
    if difflib.SequenceMatcher(None, stem, ident).ratio() >= 0.75:
        return []
    return [_at(policy, policy.header_locations.get("PolicyId"), "policy-id-file-name",
                f"the file is named {Path(policy.source).name} but its PolicyId is "
                f"{policy.policy_id}; a copied file whose id was not changed overwrites "
                "another policy on upload.", WARNING)]


def _public_uri(policy: Policy) -> list[Finding]:
    uri = (policy.public_policy_uri or "").strip()
    if not uri or uri.rstrip("/").rpartition("/")[2].lower() == policy.key:
        return []
    return [_at(policy, policy.header_locations.get("PublicPolicyUri"), "public-policy-uri",
                f"PublicPolicyUri {uri} does not end in the PolicyId {policy.policy_id}.",
                WARNING)]


def _duplicate_definitions(policy: Policy) -> list[Finding]:
    seen: dict[tuple[SymbolKind, str, str | None], Location] = {}
    out: list[Finding] = []
    for definition in policy.definitions:
        scope = definition.scope if definition.kind in _SCOPED else None
        key = (definition.kind, definition.id.lower(), scope)
        first = seen.get(key)
        if first is None:
            seen[key] = definition.location
            continue
        within = f" in journey {scope}" if scope else ""
        out.append(_at(policy, definition.location, "duplicate-definition",
                       f"{definition.kind.value} {definition.id} is defined twice{within} in "
                       f"this file (first at line {first.line})."))
    return out


# -- across files -----------------------------------------------------------------------------
def _duplicate_ids(policies: Sequence[Policy]) -> list[Finding]:
    groups: dict[str, list[Policy]] = {}
    for policy in policies:
        groups.setdefault(policy.key, []).append(policy)
    out: list[Finding] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        files = ", ".join(Path(p.source).name for p in group)
        for policy in group:
            out.append(_at(policy, policy.header_locations.get("PolicyId"),
                           "duplicate-policy-id",
                           f"{len(group)} files claim PolicyId {policy.policy_id}: {files}; "
                           "each upload would overwrite the other."))
    return out


def _unresolved(index: PolicyIndex, local_keys: set[str]) -> list[Finding]:
    graph = index.graph
    reported: set[tuple[str, int, int]] = set()
    out: list[Finding] = []
    leaves = [p for p in graph.policies if not graph.children(p.policy_id)]
    for leaf in leaves:
        chain = graph.chain(leaf.policy_id)
        top = chain[-1]
        if graph.in_cycle(leaf.key) or top.base_policy_id:
            continue  # a missing base or a cycle: reported as such, references unknowable
        defined: set[tuple[SymbolKind, str]] = set()
        for policy in chain:
            defined.update(index.definitions_in(policy.policy_id))
        for policy in chain:
            if policy.key not in local_keys:
                continue
            for (kind, ident), refs in index.references_in(policy.policy_id).items():
                if kind not in CHECKED_KINDS or (kind, ident) in defined:
                    continue
                for ref in refs:
                    if ref.attribute == "ElementId":
                        continue  # B2C ignores strings localized for claims nobody uses
                    spot = (policy.key, ref.location.line, ref.location.column)
                    if spot in reported:
                        continue
                    reported.add(spot)
                    names = " -> ".join(p.policy_id for p in chain)
                    out.append(_at(policy, ref.location, f"undefined-{kind.slug}",
                                   f"{kind.value} {ref.id} ({ref.attribute}) is defined nowhere "
                                   f"in the chain {names}."))
    return out


def _unknown_keysets(policies: Sequence[Policy], keysets: set[str]) -> list[Finding]:
    out: list[Finding] = []
    for policy in policies:
        for ref in policy.references:
            if ref.kind is SymbolKind.KEYSET and ref.id.lower() not in keysets:
                out.append(_at(policy, ref.location, "unknown-keyset",
                               f"keyset {ref.id} (StorageReferenceId) does not exist in the "
                               "tenant; create it under policy keys first."))
    return out


def _at(policy: Policy, location: Location | None, rule: str, message: str,
        severity: str = ERROR) -> Finding:
    line = location.line if location else None
    column = location.column if location else None
    return Finding(policy.source, line, column, rule, message, severity, policy.policy_id)
