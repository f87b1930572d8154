"""The k9s-style prompt line: ``:`` jumps to a pane by name, ``/`` filters the current view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Label

from ..widgets.prompt_line import PromptLine
from ..widgets.safe_input import SafeInput


class PromptScreen(PromptLine):
    """A one-line prompt at the bottom; returns the text, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, kind: str, value: str = "", placeholder: str = "", *,
                 suggestions: list[str] | None = None) -> None:
        super().__init__(kind, value, placeholder)
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        suggester = None
        if self.suggestions:
            suggester = SuggestFromList(self.suggestions, case_sensitive=False)
        with Horizontal(id="prompt-bar"):
            yield Label(self.kind, id="prompt-kind")
            yield SafeInput(self.value, placeholder=self.placeholder, suggester=suggester,
                        id="prompt-input")
