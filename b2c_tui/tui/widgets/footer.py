"""The footer: one line of keys, the least important dropped first when the line is short.

Textual's ``Footer`` lays its keys out in a grid and cuts whatever does not fit (at 80 columns
the users pane lost ``? Help`` and showed ``p Pa``). This footer is a plain one-line widget over
public API only (``Screen.active_bindings``, ``Screen.bindings_updated_signal``,
``App.get_key_display``, ``App.run_action``); checked against Textual 8.2. It renders what
fits, in the bindings' own order, after dropping keys by :func:`importance` from the least
important up, so ``?`` (every key is in the help screen) always stays.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

#: Binding ids by how much they matter in the footer (lower stays longer). Ids not listed rank
#: by their prefix in :data:`PREFIX_RANK`.
RANK: dict[str, int] = {
    "app.help": 0,
    "app.quit": 1,
    "app.goto": 3,
    "app.filter": 3,
    "app.export": 4,
    "app.reload": 5,
    "app.cancel_export": 0,
    "app.toggle_nav": 7,
    "table.activate": 4,
    "table.sort": 5,
    "table.toggle_select": 6,
}
PREFIX_RANK = {"app": 6, "table": 6}
#: Ids ending so (any pane's ``<prefix>.commit``) rank here: committing pending edits matters
#: as much as quitting, when it applies (a disabled key goes before any enabled one).
SUFFIX_RANK = {"commit": 1}
#: panes, dialogs and the detail view: their own actions come right after help and quit
DEFAULT_RANK = 2
SEPARATOR = "  "


def importance(binding: Binding) -> int:
    """The footer rank of ``binding`` (see :data:`RANK`)."""
    ident = binding.id or ""
    if ident in RANK:
        return RANK[ident]
    prefix, _, suffix = ident.partition(".")
    if suffix in SUFFIX_RANK:
        return SUFFIX_RANK[suffix]
    return PREFIX_RANK.get(prefix, DEFAULT_RANK)


class FooterItem(NamedTuple):
    """One key as the footer shows it."""

    key: str
    label: str
    description: str
    action: str
    enabled: bool
    rank: int

    @property
    def width(self) -> int:
        return cell_len(self.label) + 1 + cell_len(self.description)


def fit_items(items: list[FooterItem], width: int) -> list[FooterItem]:
    """The items that fit in ``width`` cells, dropping disabled ones first, then the least
    important (then the last); the rest keep their order."""
    kept = list(items)

    def total(chosen: list[FooterItem]) -> int:
        return sum(i.width for i in chosen) + len(SEPARATOR) * max(0, len(chosen) - 1)

    while kept and total(kept) > width:
        worst = max(range(len(kept)), key=lambda i: (not kept[i].enabled, kept[i].rank, i))
        del kept[worst]
    return kept


class BindingsFooter(Widget):
    """The keys that apply now, on one line; a click runs the key's action."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"bindings-footer--key"}
    DEFAULT_CSS = """
    BindingsFooter { dock: bottom; height: 1; background: $panel; color: $foreground; }
    BindingsFooter > .bindings-footer--key { color: $accent; text-style: bold; }
    """

    items: reactive[tuple[FooterItem, ...]] = reactive((), layout=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, FooterItem]] = []
        self.updates = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_later(self._refresh_items)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # Textual publishes the signal once per idle after any number of binding changes; the
        # keys are read on this widget's queue, so they are in the next frame (after a
        # refresh of the screen they lagged a frame or more: at start-up the first rows came
        # with an empty footer).
        if self.is_attached and screen is self.screen:
            self.call_later(self._refresh_items)

    def current_items(self) -> tuple[FooterItem, ...]:
        """The keys to offer now, one per action, in the bindings' order."""
        seen: set[str] = set()
        out = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append(FooterItem(binding.key, self.app.get_key_display(binding),
                                  binding.description, binding.action, active.enabled,
                                  importance(binding)))
        return tuple(out)

    def _refresh_items(self) -> None:
        if not self.is_attached:
            return
        items = self.current_items()
        if items != self.items:
            self.updates += 1
            self.items = items

    def watch_items(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        key_style = self.get_component_rich_style("bindings-footer--key")
        dim = Style(dim=True)
        for index, item in enumerate(fit_items(list(self.items), self.size.width - 1)):
            if index:
                line.append(SEPARATOR)
            start = line.cell_len
            line.append(f" {item.label}" if index == 0 else item.label,
                        key_style if item.enabled else dim)
            line.append(" ")
            line.append(item.description, Style() if item.enabled else dim)
            self._spans.append((start, line.cell_len, item))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, item in self._spans:
            if start <= event.x < end and item.enabled:
                event.stop()
                self.app.simulate_key(item.key.split(",")[0])
                return
