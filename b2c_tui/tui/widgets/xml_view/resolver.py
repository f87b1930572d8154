"""Go to definition and find uses: what the viewer asks its host, and an in-memory answer.

The viewer knows text, not Trust Framework semantics: the host hands it an :class:`XmlResolver`
(the policies domain builds one from its index of the policy set, following ``<BasePolicy>``).
:class:`TextResolver` is a small stand-in that finds definitions and uses with regular
expressions over the texts it is given; the tests and the demo use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .document import Document


@dataclass(frozen=True)
class Location:
    """A place in a policy: ``line`` and ``column`` count from 1; ``label`` is a short
    description shown in lists (the element, or the source line)."""

    policy_id: str
    line: int
    column: int = 1
    label: str = ""


class XmlResolver(Protocol):
    """What an :class:`~.view.XmlView` asks about the id under its cursor.

    Both methods are called in a worker thread (never on the event loop) with the policy shown,
    and the cursor's 1-based line and column. They must not change the policies. A resolver
    that can say when a definition is already in memory has ``answers_at_once(policy_id) ->
    bool`` (see :func:`answers_at_once`): the view then asks on the event loop and saves the
    thread's round trip on the key.
    """

    def definition(self, policy_id: str, line: int, column: int) -> Location | None:
        """Where the id referenced at (``line``, ``column``) is defined (``None``: unknown, or
        not on a reference)."""
        ...

    def uses(self, policy_id: str, line: int, column: int) -> list[Location]:
        """Every place the id at (``line``, ``column``) is referenced or defined."""
        ...


def answers_at_once(resolver: XmlResolver, policy_id: str) -> bool:
    """Whether ``resolver`` says it can answer ``definition`` for ``policy_id`` from memory
    (no parsing, no I/O), so that asking it on the event loop costs microseconds."""
    at_once = getattr(resolver, "answers_at_once", None)
    return bool(at_once(policy_id)) if callable(at_once) else False


#: The reference attributes, and the elements that define what they name.
REFERENCE_TARGETS: dict[str, tuple[str, ...]] = {
    "TechnicalProfileReferenceId": ("TechnicalProfile",),
    "ClaimTypeReferenceId": ("ClaimType",),
    "ContentDefinitionReferenceId": ("ContentDefinition",),
    "StorageReferenceId": (),  # a policy key: it lives in the tenant, not in any policy
    "LocalizedResourcesReferenceId": ("LocalizedResources",),
    "SubJourneyReferenceId": ("SubJourney",),
    "ReferenceId": (),  # depends on the element, see ELEMENT_TARGETS
}
#: What a plain ``ReferenceId`` names, by the element carrying it.
ELEMENT_TARGETS: dict[str, tuple[str, ...]] = {
    "ValidationTechnicalProfile": ("TechnicalProfile",),
    "IncludeTechnicalProfile": ("TechnicalProfile",),
    "UseTechnicalProfileForSessionManagement": ("TechnicalProfile",),
    "InputClaimsTransformation": ("ClaimsTransformation",),
    "OutputClaimsTransformation": ("ClaimsTransformation",),
    "DefaultUserJourney": ("UserJourney",),
    "SubJourney": ("SubJourney",),
}
_ATTRIBUTE = re.compile(r'([\w.:-]+)\s*=\s*("([^"]*)"|\'([^\']*)\')')
_ELEMENT = re.compile(r"<\s*([\w:.-]+)[^<]*$")
_BASE = re.compile(r"<BasePolicy>.*?<PolicyId>\s*([^<\s]+)\s*</PolicyId>", re.DOTALL)


@dataclass(frozen=True)
class Reference:
    """The attribute under a cursor: its name, value, element and where its value starts."""

    attribute: str
    value: str
    element: str
    column: int  # 0-based start of the value

    @property
    def targets(self) -> tuple[str, ...]:
        """The elements that may define what this reference names."""
        if self.attribute == "ReferenceId":
            return ELEMENT_TARGETS.get(self.element, ())
        return REFERENCE_TARGETS.get(self.attribute, ())

    @property
    def is_reference(self) -> bool:
        return self.attribute in REFERENCE_TARGETS

    @property
    def is_definition(self) -> bool:
        return self.attribute == "Id"


def attribute_at(line: str, column: int) -> Reference | None:
    """The attribute whose value (quotes included) or name holds 0-based ``column``."""
    for match in _ATTRIBUTE.finditer(line):
        if match.start() <= column < match.end():
            quoted = 3 if match.group(3) is not None else 4
            element = _ELEMENT.search(line, 0, match.start())
            return Reference(match.group(1), match.group(quoted) or "",
                             element.group(1) if element else "", match.start(quoted))
    return None


class TextResolver:
    """An :class:`XmlResolver` over policy texts held in memory, by regular expressions.

    ``policies`` maps policy ids to their XML. A definition is looked for in the policy shown,
    then along its ``<BasePolicy>`` chain; uses are looked for in every policy given (the shown
    one first). Good enough for tests and the demo; the policies domain provides the real one.
    """

    def __init__(self, policies: dict[str, str]) -> None:
        self._docs = {pid: Document.build(text, pid) for pid, text in policies.items()}

    def _reference(self, policy_id: str, line: int, column: int) -> Reference | None:
        doc = self._docs.get(policy_id)
        if doc is None:
            return None
        return attribute_at(doc.line(line - 1), column - 1)

    def chain(self, policy_id: str) -> list[str]:
        """``policy_id`` and its base policies, most derived first (stops at a cycle)."""
        out: list[str] = []
        current: str | None = policy_id
        while current is not None and current in self._docs and current not in out:
            out.append(current)
            found = _BASE.search(self._docs[current].text)
            current = found.group(1) if found else None
        return out

    def _find(self, policy_id: str, pattern: re.Pattern[str], label: str) -> list[Location]:
        doc = self._docs[policy_id]
        out = []
        for match in pattern.finditer(doc.text):
            line, column = doc.position(match.start(1))
            out.append(Location(policy_id, line + 1, column + 1, label or
                                doc.line(line).strip()[:80]))
        return out

    def definition(self, policy_id: str, line: int, column: int) -> Location | None:
        ref = self._reference(policy_id, line, column)
        if ref is None or not ref.is_reference or not ref.targets:
            return None
        elements = "|".join(re.escape(e) for e in ref.targets)
        pattern = re.compile(rf'<(?:{elements})\b[^>]*?\bId\s*=\s*"({re.escape(ref.value)})"')
        for pid in self.chain(policy_id):
            found = self._find(pid, pattern, "")
            if found:
                return found[0]
        return None

    def uses(self, policy_id: str, line: int, column: int) -> list[Location]:
        ref = self._reference(policy_id, line, column)
        if ref is None or not (ref.is_reference or ref.is_definition) or not ref.value:
            return []
        value = re.escape(ref.value)
        pattern = re.compile(rf'\b(?:\w*ReferenceId|Id)\s*=\s*"({value})"')
        order = [policy_id, *sorted(p for p in self._docs if p != policy_id)]
        return [loc for pid in order if pid in self._docs for loc in self._find(pid, pattern, "")]
