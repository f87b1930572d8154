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
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ....policies.keys import ERROR, HealthProblem
from ...keys import WriteGuard
from ...safe_text import safe
from ...widgets.footer import BindingsFooter

MISSING = "keyset-missing"


def problem_line(problem: HealthProblem) -> Text:
    """``✗ error  [keyset-no-active-key]  B2C_1A_X: no active key…``."""
    error = problem.severity == ERROR
    text = Text(f"{'✗' if error else '⚠'} {problem.severity:<8}", style="bold" if error else "")
    text.append(f"[{problem.rule}] ", style="dim")
    text.append(safe(problem.message))
    return text


class KeyHealthScreen(WriteGuard, ModalScreen[None]):
    """The key-health findings of the tenant (see the module docs)."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"rotate"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="key_health.close"),
        Binding("R", "rotate", "Rotate", key_display="R", id="key_health.rotate"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
    ]

    def __init__(self, problems: Sequence[HealthProblem], tenant: str, *, keysets: int,
                 read_only: bool, intent: Callable[[str, HealthProblem], None]) -> None:
        super().__init__(id="key-health")
        self.problems = list(problems)
        self.tenant = tenant
        self.keysets = keysets
        self.read_only = read_only
        self.intent = intent

    def compose(self) -> ComposeResult:
        errors = sum(1 for p in self.problems if p.severity == ERROR)
        title = Text(f"Key health of {safe(self.tenant)}", style="bold")
        title.append(f"  {self.keysets} keyset(s): {errors} error(s), "
                     f"{len(self.problems) - errors} warning(s)", style="dim")
        if self.problems:
            title.append("  · enter goes to the keyset", style="dim italic")
        yield Static(title, id="key-health-title")
        if self.problems:
            yield OptionList(*(Option(problem_line(p), id=str(i))
                               for i, p in enumerate(self.problems)), id="key-health-list")
        else:
            yield Static(Text("✓ Every keyset has an active key that does not expire soon, and "
                              "every keyset the policies use exists.", style="bold"),
                         id="key-health-clean")
        yield BindingsFooter()

    def on_mount(self) -> None:
        for listing in self.query(OptionList):
            listing.highlighted = 0
            listing.focus()

    @property
    def current(self) -> HealthProblem | None:
        listing = self.query(OptionList)
        index = listing.first().highlighted if listing else None
        return self.problems[index] if index is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(None)
            self.intent("open", self.problems[int(event.option.id)])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_bindings()

    def guard_read_only(self) -> bool:
        return self.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.write_hidden(action, parameters):
            return False
        if action == "rotate":
            problem = self.current
            return None if problem is None or problem.rule == MISSING else True
        return True

    def action_rotate(self) -> None:
        problem = self.current
        if problem is not None and problem.rule != MISSING:
            self.dismiss(None)
            self.intent("rotate", problem)

    def action_close(self) -> None:
        self.dismiss(None)
