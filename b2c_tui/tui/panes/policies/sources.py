"""Policy sources for the viewer: the tenant's policies, a local folder, a plain text.

Each gives the viewer a policy's text, a one-line description for its header, and a resolver for
go to definition and find uses (over the domain's index of that set of policies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text

from ....policies.index import PolicyIndex
from ....policies.model import Policy
from ....policies.xmlsafe import format_size
from ...safe_text import safe
from ...widgets.xml_view import XmlResolver
from .resolver import IndexResolver
from .state import TenantPolicies


def describe_policy(index: PolicyIndex, policy: Policy, problems: list[str],
                    extra: str = "") -> Text:
    """``B2C_1A_X  relying party · B2C_1A_X ← base ← … · 2 KB`` and its problems."""
    text = Text()
    text.append(safe(policy.policy_id), style="bold")
    text.append(f"  {policy.kind.value}")
    chain = index.chain(policy.policy_id)
    if len(chain) > 1:
        text.append(" · base chain " + " › ".join(safe(p.policy_id) for p in chain[1:]),
                    style="dim")
    elif policy.base_policy_id:
        text.append(f" · base {safe(policy.base_policy_id)} (not here)", style="dim")
    text.append(f" · {format_size(policy.size)}", style="dim")
    if extra:
        text.append(f" · {safe(extra)}", style="dim")
    for problem in problems:
        text.append(f"\n✗ {safe(problem)}", style="bold")
    return text


@dataclass
class TenantSource:
    """The tenant's policies (what the pane loaded)."""

    state: TenantPolicies
    label: str = ""
    resolver: XmlResolver | None = None

    def __post_init__(self) -> None:
        self.label = self.label or f"tenant {self.state.tenant}"
        self.resolver = IndexResolver(self.state.index)

    def text_of(self, policy_id: str) -> str | None:
        return self.state.text_of(policy_id)

    def describe(self, policy_id: str) -> Text:
        policy = self.state.index.get(policy_id)
        if policy is None:
            error = next((e for e in self.state.errors
                          if e.source.removeprefix("tenant:").lower() == policy_id.lower()), None)
            text = Text(safe(policy_id), style="bold")
            text.append(f"  {self.label}", style="dim")
            if error is not None:
                text.append(f"\n✗ {safe(error.reason)}", style="bold")
            return text
        when = self.state.last_change.get(policy.key)
        extra = f"changed {when[:16].replace('T', ' ')} UTC" if when else ""
        return describe_policy(self.state.index, policy, self.state.problems_of(policy_id),
                               extra)


@dataclass
class FolderSource:
    """Policies of a local folder (lint results open here); files that did not parse are
    shown as their text, without go to definition."""

    index: PolicyIndex
    label: str
    #: policy id or file path -> the text of a file that did not parse
    unparsed: dict[str, str] = field(default_factory=dict)
    resolver: XmlResolver | None = None

    def __post_init__(self) -> None:
        self.resolver = IndexResolver(self.index)

    def text_of(self, policy_id: str) -> str | None:
        policy = self.index.get(policy_id)
        return policy.text if policy is not None else self.unparsed.get(policy_id)

    def describe(self, policy_id: str) -> Text:
        policy = self.index.get(policy_id)
        if policy is None:
            text = Text(safe(Path(policy_id).name), style="bold")
            text.append(f"  {safe(policy_id)} (not a readable policy)", style="dim")
            return text
        return describe_policy(self.index, policy, [], safe(policy.source))
