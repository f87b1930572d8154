"""The symbol index over a group of parsed policies: what is under the cursor, where it is
defined (following the base chain), and where it is used.

Built once from parsed :class:`~.model.Policy` objects (in a worker thread in the UI: building
is a few dictionary inserts per symbol, and parsing is the costly part); every query after that
is a dictionary lookup or a scan of one line's symbols. The index never changes after it is
built, so it can be read from any thread.

Lines and columns are 1-based (see :mod:`.model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .inheritance import InheritanceGraph
from .model import Definition, Location, Policy, Reference, Symbol, SymbolKind

ChainLike = Sequence[Policy] | Sequence[str]


@dataclass(frozen=True)
class SymbolKey:
    """What an id means: its kind and its text. B2C matches ids case-insensitively (the
    starter packs define ``surname`` and refer to ``surName``), and so does the index."""

    kind: SymbolKind
    id: str


class _PolicySymbols:
    """One policy's definitions and references by key, and its symbols by line."""

    __slots__ = ("by_line", "definitions", "references")

    def __init__(self, policy: Policy) -> None:
        self.definitions: dict[tuple[SymbolKind, str], list[Definition]] = {}
        self.references: dict[tuple[SymbolKind, str], list[Reference]] = {}
        self.by_line: dict[int, list[Symbol]] = {}
        for definition in policy.definitions:
            key = (definition.kind, definition.id.lower())
            self.definitions.setdefault(key, []).append(definition)
            self.by_line.setdefault(definition.location.line, []).append(definition)
        for reference in policy.references:
            key = (reference.kind, reference.id.lower())
            self.references.setdefault(key, []).append(reference)
            self.by_line.setdefault(reference.location.line, []).append(reference)


class PolicyIndex:
    """Definitions and references of ``policies`` (see :class:`InheritanceGraph` for
    ``known_ids`` and ``tenant``)."""

    def __init__(self, policies: Iterable[Policy], *, known_ids: Iterable[str] = (),
                 tenant: str | None = None) -> None:
        self.graph = InheritanceGraph(policies, known_ids=known_ids, tenant=tenant)
        self._symbols = {p.key: _PolicySymbols(p) for p in self.graph.policies}

    # -- policies --------------------------------------------------------------------------
    @property
    def policies(self) -> list[Policy]:
        return self.graph.policies

    def get(self, policy_id: str) -> Policy | None:
        return self.graph.get(policy_id)

    def chain(self, policy_id: str) -> list[Policy]:
        """The policy and its bases, nearest first."""
        return self.graph.chain(policy_id)

    # -- what is under the cursor ------------------------------------------------------------
    def symbol_at(self, policy_id: str, line: int, column: int) -> Symbol | None:
        """The definition or reference whose id spans 1-based ``(line, column)``."""
        symbols = self._symbols.get(policy_id.lower())
        if symbols is None:
            return None
        for symbol in symbols.by_line.get(line, ()):
            if symbol.location.contains(line, column):
                return symbol
        return None

    def reference_at(self, policy_id: str, line: int, column: int) -> Reference | None:
        """The reference (``ReferenceId``, ``ClaimTypeReferenceId``...) at the position."""
        symbol = self.symbol_at(policy_id, line, column)
        return symbol if isinstance(symbol, Reference) else None

    # -- go to definition ------------------------------------------------------------------
    def definitions_of(self, target: Symbol | SymbolKey,
                       chain: ChainLike | None = None) -> list[Definition]:
        """Every definition of the target's id, nearest first: in ``chain`` (policies or ids;
        default: the target's policy and its bases, then what inherits from it).

        A policy id (``<BasePolicy><PolicyId>``) is defined by that policy's root element,
        wherever it is; a keyset lives in the tenant, not in a policy, so it has none here.
        """
        kind, ident = _key(target)
        if kind is SymbolKind.POLICY:
            policy = self.get(ident)
            return [d for d in policy.definitions if d.kind is SymbolKind.POLICY] if policy else []
        found: list[Definition] = []
        for policy in self._scope(target, chain, with_descendants=True):
            found.extend(self._symbols[policy.key].definitions.get((kind, ident), ()))
        scope = getattr(target, "scope", None)
        if scope is not None:  # a claims exchange of this journey before other journeys'
            found.sort(key=lambda d: d.scope != scope)
        return found

    def definition_of(self, target: Symbol | SymbolKey,
                      chain: ChainLike | None = None) -> Location | None:
        """Where the target's id is defined, nearest in the chain first (the policy itself,
        then its base...). ``None`` when nothing in the chain defines it."""
        found = self.definitions_of(target, chain)
        return found[0].location if found else None

    # -- find uses -------------------------------------------------------------------------
    def uses_of(self, target: Symbol | SymbolKey, chain: ChainLike | None = None, *,
                include_definitions: bool = False) -> list[Location]:
        """Every reference to the target's id in ``chain`` (policies or ids; default: the
        whole policy set the target's policy belongs to), in chain order then by line."""
        kind, ident = _key(target)
        out: list[Location] = []
        for policy in self._scope(target, chain, with_descendants=False, whole_set=True):
            symbols = self._symbols[policy.key]
            found: list[Symbol] = list(symbols.references.get((kind, ident), ()))
            if include_definitions:
                found.extend(symbols.definitions.get((kind, ident), ()))
            out.extend(sorted((s.location for s in found), key=lambda loc: (loc.line,
                                                                             loc.column)))
        return out

    def references_in(self, policy_id: str) -> dict[tuple[SymbolKind, str], list[Reference]]:
        """A policy's references grouped by (kind, lower-cased id) (read-only use)."""
        symbols = self._symbols.get(policy_id.lower())
        return symbols.references if symbols else {}

    def definitions_in(self, policy_id: str) -> dict[tuple[SymbolKind, str], list[Definition]]:
        """A policy's definitions grouped by (kind, lower-cased id) (read-only use)."""
        symbols = self._symbols.get(policy_id.lower())
        return symbols.definitions if symbols else {}

    def defined_in_chain(self, kind: SymbolKind, ident: str, chain: Iterable[Policy]) -> bool:
        key = (kind, ident.lower())
        return any(key in self._symbols[p.key].definitions for p in chain
                   if p.key in self._symbols)

    # -- internals -------------------------------------------------------------------------
    def _scope(self, target: Symbol | SymbolKey, chain: ChainLike | None, *,
               with_descendants: bool, whole_set: bool = False) -> list[Policy]:
        if chain is not None:
            out = [self.get(c) if isinstance(c, str) else c for c in chain]
            return [p for p in out if p is not None and p.key in self._symbols]
        location = getattr(target, "location", None)
        if location is None:  # a bare key: search everything
            return self.policies
        if whole_set:
            return self.graph.family(location.policy_id)
        policies = self.chain(location.policy_id)
        if with_descendants:
            policies += self.graph.descendants(location.policy_id)
        return policies


def _key(target: Symbol | SymbolKey) -> tuple[SymbolKind, str]:
    return target.kind, target.id.lower()
