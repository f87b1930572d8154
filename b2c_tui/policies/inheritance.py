"""The inheritance graph of a group of policies: chains, policy sets, problems, upload order.

Each policy names its base in ``<BasePolicy>``; following those links gives a policy's chain
(relying party -> extensions -> localization -> base). Policies that share a root form a
*policy set*; a tenant often holds several side by side (``B2C_1A_TrustFrameworkBase`` and
``B2C_1A_Dev_TrustFrameworkBase``...). Policy ids compare case-insensitively, as Graph does.

Problems found: a base that is neither in the group nor among ``known_ids`` (the tenant's
other policies), a cycle, a chain deeper than B2C's 10 levels, and (when the tenant is known) a
``TenantId``, base ``TenantId`` or ``PublicPolicyUri`` naming another tenant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Location, Policy, PolicyKind

#: B2C's documented limit on levels of inheritance in custom policies
MAX_INHERITANCE_LEVELS = 10
KIND_ORDER = {PolicyKind.BASE: 0, PolicyKind.LOCALIZATION: 1, PolicyKind.EXTENSIONS: 2,
              PolicyKind.RELYING_PARTY: 3}
BASE_SUFFIX = "trustframeworkbase"
POLICY_PREFIX = "B2C_1A_"


@dataclass(frozen=True)
class InheritanceProblem:
    """Something wrong with how a policy inherits. ``rule`` is a lint rule id."""

    rule: str  # base-missing | base-cycle | inheritance-too-deep | tenant-mismatch
    policy_id: str
    message: str
    location: Location | None = None
    severity: str = "error"


@dataclass(frozen=True)
class PolicySetInfo:
    """A policy set: the policies under one root, in upload order (bases first)."""

    name: str  # the common prefix, e.g. "B2C_1A_Social_" (or the root's id)
    root_id: str
    policy_ids: tuple[str, ...]


@dataclass(frozen=True)
class TreeRow:
    """One row of the inheritance tree (depth-first, children sorted by kind then id)."""

    policy_id: str
    depth: int
    kind: PolicyKind
    set_name: str
    problems: tuple[str, ...]  # rule ids of this policy's problems


def same_tenant(value: str | None, tenant: str) -> bool:
    """True when ``value`` names ``tenant`` (case-insensitive; blank counts as not)."""
    return bool(value) and str(value).strip().lower() == tenant.strip().lower()


class InheritanceGraph:
    """The graph of ``policies`` (first one wins when two claim an id; see
    :attr:`duplicates`). ``known_ids`` are ids that exist elsewhere (the tenant), so a base
    among them is not missing; ``tenant`` (its ``*.onmicrosoft.com`` name) enables the
    tenant checks."""

    def __init__(self, policies: Iterable[Policy], *, known_ids: Iterable[str] = (),
                 tenant: str | None = None) -> None:
        self._by_key: dict[str, Policy] = {}
        self.duplicates: dict[str, list[Policy]] = {}
        for policy in policies:
            if policy.key in self._by_key:
                self.duplicates.setdefault(policy.key, [self._by_key[policy.key]]).append(policy)
            else:
                self._by_key[policy.key] = policy
        self.known = {k.lower() for k in known_ids}
        self.tenant = tenant
        self._children: dict[str, list[str]] = {}
        for policy in self._by_key.values():
            if policy.base_policy_id:
                self._children.setdefault(policy.base_policy_id.lower(), []).append(policy.key)
        for kids in self._children.values():
            kids.sort(key=lambda k: self._sort_key(self._by_key[k]))
        self._cycles = self._find_cycles()
        self.problems = self._problems()

    # -- lookups ---------------------------------------------------------------------------
    def __contains__(self, policy_id: object) -> bool:
        return isinstance(policy_id, str) and policy_id.lower() in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, policy_id: str) -> Policy | None:
        return self._by_key.get(policy_id.lower())

    @property
    def policies(self) -> list[Policy]:
        return list(self._by_key.values())

    def base_of(self, policy_id: str) -> Policy | None:
        policy = self.get(policy_id)
        return self.get(policy.base_policy_id) if policy and policy.base_policy_id else None

    def chain(self, policy_id: str) -> list[Policy]:
        """The policy, its base, its base's base... (stops at a missing base or a cycle)."""
        out: list[Policy] = []
        seen: set[str] = set()
        current = self.get(policy_id)
        while current is not None and current.key not in seen:
            out.append(current)
            seen.add(current.key)
            current = self.get(current.base_policy_id) if current.base_policy_id else None
        return out

    def children(self, policy_id: str) -> list[Policy]:
        return [self._by_key[k] for k in self._children.get(policy_id.lower(), ())]

    def descendants(self, policy_id: str) -> list[Policy]:
        """Everything that inherits from the policy, nearest first."""
        out: list[Policy] = []
        seen = {policy_id.lower()}
        queue = [policy_id.lower()]
        while queue:
            for child in self._children.get(queue.pop(0), ()):
                if child not in seen:
                    seen.add(child)
                    out.append(self._by_key[child])
                    queue.append(child)
        return out

    def root_of(self, policy_id: str) -> Policy | None:
        chain = self.chain(policy_id)
        return chain[-1] if chain else None

    def family(self, policy_id: str) -> list[Policy]:
        """The whole policy set the policy belongs to: its root and everything under it."""
        root = self.root_of(policy_id)
        return [] if root is None else [root, *self.descendants(root.policy_id)]

    def in_cycle(self, policy_id: str) -> bool:
        return any(policy_id.lower() in cycle for cycle in self._cycles)

    # -- sets, tree, order -----------------------------------------------------------------
    def sets(self) -> list[PolicySetInfo]:
        """Policy sets side by side, sorted by name. A policy whose base is missing roots a
        set of its own (and is reported as a problem)."""
        out = []
        for root in self._roots():
            members = [root, *self.descendants(root.policy_id)]
            ordered = self.upload_order(p.policy_id for p in members)
            out.append(PolicySetInfo(set_name(root, members), root.policy_id, tuple(ordered)))
        return sorted(out, key=lambda s: s.name.lower())

    def tree(self) -> list[TreeRow]:
        """Depth-first rows of every set (for a tree or an indented list); cycle members,
        which have no root, come last at depth 0."""
        problems: dict[str, list[str]] = {}
        for problem in self.problems:
            problems.setdefault(problem.policy_id.lower(), []).append(problem.rule)
        rows: list[TreeRow] = []
        placed: set[str] = set()
        for info in self.sets():
            stack = [(self._by_key[info.root_id.lower()], 0)]
            while stack:
                policy, depth = stack.pop()
                if policy.key in placed:
                    continue
                placed.add(policy.key)
                rows.append(TreeRow(policy.policy_id, depth, policy.kind, info.name,
                                    tuple(problems.get(policy.key, ()))))
                stack.extend((c, depth + 1) for c in reversed(self.children(policy.policy_id)))
        for key, policy in self._by_key.items():
            if key not in placed:
                rows.append(TreeRow(policy.policy_id, 0, policy.kind, "",
                                    tuple(problems.get(key, ()))))
        return rows

    def upload_order(self, policy_ids: Iterable[str] | None = None) -> list[str]:
        """``policy_ids`` (default: all) with every base before what inherits from it; ties by
        kind (base, localization, extensions, relying party) then id. Policies in a cycle
        cannot be ordered and are left out (see :meth:`in_cycle`)."""
        keys = [k.lower() for k in policy_ids] if policy_ids is not None else list(self._by_key)
        wanted = {k for k in keys if k in self._by_key and not self.in_cycle(k)}
        depth = {k: len(self.chain(k)) for k in wanted}
        ordered = sorted(wanted, key=lambda k: (depth[k], *self._sort_key(self._by_key[k])))
        return [self._by_key[k].policy_id for k in ordered]

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _sort_key(policy: Policy) -> tuple[int, str]:
        return KIND_ORDER[policy.kind], policy.key

    def _roots(self) -> list[Policy]:
        return [p for p in self._by_key.values()
                if not self.in_cycle(p.key)
                and (not p.base_policy_id or p.base_policy_id.lower() not in self._by_key)]

    def _find_cycles(self) -> list[frozenset[str]]:
        cycles: list[frozenset[str]] = []
        done: set[str] = set()
        for start in self._by_key:
            path: list[str] = []
            current: str | None = start
            while current is not None and current in self._by_key and current not in done:
                if current in path:
                    cycles.append(frozenset(path[path.index(current):]))
                    break
                path.append(current)
                base = self._by_key[current].base_policy_id
                current = base.lower() if base else None
            done.update(path)
        return cycles

    def _problems(self) -> list[InheritanceProblem]:
        out: list[InheritanceProblem] = []
        for cycle in self._cycles:
            members = sorted(cycle)
            start = self._by_key[members[0]]
            names = [start.policy_id]
            current = self.get(start.base_policy_id or "")
            while current is not None and current.key != start.key:
                names.append(current.policy_id)
                current = self.get(current.base_policy_id or "")
            names.append(start.policy_id)
            for key in members:
                policy = self._by_key[key]
                out.append(InheritanceProblem(
                    "base-cycle", policy.policy_id,
                    f"inheritance cycle: {' -> '.join(names)}; B2C cannot load any of them.",
                    policy.header_locations.get("BasePolicy.PolicyId")))
        for policy in self._by_key.values():
            out.extend(self._policy_problems(policy))
        return out

    def _policy_problems(self, policy: Policy) -> list[InheritanceProblem]:
        out: list[InheritanceProblem] = []
        where = policy.header_locations
        base = policy.base_policy_id
        if base and base.lower() not in self._by_key and base.lower() not in self.known:
            elsewhere = " or in the tenant" if self.known else ""
            out.append(InheritanceProblem(
                "base-missing", policy.policy_id,
                f"its base policy {base} is not in this set{elsewhere}; upload the base first.",
                where.get("BasePolicy.PolicyId")))
        if not self.in_cycle(policy.key) and len(self.chain(policy.key)) > MAX_INHERITANCE_LEVELS:
            out.append(InheritanceProblem(
                "inheritance-too-deep", policy.policy_id,
                f"its chain has {len(self.chain(policy.key))} levels; B2C allows "
                f"{MAX_INHERITANCE_LEVELS}.", where.get("BasePolicy.PolicyId")))
        if self.tenant:
            out.extend(tenant_problems(policy, self.tenant))
        return out


