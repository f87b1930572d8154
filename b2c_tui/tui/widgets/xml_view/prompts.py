"""The viewer's one-line prompt (search, go to line).

A screen the widget pushes itself, so any host gets it without wiring; it takes plain values in
and returns a value, like the app's other dialogs. (The list of uses is drawn by the view
itself: see :mod:`.uses_panel`.)
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..prompt_line import PromptLine
from .display import visible


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
