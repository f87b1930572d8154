"""``ColumnChooserDialog``: which columns to show, the default ones included.

Each column is a line with a check mark when it is on (``✓ Display name``) and none when it is
off, so the state reads without colour. Space or Enter toggles the highlighted column; ctrl+s
applies. The default columns are listed first and can be hidden like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..safe_text import safe

ON, OFF = "✓ ", "  "


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
        Binding("space", "toggle_column", "Toggle", id="columns.toggle"),
        Binding("escape", "cancel", "Cancel", id="columns.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="columns.apply"),
    ]

    def __init__(self, choices: Sequence[ColumnChoice], *, note: str = "") -> None:
        super().__init__(id="column-chooser")
        self.choices = list(choices)
        self.note = note
        self._on = {c.key for c in self.choices if c.chosen}

    def _prompt(self, choice: ColumnChoice) -> Text:
        prompt = Text(ON if choice.key in self._on else OFF, style="bold")
        prompt.append(safe(choice.label))
        if choice.group:
            prompt.append(f"  {safe(choice.group)}", style="dim italic")
        return prompt

    def compose(self) -> ComposeResult:
        options = [Option(self._prompt(c), id=c.key) for c in self.choices]
        with Vertical(classes="columns-frame"):
            yield Static(Text("Columns", style="bold"), id="columns-title")
            yield Static(Text(self.note or "Space or Enter turns a column on (✓) or off; "
                                            "ctrl+s applies."), id="columns-note")
            yield OptionList(*options, id="columns-list")
            with Horizontal(classes="columns-buttons"):
                # A button runs its key's action (Textual's Button(action=...)).
                yield Button("Apply", id="columns-apply", variant="primary",
                             action="screen.apply")
                yield Button("Cancel", id="columns-cancel", action="screen.cancel")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = 0 if self.choices else None
        listing.focus()

    @property
    def selected(self) -> set[str]:
        """The keys turned on now."""
        return set(self._on)

    def select(self, key: str) -> None:
        """Turn the column ``key`` on."""
        self._set(key, True)

    def deselect(self, key: str) -> None:
        """Turn the column ``key`` off."""
        self._set(key, False)

    def _set(self, key: str, on: bool) -> None:
        index = next(i for i, c in enumerate(self.choices) if c.key == key)
        if on:
            self._on.add(key)
        else:
            self._on.discard(key)
        self.query_one(OptionList).replace_option_prompt_at_index(
            index, self._prompt(self.choices[index]))

    def action_toggle_column(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            key = self.choices[index].key
            self._set(key, key not in self._on)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle_column()

    def chosen(self) -> list[str]:
        return [c.key for c in self.choices if c.key in self._on]

    def action_apply(self) -> None:
        if not self._on:
            self.query_one("#columns-note", Static).update(
                Text("Keep at least one column on.", style="bold"))
            return
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
