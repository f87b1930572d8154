"""``ListScreen``: the modal list the panes' result screens share (key health, policy backups,
the upload's dry run, lint findings, the policy diff).

A title line, an :class:`OptionList` whose option ids are indexes into :attr:`ListScreen.items`,
whatever the screen shows beside it (a detail, a diff), maybe a status line, and the footer.
Widget ids follow the screen's: ``<id>-title``, ``<id>-list``, ``<id>-clean`` (said instead of
an empty list), ``<id>-status``; ``app.tcss`` styles them. The screen lists and asks; the pane
acts (the callables it hands the screen). ``Esc`` closes; ``?`` and ``:`` work as everywhere.

:func:`modal_bindings` gives any modal screen its ``Esc``, ``?`` and ``:``;
:func:`cursor_item` is the row under a ``DataTable``'s cursor (the journal's list).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ..keys import WriteGuard
from ..safe_text import safe

Item = TypeVar("Item")

#: ``?`` and ``:`` on a screen of their own (the app's bindings do not reach a modal screen)
HELP = Binding("question_mark", "app.help", "Help", key_display="?", id="app.help")
GOTO = Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto")


def modal_bindings(prefix: str, *own: BindingType) -> list[BindingType]:
    """A modal screen's keys in footer order: ``Esc`` closes (``<prefix>.close``), then
    ``own``, then help and go to."""
    return [Binding("escape", "close", "Close", id=f"{prefix}.close"), *own, HELP, GOTO]


def cursor_item(table: DataTable[Any], items: Sequence[Item]) -> Item | None:
    """The item under ``table``'s cursor, where ``items`` are its rows in order (``None``:
    no rows)."""
    row = table.cursor_row
    return items[row] if 0 <= row < len(items) else None


def findings_title(title: str, scope: str, errors: int, total: int, hint: str) -> Text:
    """``<title>  <scope>: 1 error(s), 2 warning(s)  · <hint>`` (the hint, what ``enter``
    does, only when there is something to press it on)."""
    text = Text(title, style="bold")
    text.append(f"  {scope}: {errors} error(s), {total - errors} warning(s)", style="dim")
    if total:
        text.append(f"  · {hint}", style="dim italic")
    return text


class ListScreen(WriteGuard, ModalScreen[None], Generic[Item]):
    """A modal list of ``items``, each shown as ``line(item)`` (see the module docs). A
    subclass composes the screen; :meth:`show` hears of the item under the cursor,
    :meth:`action_state` says which of its actions apply now."""

    #: ``BINDINGS`` come from :func:`modal_bindings` (``Esc`` runs :meth:`action_close`)
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, items: Sequence[Item], line: Callable[[Item], Text], *, id: str,
                 read_only: bool = False) -> None:
        super().__init__(id=id)
        #: what the list shows, in its order
        self.items = list(items)
        #: the list's line for an item
        self.item_line = line
        self.read_only = read_only

    # -- composition -----------------------------------------------------------------------
    def options(self) -> list[Option]:
        """One option per item, its id the item's index."""
        return [Option(self.item_line(item), id=str(n)) for n, item in enumerate(self.items)]

    def item_list(self) -> OptionList:
        """The list of :attr:`items` (``<id>-list``)."""
        return OptionList(*self.options(), id=f"{self.id}-list")

    def item_list_or(self, clean: Text) -> OptionList | Static:
        """The list, or ``clean`` said instead when there is nothing to list."""
        return self.item_list() if self.items else Static(clean, id=f"{self.id}-clean")

    def first_item(self) -> int:
        """Where the cursor starts (a hook: the first item that matters)."""
        return 0

    def on_mount(self) -> None:
        for listing in self.query(OptionList):
            if self.items:
                first = self.first_item()
                listing.highlighted = first
                self.show(first)
            listing.focus()

    # -- the item under the cursor ---------------------------------------------------------
    @property
    def current(self) -> Item | None:
        """The item under the cursor (``None``: nothing listed)."""
        listing = self.query(OptionList)
        index = listing.first().highlighted if listing else None
        return self.items[index] if index is not None and self.items else None

    def show(self, index: int) -> None:
        """Hook: item ``index`` came under the cursor (show its detail)."""

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        # The option's id is its item's index (a late event after the list changed is past
        # the end: nothing to show).
        if event.option.id is not None and int(event.option.id) < len(self.items):
            self.show(int(event.option.id))
        self.refresh_bindings()

    def set_status(self, text: str | Text, *, error: bool = False) -> None:
        """The line under the list (``<id>-status``): progress, the outcome, or why it
        stopped (tenant text in ``text`` is shown literally)."""
        status = self.query_one(f"#{self.id}-status", Static)
        status.update(text if isinstance(text, Text) else Text(safe(text)))
        status.set_class(error, "-error")

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.write_hidden(action, parameters):
            return False
        return self.action_state(action)

    def action_state(self, action: str) -> bool | None:
        """Whether ``action`` applies now: ``True``; ``None`` shown disabled; ``False``
        hidden (write actions are already hidden on a read-only tenant)."""
        return True

    def action_close(self) -> None:
        self.dismiss(None)
