"""Parse a Trust Framework document into a :class:`~.model.Policy` with every definition and
reference and where it sits.

One pass of ``defusedxml``'s expat reader (DTDs, entities and external references refused;
see :mod:`.xmlsafe`) over the decoded text. Expat gives each element's start; the span of an
attribute's value is found by scanning that start tag in the text, and element text (a base
policy's ``<PolicyId>``, a precondition's claim) is located between its tags. A 1 MB policy
parses in tens of milliseconds; call it from a worker thread in a UI.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from .model import Definition, Location, Policy, PolicyKind, Reference, SymbolKind
from .xmlsafe import PolicyParseError, decode_policy, read_policy_bytes

NAMESPACE = "http://schemas.microsoft.com/online/cpim/schemas/2013/06"
ROOT = "TrustFrameworkPolicy"

#: element with an ``Id`` attribute -> what it defines
DEFINING_ELEMENTS: dict[str, SymbolKind] = {
    "TechnicalProfile": SymbolKind.TECHNICAL_PROFILE,
    "ClaimType": SymbolKind.CLAIM_TYPE,
    "ContentDefinition": SymbolKind.CONTENT_DEFINITION,
    "ClaimsTransformation": SymbolKind.CLAIMS_TRANSFORMATION,
    "UserJourney": SymbolKind.USER_JOURNEY,
    "SubJourney": SymbolKind.SUB_JOURNEY,
    "ClaimsExchange": SymbolKind.CLAIMS_EXCHANGE,
    "LocalizedResources": SymbolKind.LOCALIZED_RESOURCES,
    "Predicate": SymbolKind.PREDICATE,
    "PredicateValidation": SymbolKind.PREDICATE_VALIDATION,
    "DisplayControl": SymbolKind.DISPLAY_CONTROL,
    "ClientDefinition": SymbolKind.CLIENT_DEFINITION,
}
#: attributes that refer to an id wherever they appear
REFERENCE_ATTRIBUTES: dict[str, SymbolKind] = {
    "TechnicalProfileReferenceId": SymbolKind.TECHNICAL_PROFILE,
    "CpimIssuerTechnicalProfileReferenceId": SymbolKind.TECHNICAL_PROFILE,
    "ClaimTypeReferenceId": SymbolKind.CLAIM_TYPE,
    "ContentDefinitionReferenceId": SymbolKind.CONTENT_DEFINITION,
    "StorageReferenceId": SymbolKind.KEYSET,
    "TargetClaimsExchangeId": SymbolKind.CLAIMS_EXCHANGE,
    "ValidationClaimsExchangeId": SymbolKind.CLAIMS_EXCHANGE,
    "UserJourneyReferenceId": SymbolKind.USER_JOURNEY,
    "SubJourneyReferenceId": SymbolKind.SUB_JOURNEY,
    "LocalizedResourcesReferenceId": SymbolKind.LOCALIZED_RESOURCES,
    "DisplayControlReferenceId": SymbolKind.DISPLAY_CONTROL,
}
#: ``ReferenceId`` means different things on different elements
REFERENCE_ID_ELEMENTS: dict[str, SymbolKind] = {
    "IncludeTechnicalProfile": SymbolKind.TECHNICAL_PROFILE,
    "ValidationTechnicalProfile": SymbolKind.TECHNICAL_PROFILE,
    "UseTechnicalProfileForSessionManagement": SymbolKind.TECHNICAL_PROFILE,
    "InputClaimsTransformation": SymbolKind.CLAIMS_TRANSFORMATION,
    "OutputClaimsTransformation": SymbolKind.CLAIMS_TRANSFORMATION,
    "DefaultUserJourney": SymbolKind.USER_JOURNEY,
    "ClientDefinition": SymbolKind.CLIENT_DEFINITION,
}
#: ``<X Id="...">`` that refer rather than define
ID_REFERENCE_ELEMENTS: dict[str, SymbolKind] = {
    "PredicateReference": SymbolKind.PREDICATE,
    "PredicateValidationReference": SymbolKind.PREDICATE_VALIDATION,
}
#: ``<LocalizedString ElementType="..." ElementId="...">``
LOCALIZED_ELEMENT_TYPES: dict[str, SymbolKind] = {
    "ClaimType": SymbolKind.CLAIM_TYPE,
    "Predicate": SymbolKind.PREDICATE,
    "InputValidation": SymbolKind.PREDICATE_VALIDATION,
    "DisplayControl": SymbolKind.DISPLAY_CONTROL,
}
#: technical profile metadata items whose text is an id
METADATA_REFERENCES: dict[str, SymbolKind] = {
    "ContentDefinitionReferenceId": SymbolKind.CONTENT_DEFINITION,
    "ClaimTypeOnWhichToEnable": SymbolKind.CLAIM_TYPE,
}
#: precondition types whose first ``<Value>`` names a claim type
CLAIM_PRECONDITIONS = frozenset({"ClaimsExist", "ClaimEquals"})
_JOURNEYS = frozenset({"UserJourney", "SubJourney"})
_LINE_BREAK = re.compile(r"\r\n?|\n")


@lru_cache(maxsize=64)
def _attribute_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"\s" + re.escape(name) + r"\s*=\s*([\"'])")


class _Text:
    """Element text being collected for a text reference."""

    __slots__ = ("attribute", "chunks", "element", "kind", "start")

    def __init__(self, kind: SymbolKind | None, element: str, attribute: str, start: int) -> None:
        self.kind, self.element, self.attribute, self.start = kind, element, attribute, start
        self.chunks: list[str] = []


class _Handler(ContentHandler):
    """Collects the header, definitions and references while expat reads the document."""

    def __init__(self, text: str, source: str, locator: Any) -> None:
        super().__init__()
        self.text = text
        self.source = source
        self.locator = locator
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        self.stack: list[str] = []
        self.root: dict[str, str] = {}
        self.policy_id = ""
        self.base: dict[str, str] = {}
        self.children: set[str] = set()
        self.seen: set[str] = set()
        self.definitions: list[Definition] = []
        self.references: list[Reference] = []
        self.header: dict[str, Location] = {}
        self.scopes: list[str | None] = []
        self.capture: _Text | None = None
        self.precondition: tuple[bool, int] | None = None  # (claim type first?, values seen)

    # -- positions -------------------------------------------------------------------------
    def _offset(self) -> int:
        line = self.locator.getLineNumber()
        return self.line_starts[line - 1] + self.locator.getColumnNumber()

    def location(self, start: int, end: int) -> Location:
        index = bisect.bisect_right(self.line_starts, start) - 1
        line_start = self.line_starts[index]
        end = min(end, self._line_end(index))
        return Location(self.policy_id, index + 1, start - line_start + 1, end - line_start + 1)

    def _line_end(self, index: int) -> int:
        if index + 1 < len(self.line_starts):
            return self.line_starts[index + 1]
        return len(self.text)

    def _attribute_location(self, tag_start: int, name: str, value: str) -> Location:
        match = _attribute_pattern(name).search(self.text, tag_start)
        if match is None:  # not expected: expat saw the attribute; point at the element
            return self.location(tag_start, tag_start + 1)
        start = match.end()
        end = self.text.find(match.group(1), start)
        return self.location(start, start + len(value) if end < 0 else end)

    # -- SAX callbacks ---------------------------------------------------------------------
    def startElement(self, name: str, attrs: Any) -> None:
        local = name.rpartition(":")[2]
        start = self._offset()
        depth = len(self.stack)
        self.stack.append(local)
        self.seen.add(local)
        if depth == 0:
            self._root(local, attrs, start)
            return
        if depth == 1:
            self.children.add(local)
        parent = self.stack[-2]
        if local in _JOURNEYS:
            self.scopes.append(attrs.get("Id"))
        self._symbols(local, parent, attrs, start)

    def endElement(self, name: str) -> None:
        local = self.stack.pop()
        if local in _JOURNEYS and self.scopes:
            self.scopes.pop()
        elif local == "Precondition":
            self.precondition = None
        capture = self.capture
        if capture is not None and len(self.stack) < self._capture_depth:
            self.capture = None
            self._finish_text(capture, self._offset())

    def characters(self, content: str) -> None:
        if self.capture is not None:
            self.capture.chunks.append(content)

    # -- what each element means -----------------------------------------------------------
    def _root(self, local: str, attrs: Any, start: int) -> None:
        if local != ROOT:
            raise PolicyParseError(
                self.source, f"the root element is <{local}>, not <{ROOT}>: this is not a "
                "Trust Framework policy.", line=self.locator.getLineNumber(),
                column=self.locator.getColumnNumber() + 1, rule="not-a-policy")
        self.root = {k: attrs.get(k) for k in attrs.getNames()}
        self.policy_id = (attrs.get("PolicyId") or "").strip()
        if not self.policy_id:
            raise PolicyParseError(
                self.source, f"<{ROOT}> has no PolicyId attribute.",
                line=self.locator.getLineNumber(), column=self.locator.getColumnNumber() + 1,
                rule="policy-id-missing")
        for attribute in ("PolicyId", "TenantId", "PublicPolicyUri"):
            value = attrs.get(attribute)
            if value is not None:
                self.header[attribute] = self._attribute_location(start, attribute, value)
        self.definitions.append(Definition(SymbolKind.POLICY, self.policy_id,
                                           self.header["PolicyId"], ROOT))

    def _symbols(self, local: str, parent: str, attrs: Any, start: int) -> None:
        kind = DEFINING_ELEMENTS.get(local)
        if kind is not None and "Id" in attrs:
            scope = self.scopes[-1] if kind is SymbolKind.CLAIMS_EXCHANGE and self.scopes else None
            value = attrs.get("Id")
            self.definitions.append(Definition(
                kind, value, self._attribute_location(start, "Id", value), local, scope))
        elif local in ID_REFERENCE_ELEMENTS and "Id" in attrs:
            self._reference(ID_REFERENCE_ELEMENTS[local], local, "Id", attrs.get("Id"), start)
        for attribute in attrs.getNames():
            target = REFERENCE_ATTRIBUTES.get(attribute)
            if target is not None:
                self._reference(target, local, attribute, attrs.get(attribute), start)
        if "ReferenceId" in attrs and local in REFERENCE_ID_ELEMENTS:
            self._reference(REFERENCE_ID_ELEMENTS[local], local, "ReferenceId",
                            attrs.get("ReferenceId"), start)
        if local == "LocalizedString":
            element_kind = LOCALIZED_ELEMENT_TYPES.get(attrs.get("ElementType") or "")
            if element_kind is not None and attrs.get("ElementId"):
                self._reference(element_kind, local, "ElementId", attrs.get("ElementId"), start)
        elif parent == "BasePolicy" and local in ("PolicyId", "TenantId"):
            kind_ = SymbolKind.POLICY if local == "PolicyId" else None
            self._capture(_Text(kind_, local, local, start))
        elif local == "Item" and parent == "Metadata":
            target = METADATA_REFERENCES.get(attrs.get("Key") or "")
            if target is not None:
                self._capture(_Text(target, local, attrs.get("Key"), start))
        elif local == "Precondition":
            self.precondition = ((attrs.get("Type") or "") in CLAIM_PRECONDITIONS, 0)
        elif local == "Value" and parent == "Precondition" and self.precondition is not None:
            claim_first, seen = self.precondition
            self.precondition = (claim_first, seen + 1)
            if claim_first and seen == 0:
                self._capture(_Text(SymbolKind.CLAIM_TYPE, local, "Value", start))

    def _reference(self, kind: SymbolKind, element: str, attribute: str, value: str,
                   start: int) -> None:
        scope = self.scopes[-1] if kind is SymbolKind.CLAIMS_EXCHANGE and self.scopes else None
        self.references.append(Reference(
            kind, value, self._attribute_location(start, attribute, value), element, attribute,
            scope))

    def _capture(self, capture: _Text) -> None:
        self.capture = capture
        self._capture_depth = len(self.stack)

    def _finish_text(self, capture: _Text, end: int) -> None:
        raw = "".join(capture.chunks)
        value = raw.strip()
        tag_end = self.text.find(">", capture.start, end)
        body_start = tag_end + 1 if tag_end >= 0 else capture.start
        first = self.text.find(value[:1], body_start, end) if value else body_start
        first = body_start if first < 0 else first
        location = self.location(first, first + len(value))
        if capture.element in ("PolicyId", "TenantId") and capture.attribute == capture.element:
            self.base[capture.element] = value
            self.header[f"BasePolicy.{capture.element}"] = location
        if capture.kind is not None and value:
            self.references.append(Reference(
                capture.kind, value, location, capture.element, capture.attribute))

    _capture_depth = 0

    # -- the result ------------------------------------------------------------------------
    def kind(self) -> PolicyKind:
        if not self.base.get("PolicyId"):
            return PolicyKind.BASE
        if "RelyingParty" in self.children:
            return PolicyKind.RELYING_PARTY
        if "Localization" in self.seen and not self.children & {
            "ClaimsProviders", "UserJourneys", "SubJourneys"
        }:
            return PolicyKind.LOCALIZATION
        return PolicyKind.EXTENSIONS


def parse_policy(data: bytes | str, source: str = "<policy>") -> Policy:
    """Parse one policy document (bytes as stored, or already decoded text).

    Raises :class:`~.xmlsafe.PolicyParseError` naming ``source`` with the line and column for
    malformed XML, a DTD/entity/external reference, an encoding problem, an oversized file or
    a document that is not a ``<TrustFrameworkPolicy>``.
    """
    decoded = decode_policy(data, source)
    text = decoded.text
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    handler = _Handler(text, source, parser)
    parser.setContentHandler(handler)
    try:
        parser.feed(text)
        parser.close()
    except SAXParseException as exc:
        column = exc.getColumnNumber()
        raise PolicyParseError(source, f"malformed XML: {exc.getMessage()}.",
                               line=exc.getLineNumber(),
                               column=None if column is None else column + 1) from None
    except DefusedXmlException as exc:
        raise PolicyParseError(source, _unsafe_message(exc), line=_safe_line(parser),
                               rule="xml-unsafe") from None
    if not handler.root:
        raise PolicyParseError(source, "the file holds no XML element.", rule="not-a-policy")
    root = handler.root
    return Policy(
        policy_id=handler.policy_id,
        tenant_id=(root.get("TenantId") or "").strip(),
        public_policy_uri=root.get("PublicPolicyUri"),
        base_policy_id=handler.base.get("PolicyId") or None,
        base_tenant_id=handler.base.get("TenantId") or None,
        kind=handler.kind(),
        source=source,
        text=text,
        size=decoded.size,
        schema_version=root.get("PolicySchemaVersion"),
        bom=decoded.bom,
        encoding=decoded.encoding,
        namespace=root.get("xmlns"),
        definitions=tuple(handler.definitions),
        references=tuple(handler.references),
        header_locations=handler.header,
    )


def read_policy(path: str | Path) -> Policy:
    """Read and parse a policy file; errors name the file."""
    path = Path(path)
    return parse_policy(read_policy_bytes(path), str(path))


def _unsafe_message(exc: DefusedXmlException) -> str:
    if isinstance(exc, DTDForbidden):
        what = "a DTD (<!DOCTYPE ...>)"
    elif isinstance(exc, EntitiesForbidden):
        what = "an entity declaration (<!ENTITY ...>)"
    else:
        what = "a reference to an external resource"
    return (f"the file contains {what}; policies may not, and b2c-tui never expands entities "
            "or fetches external resources.")


def _safe_line(parser: DefusedExpatParser) -> int | None:
    try:
        line = parser.getLineNumber()
    except Exception:  # the parser may be half torn down after the refusal
        return None
    return line if isinstance(line, int) and line > 0 else None
