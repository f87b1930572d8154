"""The viewer's go to definition and find uses, answered by the policies domain's index.

:class:`IndexResolver` is the thin adapter between the viewer's ``XmlResolver`` (what
:class:`~b2c_tui.tui.widgets.xml_view.XmlView` asks, in a worker thread) and the domain's
:class:`~b2c_tui.policies.index.PolicyIndex`, which knows Trust Framework semantics: a
``ReferenceId`` names a technical profile, a claims transformation or a journey depending on
its element; definitions are followed along the ``<BasePolicy>`` chain; ids compare
case-insensitively as in B2C. Both sides count lines and columns from 1. The index never
changes once built, so reading it from threads is safe.
"""

from __future__ import annotations

from ....policies.index import PolicyIndex
from ....policies.model import Location as PolicyLocation
from ...widgets.xml_view import Location

LABEL_WIDTH = 80


class IndexResolver:
    """An :class:`~b2c_tui.tui.widgets.xml_view.XmlResolver` over a policy index."""

    def __init__(self, index: PolicyIndex) -> None:
        self.index = index
        #: each policy's lines (for the labels), split once; the index never changes
        self._split: dict[str, list[str]] = {}

    def _lines(self, policy_id: str) -> list[str]:
        lines = self._split.get(policy_id)
        if lines is None:
            policy = self.index.get(policy_id)
            lines = policy.text.splitlines() if policy is not None else []
            self._split[policy_id] = lines  # one assignment: safe from threads
        return lines

    def warm(self, policy_id: str) -> None:
        """Split the lines of ``policy_id`` and of its bases ahead of time (in a thread), so
        that the first go to definition does not pay for splitting a 1 MB policy on the key."""
        for policy in self.index.chain(policy_id):
            self._lines(policy.policy_id.lower())

    def answers_at_once(self, policy_id: str) -> bool:
        """A definition in ``policy_id``'s chain is answered from memory (the index, and the
        lines already split): the viewer may ask on the event loop."""
        return all(policy.policy_id.lower() in self._split
                   for policy in self.index.chain(policy_id))

    def _location(self, where: PolicyLocation) -> Location:
        lines = self._lines(where.policy_id.lower())
        text = lines[where.line - 1].strip() if 0 < where.line <= len(lines) else ""
        return Location(where.policy_id, where.line, where.column, text[:LABEL_WIDTH])

    def definition(self, policy_id: str, line: int, column: int) -> Location | None:
        """Where the id referenced at the position is defined, nearest in the chain first;
        a ``<BasePolicy><PolicyId>`` leads to that policy's root element."""
        reference = self.index.reference_at(policy_id, line, column)
        if reference is None:
            return None
        found = self.index.definition_of(reference)
        return self._location(found) if found is not None else None

    def uses(self, policy_id: str, line: int, column: int) -> list[Location]:
        """Every reference to the id under the cursor (and its definitions) across the policy
        set, in chain order then by line."""
        symbol = self.index.symbol_at(policy_id, line, column)
        if symbol is None:
            return []
        return [self._location(where)
                for where in self.index.uses_of(symbol, include_definitions=True)]
