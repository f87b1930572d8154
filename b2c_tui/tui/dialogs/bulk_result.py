"""``BulkResultDialog``: what happened to each object of a bulk operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..safe_text import safe


@dataclass(frozen=True)
class BulkOutcome:
    """One object's result: ``ok``, or Graph's ``status``/``code``/``message``."""

    key: str
    name: str
    ok: bool
    status: int | None = None
    code: str = ""
    message: str = ""


class BulkResultDialog(ModalScreen[None]):
    """A table of outcomes, failures first, with a one-line summary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="bulk.close"),
    ]

    def __init__(self, verb: str, outcomes: Sequence[BulkOutcome], *, note: str = "") -> None:
        super().__init__(id="bulk-result-dialog")
        self.verb = verb
        self.outcomes = sorted(outcomes, key=lambda o: o.ok)  # stable: failures first
        self.note = note

    @property
    def failed(self) -> list[BulkOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def summary(self) -> Text:
        done = len(self.outcomes) - len(self.failed)
        text = Text(f"{done:,} {self.verb}", style="bold")
        if self.failed:
            text.append(f", {len(self.failed):,} failed", style="bold")
            if self.note:
                text.append(f" ({self.note})")
        return text

    def table(self) -> Table:
        table = Table(expand=True, show_edge=False, pad_edge=False)
        table.add_column("Result", no_wrap=True)
        table.add_column("Name", ratio=2)
        table.add_column("Object id", no_wrap=True)
        table.add_column("Graph answered", ratio=3)
        for outcome in self.outcomes:
            if outcome.ok:
                result = Text("✓ ok")
                answer = Text("")
            else:
                result = Text("✗ failed", style="bold")
                head = f"{outcome.status} {outcome.code}".strip() if outcome.status else \
                    outcome.code
                answer = Text(f"{safe(head)}: {safe(outcome.message)}")
            table.add_row(result, Text(safe(outcome.name)), Text(safe(outcome.key)), answer)
        return table

    def compose(self) -> ComposeResult:
        with Vertical(classes="bulk-frame"):
            yield Static(self.summary(), id="bulk-summary")
            with VerticalScroll(id="bulk-table"):
                yield Static(self.table(), id="bulk-rows")
            with Horizontal(classes="bulk-buttons"):
                yield Button("Close", id="bulk-close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
