"""The policy model: a parsed Trust Framework document, its definitions and its references.

Positions follow editors and B2C's own messages: ``line`` and ``column`` are **1-based**,
counted in characters (a tab is one column); lines end at ``\\n``, ``\\r\\n`` or ``\\r`` as in
XML. A :class:`Location` spans ``column`` up to (not including) ``end_column`` on one line: for
an attribute reference it covers the attribute's value, for element text the trimmed text.

Everything here is plain, immutable data (safe to hand from a worker thread to the UI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PolicyKind(StrEnum):
    """Where a policy sits in its set, inferred from its content and ``<BasePolicy>``."""

    BASE = "base"
    LOCALIZATION = "localization"
    EXTENSIONS = "extensions"
    RELYING_PARTY = "relying party"


class SymbolKind(StrEnum):
    """The kinds of ids a policy defines or refers to (each kind is its own namespace)."""

    TECHNICAL_PROFILE = "TechnicalProfile"
    CLAIM_TYPE = "ClaimType"
    CONTENT_DEFINITION = "ContentDefinition"
    CLAIMS_TRANSFORMATION = "ClaimsTransformation"
    USER_JOURNEY = "UserJourney"
    SUB_JOURNEY = "SubJourney"
    CLAIMS_EXCHANGE = "ClaimsExchange"
    LOCALIZED_RESOURCES = "LocalizedResources"
    PREDICATE = "Predicate"
    PREDICATE_VALIDATION = "PredicateValidation"
    DISPLAY_CONTROL = "DisplayControl"
    CLIENT_DEFINITION = "ClientDefinition"
    #: a policy key container; defined in the tenant, not in any policy
    KEYSET = "Keyset"
    #: a policy id (``<BasePolicy><PolicyId>``); defined by the policy's root element
    POLICY = "Policy"

    @property
    def slug(self) -> str:
        """``TechnicalProfile`` -> ``technical-profile`` (for lint rule ids)."""
        out = [f"-{c.lower()}" if c.isupper() else c for c in self.value]
        return "".join(out).lstrip("-")


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a policy: the policy's id, 1-based line, columns ``[column, end_column)``."""

    policy_id: str
    line: int
    column: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        """True when 1-based ``(line, column)`` falls on this span (its end included, so a
        cursor just after the last character still counts)."""
        return line == self.line and self.column <= column <= self.end_column


@dataclass(frozen=True, slots=True)
class Definition:
    """An element that defines an id (``<TechnicalProfile Id="...">``...).

    ``scope`` narrows ids that are only unique inside something: a ``ClaimsExchange`` is
    unique within its user journey or sub-journey (``scope`` is that journey's id).
    """

    kind: SymbolKind
    id: str
    location: Location
    element: str
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """A use of an id: ``attribute`` is the attribute carrying it (``ReferenceId``,
    ``ClaimTypeReferenceId``...) or, for element text, the element's name (``PolicyId``) or the
    metadata item's key. ``scope`` is the enclosing journey of a claims-exchange reference."""

    kind: SymbolKind
    id: str
    location: Location
    element: str
    attribute: str
    scope: str | None = None


Symbol = Definition | Reference


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document.

    ``source`` names where it came from (a file path, ``tenant``, a backup); ``text`` is the
    decoded document (without a BOM); ``size`` is its size in bytes as stored.
    """

    policy_id: str
    tenant_id: str
    public_policy_uri: str | None
    base_policy_id: str | None
    base_tenant_id: str | None
    kind: PolicyKind
    source: str
    text: str
    size: int
    schema_version: str | None = None
    bom: bool = False
    encoding: str = "utf-8"
    namespace: str | None = None
    definitions: tuple[Definition, ...] = ()
    references: tuple[Reference, ...] = ()
    #: where ``PolicyId`` and ``TenantId`` sit on the root element, and the base's ids
    header_locations: dict[str, Location] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """The id as Graph compares ids: case-insensitively."""
        return self.policy_id.lower()

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    def __repr__(self) -> str:  # the text is long: leave it out
        return (f"Policy({self.policy_id!r}, kind={self.kind.value!r}, "
                f"base={self.base_policy_id!r}, source={self.source!r})")