def tenant_problems(policy: Policy, tenant: str) -> list[InheritanceProblem]:
    """The policy's ``TenantId``, base ``TenantId`` and ``PublicPolicyUri`` against
    ``tenant`` (the ``*.onmicrosoft.com`` name)."""
    out: list[InheritanceProblem] = []
    where = policy.header_locations
    checks: Sequence[tuple[str, str | None, str]] = (
        ("TenantId", policy.tenant_id, "TenantId"),
        ("BasePolicy.TenantId", policy.base_tenant_id if policy.base_policy_id else tenant,
         "the base policy's TenantId"),
    )
    for key, value, label in checks:
        if not same_tenant(value, tenant):
            shown = value if value else "(missing)"
            out.append(InheritanceProblem(
                "tenant-mismatch", policy.policy_id,
                f"{label} is {shown}, not this tenant ({tenant}).", where.get(key)))
    uri = policy.public_policy_uri
    if uri:
        host = urlsplit(uri.strip()).hostname or ""
        if not same_tenant(host, tenant):
            out.append(InheritanceProblem(
                "tenant-mismatch", policy.policy_id,
                f"PublicPolicyUri {uri} names {host or 'no tenant'}, not this tenant ({tenant}).",
                where.get("PublicPolicyUri")))
    return out


def set_name(root: Policy, members: Sequence[Policy]) -> str:
    """``B2C_1A_Social_`` for a root ``B2C_1A_Social_TrustFrameworkBase``; otherwise the
    members' common id prefix (cut at an underscore), or the root's id."""
    rid = root.policy_id
    if rid.lower().endswith(BASE_SUFFIX):
        return rid[: len(rid) - len(BASE_SUFFIX)]
    ids = [m.policy_id for m in members]
    prefix = ids[0]
    for other in ids[1:]:
        while not other.lower().startswith(prefix.lower()):
            prefix = prefix[:-1]
    cut = prefix.rfind("_")
    prefix = prefix[: cut + 1] if cut >= 0 else ""
    return prefix if len(prefix) > len(POLICY_PREFIX) else rid
