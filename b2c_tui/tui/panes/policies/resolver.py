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

from functools import lru_cache

from ....policies.index import PolicyIndex
from ....policies.model import Location as PolicyLocation
from ...widgets.xml_view import Location

LABEL_WIDTH = 80


class IndexResolver:
    """An :class:`~b2c_tui.tui.widgets.xml_view.XmlResolver` over a policy index."""

    def __init__(self, index: PolicyIndex) -> None:
        self.index = index
        self._lines = lru_cache(maxsize=8)(self._split)

    def _split(self, policy_id: str) -> list[str]:
        policy = self.index.get(policy_id)
        return policy.text.splitlines() if policy is not None else []

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
