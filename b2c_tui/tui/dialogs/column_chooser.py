"""``ColumnChooserDialog``: which optional columns and extension attributes to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from ..safe_text import safe


@dataclass(frozen=True)
class ColumnChoice:
    """A column that can be shown: its ``key``, ``label``, ``group`` and whether it is on."""

    key: str
    label: str
    group: str = ""
    chosen: bool = False


class ColumnChooserDialog(ModalScreen[list[str] | None]):
    """Returns the chosen keys in the order offered, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="columns.apply"),
    ]

    def __init__(self, choices: Sequence[ColumnChoice], *, note: str = "") -> None:
        super().__init__(id="column-chooser")
        self.choices = list(choices)
        self.note = note

    def compose(self) -> ComposeResult:
        selections = []
        for choice in self.choices:
            prompt = Text(safe(choice.label))
            if choice.group:
                prompt.append(f"  {choice.group}", style="dim italic")
            selections.append(Selection(prompt, choice.key, choice.chosen))
        with Vertical(classes="columns-frame"):
            yield Static(Text("Columns", style="bold"), id="columns-title")
            yield Static(Text(self.note or "Space toggles a column; ctrl+s applies."),
                         id="columns-note")
            yield SelectionList[str](*selections, id="columns-list")
            with Horizontal(classes="columns-buttons"):
                yield Button("Apply", id="columns-apply", variant="primary")
                yield Button("Cancel", id="columns-cancel")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def chosen(self) -> list[str]:
        selected = set(self.query_one("#columns-list", SelectionList).selected)
        return [c.key for c in self.choices if c.key in selected]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "columns-apply":
            self.action_apply()
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
