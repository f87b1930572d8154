"""The viewer's small dialogs: a one-line prompt (search, go to line) and the list of uses.

They are screens the widget pushes itself, so any host gets them without wiring; they take
plain values in and return a value, like the app's other dialogs.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..prompt_line import PromptLine
from .display import visible
from .resolver import Location


class LinePrompt(PromptLine):
    """A prompt line at the bottom of the screen. ``check`` returns an error message for a
    value it refuses; the prompt then stays open with the text as typed and the message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="xml.prompt.cancel"),
    ]
    DEFAULT_CSS = """
    LinePrompt { align: left bottom; background: transparent; }
    LinePrompt > #xml-prompt { dock: bottom; height: auto; background: $panel; }
    LinePrompt #xml-prompt-row { height: 3; }
    LinePrompt #xml-prompt-kind { width: auto; padding: 1 1 0 1; color: $accent;
        text-style: bold; }
    LinePrompt #xml-prompt-input { width: 1fr; }
    LinePrompt #xml-prompt-error { color: $error; padding: 0 1; height: auto; display: none; }
    LinePrompt #xml-prompt-error.-shown { display: block; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="xml-prompt"):
            yield Static("", id="xml-prompt-error", markup=False)
            with Horizontal(id="xml-prompt-row"):
                yield Label(self.kind, id="xml-prompt-kind", markup=False)
                yield Input(self.value, placeholder=self.placeholder, id="xml-prompt-input")

    def refused(self, problem: str) -> None:
        error = self.query_one("#xml-prompt-error", Static)
        error.update(Text(visible(problem)))
        error.add_class("-shown")


class UsesScreen(ModalScreen[Location | None]):
    """Every use of an id, to pick one and jump there (``enter``), or ``escape``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="xml.uses.close"),
    ]
    DEFAULT_CSS = """
    UsesScreen { align: center middle; }
    UsesScreen > #xml-uses { width: 90%; max-width: 120; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1; }
    UsesScreen #xml-uses-title { text-style: bold; padding: 0 0 1 0; }
    UsesScreen OptionList { height: auto; max-height: 30; padding: 0; }
    UsesScreen OptionList, UsesScreen OptionList:focus { border: none; }
    """

    def __init__(self, name: str, locations: list[Location]) -> None:
        super().__init__()
        self.id_name = name
        self.locations = locations

    def compose(self) -> ComposeResult:
        count = len(self.locations)
        with Vertical(id="xml-uses"):
            yield Label(Text(f"{count} use{'s' if count != 1 else ''} of {visible(self.id_name)}"),
                        id="xml-uses-title")
            width = max(len(visible(loc.policy_id)) for loc in self.locations)
            # One line per use: the label is cut to the dialog's width (90%, at most 120,
            # less its border, padding and scrollbar).
            room = min(120, self.app.size.width * 9 // 10) - 6 - (width + 13)
            options = []
            for index, loc in enumerate(self.locations):
                text = Text(f"{visible(loc.policy_id):<{width}}", style="bold")
                text.append(f" {loc.line:>6}:{loc.column:<4} ")
                label = " ".join(visible(loc.label).split())
                if len(label) > room:
                    label = label[: max(0, room - 1)] + "…"
                text.append(label, style="italic")
                options.append(Option(text, id=str(index)))
            yield OptionList(*options, id="xml-uses-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.locations[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
