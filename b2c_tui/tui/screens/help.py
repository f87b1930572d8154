"""The help screen: every binding of the app, the panes and the table, with its id."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from ..panes import PANES


def _bindings(owner: type, *, own_only: bool = False) -> list[Binding]:
    out: list[Binding] = []
    for klass in reversed(owner.__mro__):
        if own_only and not klass.__module__.startswith("b2c_tui."):
            continue
        for item in vars(klass).get("BINDINGS", []) or []:
            binding = _as_binding(item)
            if binding is not None:
                out.append(binding)
    return out


def _as_binding(item: BindingType) -> Binding | None:
    if isinstance(item, Binding):
        return item
    if isinstance(item, tuple) and len(item) >= 2:
        return Binding(item[0], item[1], item[2] if len(item) > 2 else "")
    return None


def binding_sections(app_class: type, *, own_only: bool = False
                     ) -> list[tuple[str, list[Binding]]]:
    """(section title, bindings) for the app, each implemented pane, and the table widget;
    ``own_only`` leaves out the ones Textual itself defines (quit, palette...)."""
    sections = [("Everywhere", _bindings(app_class, own_only=own_only))]
    for pane in PANES:
        if pane.target is None:
            continue
        module, _, name = pane.target.partition(":")
        try:
            klass = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        sections.append((pane.title, _bindings(klass, own_only=own_only)))
    try:
        from ..widgets.virtual_table import VirtualTable

        sections.append(("Tables", _bindings(VirtualTable, own_only=own_only)))
    except ImportError:
        pass
    return sections


def key_label(binding: Binding) -> str:
    """How a person types the binding: ``?`` not ``question_mark``, ``^b`` not ``ctrl+b``."""
    if binding.key_display:
        return binding.key_display
    labels = []
    for key in binding.key.split(","):
        key = key.strip()
        char = key_to_character(key)
        if char is not None and char.strip() and char.isprintable() and len(key) > 1:
            labels.append(char)
        else:
            labels.append(key.replace("ctrl+", "^"))
    return " ".join(labels)


def render_sections(sections: Iterable[tuple[str, list[Binding]]]) -> Text:
    text = Text()
    for title, bindings in sections:
        seen: set[tuple[str, str]] = set()
        rows = []
        for b in bindings:
            if (b.key, b.action) in seen:
                continue
            seen.add((b.key, b.action))
            rows.append(b)
        if not rows:
            continue
        text.append(f"{title}\n", style="bold underline")
        for b in rows:
            key = key_label(b)
            text.append(f"  {key:<14}", style="bold")
            text.append(f"{b.description or b.action:<34}")
            text.append(f"{b.id or ''}\n", style="dim")
        text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """``?``: every key binding, grouped, with its id."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Key bindings", style="bold"), id="help-title")
            yield Static(render_sections(binding_sections(type(self.app))), id="help-text")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
