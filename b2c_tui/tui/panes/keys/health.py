"""Key health ("Popeye for B2C"): expired and expiring keys, keysets without an active key,
keysets the policies reference but the tenant lacks, keysets no policy uses. Errors first.

``enter`` on a finding leads to its keyset (the screen closes and the pane's cursor goes to
it); a keyset that is missing opens the new-keyset dialog with its id filled in. ``R`` on a
finding stages a rotation for its keyset. The screen lists; the pane acts (``intent``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static

from ....policies.keys import ERROR, HealthProblem
from ...safe_text import safe
from ...screens.listing import ListScreen, findings_title, modal_bindings
from ...widgets.footer import BindingsFooter

MISSING = "keyset-missing"


def problem_line(problem: HealthProblem) -> Text:
    """``✗ error  [keyset-no-active-key]  B2C_1A_X: no active key…``."""
    error = problem.severity == ERROR
    text = Text(f"{'✗' if error else '⚠'} {problem.severity:<8}", style="bold" if error else "")
    text.append(f"[{problem.rule}] ", style="dim")
    text.append(safe(problem.message))
    return text


class KeyHealthScreen(ListScreen[HealthProblem]):
    """The key-health findings of the tenant (see the module docs)."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"rotate"})
    BINDINGS: ClassVar[list[BindingType]] = modal_bindings(
        "key_health",
        Binding("R", "rotate", "Rotate", key_display="R", id="key_health.rotate"))

    def __init__(self, problems: Sequence[HealthProblem], tenant: str, *, keysets: int,
                 read_only: bool, intent: Callable[[str, HealthProblem], None]) -> None:
        super().__init__(problems, problem_line, id="key-health", read_only=read_only)
        self.tenant = tenant
        self.keysets = keysets
        self.intent = intent

    def compose(self) -> ComposeResult:
        errors = sum(1 for p in self.items if p.severity == ERROR)
        yield Static(findings_title(f"Key health of {safe(self.tenant)}",
                                    f"{self.keysets} keyset(s)", errors, len(self.items),
                                    "enter goes to the keyset"), id="key-health-title")
        yield self.item_list_or(Text(
            "✓ Every keyset has an active key that does not expire soon, and every keyset the "
            "policies use exists.", style="bold"))
        yield BindingsFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(None)
            self.intent("open", self.items[int(event.option.id)])

    def action_state(self, action: str) -> bool | None:
        if action == "rotate":
            problem = self.current
            return None if problem is None or problem.rule == MISSING else True
        return True

    def action_rotate(self) -> None:
        problem = self.current
        if problem is not None and problem.rule != MISSING:
            self.dismiss(None)
            self.intent("rotate", problem)
