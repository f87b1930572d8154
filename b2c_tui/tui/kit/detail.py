"""The detail view of one object: sections on the left, the raw JSON on the right.

A pane pushes it at once and fills it when the object arrives (:meth:`DetailScreen.show`); the
screen posts intent (edit, delete, the pane's own actions) through ``intent(name, screen)`` and
the pane does the work. Its keys follow the app's key map (``E`` edit, ``d`` delete, ``?`` and
``:`` as everywhere, Esc back); write keys are hidden when the tenant is read-only.

Everything from the tenant is shown as text: values through :func:`show_value`, the JSON through
``json.dumps`` (escaping control characters) and a highlighter that never parses markup.
Write-only properties (``secrets``: a client secret) are masked wherever they occur in the JSON,
whatever Graph sent for them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..safe_text import safe
from ..widgets.footer import BindingsFooter
from .operations import Operations
from .spec import JOINED, Operation, Section

#: C1 controls and DEL survive ``json.dumps(ensure_ascii=False)``: escape them too.
_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
#: Format and separator characters (bidi overrides, zero-width ones) are escaped as well.
_FORMAT = {code: f"\\u{code:04x}" for code in (
    *range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2060, 0x2070), 0xFEFF)}
BASE_BINDINGS: list[BindingType] = [
    Binding("escape", "close", "Back", id="detail.close"),
    Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
    Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
]


def show_value(value: Any) -> Text:
    """A property value as safe text (``—`` when empty)."""
    if value is None or value == "" or value == []:
        return Text("—", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, list):
        return Text("; ".join(safe(v) for v in value))
    text = safe(value)
    if len(text) >= 20 and text[10:11] == "T" and text.endswith("Z"):  # an ISO timestamp
        text = text[:19].replace("T", " ") + " UTC"
    return Text(text)


#: What a write-only property shows instead of its value.
WRITE_ONLY = "(write-only: never shown)"


def mask_secrets(value: Any, secrets: frozenset[str]) -> Any:
    """``value`` with every property named in ``secrets`` masked, at any depth."""
    if isinstance(value, Mapping):
        return {k: WRITE_ONLY if k in secrets and v is not None else mask_secrets(v, secrets)
                for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v, secrets) for v in value]
    return value


def json_text(record: Mapping[str, Any]) -> str:
    """The record as pretty JSON with every control and format character escaped (what Graph
    sent: OData annotations and what a pane joined to it left out)."""
    shown = {k: v for k, v in record.items() if not k.startswith(("@odata.", JOINED))}
    text = json.dumps(shown, indent=2, ensure_ascii=False, sort_keys=False)
    return text.translate(_C1).translate(_FORMAT)


def fields_table(rows: Sequence[tuple[str, str]]) -> Callable[[Mapping[str, Any]], Table]:
    """A section renderer: ``(label, property)`` rows as a two-column grid."""

    def render(record: Mapping[str, Any]) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for label, prop in rows:
            grid.add_row(label, show_value(record.get(prop)))
        return grid

    return render


class DetailScreen(Operations, ModalScreen[None]):
    """One object in detail; subclass with ``operations`` (see :func:`detail_screen_for`).

    Modal, so that only its own keys apply (the app's ``e`` would export the list behind);
    ``?`` and ``:`` are bound here to the app's actions so that they work as everywhere."""

    binding_prefix: ClassVar[str] = "detail"
    BASE_BINDINGS: ClassVar[list[BindingType]] = BASE_BINDINGS
    #: write-only properties, masked wherever they occur (the pane's ``PaneSpec.secrets``)
    secrets: frozenset[str] = frozenset()

    def __init__(self, noun: str, key: str, name: str = "", *,
                 sections: Sequence[Section] = (), read_only: bool = False,
                 intent: Callable[[str, DetailScreen], None] | None = None,
                 id: str | None = "detail") -> None:
        super().__init__(id=id)
        self.noun = noun
        self.object_id = key
        self.name_hint = name
        self.sections = list(sections)
        self.read_only = read_only
        self.intent = intent
        self.record: dict[str, Any] | None = None
        self.error = ""
        self._ready = False

    @classmethod
    def operation_binding(cls, op: Operation) -> Binding:
        """Detail keys post intent to the pane: ``intent('<name>')``."""
        return op.binding(cls.binding_prefix, action=f"intent({op.name!r})")

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="detail-title")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-left"):
                for index, section in enumerate(self.sections):
                    yield Static(Text(section.title, style="bold underline"),
                                 classes="detail-head")
                    yield Static(Text("Loading…", style="italic") if index == 0 else "",
                                 id=f"detail-section-{index}", classes="detail-section")
            with VerticalScroll(id="detail-json"):
                yield Static("", id="detail-raw")
        yield BindingsFooter()

    def _title(self) -> Text:
        name = self.name_of(self.record) if self.record else self.name_hint
        title = Text(f"{self.noun[:1].upper()}{self.noun[1:]}  ")
        title.append(safe(name or self.object_id), style="bold")
        if name and name != self.object_id:
            title.append(f" · {safe(self.object_id)}", style="dim")
        if self.record is None and not self.error:
            title.append("  loading…", style="italic")
        return title

    def name_of(self, record: Mapping[str, Any]) -> str:
        """The object's name in the title (``displayName`` by default)."""
        return str(record.get("displayName") or self.name_hint or self.object_id)

    def on_mount(self) -> None:
        self._ready = True
        self.fill()

    # -- content ---------------------------------------------------------------------------
    def show(self, record: Mapping[str, Any]) -> None:
        """Show ``record`` (the whole object, from Graph)."""
        self.record = dict(record)
        self.error = ""
        self.fill()

    def show_error(self, message: str) -> None:
        """The object could not be fetched: say why (Graph's message, as text)."""
        self.error = message
        self.fill()

    def fill(self) -> None:
        """Render the sections and the JSON (after :meth:`show`; again after a change)."""
        # The answer may arrive before the screen's widgets are mounted: on_mount renders it.
        if not self._ready:
            return
        self.query_one("#detail-title", Static).update(self._title())
        if self.error and self.sections:
            self.query_one("#detail-section-0", Static).update(
                Text(f"Cannot show this {self.noun}: {safe(self.error)}", style="bold"))
        elif self.record is not None:
            shown = mask_secrets(self.record, self.secrets) if self.secrets else self.record
            for index, section in enumerate(self.sections):
                self.query_one(f"#detail-section-{index}", Static).update(
                    section.render(shown))
            # Loaded with the first detail view, not at start-up (it brings pygments).
            from textual.highlight import highlight

            self.query_one("#detail-raw", Static).update(
                highlight(json_text(shown), language="json"))
        self.refresh_bindings()

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.read_only

    def has_row(self) -> bool:
        return self.record is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "intent":
            return True
        name = str(parameters[0]) if parameters else ""
        return self.operation_state(name, ())

    def action_intent(self, name: str) -> None:
        if self.intent is not None and any(op.name == name for op in self.operations):
            self.intent(name, self)

    def action_close(self) -> None:
        self.dismiss(None)


@cache
def detail_screen_for(operations: tuple[Operation, ...]) -> type[DetailScreen]:
    """A detail screen class offering ``operations`` (the ones marked ``in_detail``)."""
    shown = tuple(op for op in operations if op.in_detail)
    return type("ResourceDetailScreen", (DetailScreen,), {"operations": shown})
