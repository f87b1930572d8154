"""The audit pane's quick filters (``f``): B2C's categories, failures, the last day, a policy
or an application, each one key away. The screen returns the choice; the pane applies it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .query import B2C_CATEGORIES

#: (key, choice id, label)
CHOICES: tuple[tuple[str, str, str], ...] = (
    *((str(n), f"category:{c}", f"{c} entries") for n, c in enumerate(B2C_CATEGORIES, 1)),
    ("x", "failures", "Failures only"),
    ("h", "day", "The last 24 hours"),
    ("p", "policy", "A policy id…"),
    ("a", "app", "An application (client) id…"),
    ("c", "clear", "Clear every filter"),
)


class QuickFilterScreen(ModalScreen[str | None]):
    """Pick a quick filter: its key, or arrows and Enter. Returns the choice id (``None``:
    Esc). ``active`` ids are marked: choosing one again removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back", id="audit-quick.close"),
        *(Binding(key, f"choose({choice!r})", label, show=False, id=f"audit-quick.{key}")
          for key, choice, label in CHOICES),
    ]

    def __init__(self, active: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.active = active

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-frame"):
            title = Text("Quick filter", style="bold")
            title.append("   a key, or ↑↓ and Enter · Esc closes", style="dim")
            yield Static(title, id="quick-title")
            options = []
            for key, choice, label in CHOICES:
                prompt = Text()
                prompt.append(f" {key} ", style="reverse")
                prompt.append(f"  {label}")
                if choice in self.active:
                    prompt.append("   ✓ on (choose again to remove)", style="dim")
                options.append(Option(prompt, id=choice))
            yield OptionList(*options, id="quick-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
