"""A list inside an object, shown and edited in a screen of its own.

A :class:`~.spec.SubList` (a user flow's identity providers, the attributes it collects, the
applications it applies to) opens from the list or the detail view with its key. The screen
loads the items in a worker, shows them in a small table in their own order (not sortable: the
order may be the point), and offers the sub-list's operations with the app's keys: ``n`` add,
``E`` edit, ``d`` remove (confirmed, naming the item, its id and the parent), ``shift+up`` /
``shift+down`` move (one request per move; a refused move goes back), ``r`` refresh, Esc back.
Write keys are hidden in read-only mode and say why when pressed. Requests run through the
pane's ``run`` (its write group), so a change already sent finishes and reports even if the
screen is closed; forms only collect values and get Graph's refusal beside the field.
The screen closes with ``True`` when it changed something (the pane then reloads).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from ...frames.paged import PagedFrame
from ...graph.client import GraphClient
from ...graph.errors import B2CTuiError
from ..dialogs.confirm_delete import ConfirmDeleteDialog
from ..dialogs.form import FormDialog
from ..safe_text import safe
from ..widgets.footer import BindingsFooter
from ..widgets.table import VirtualTable
from .form import FAILED, SpecForm, send_form
from .operations import Operations
from .spec import Operation, SubList

Record = dict[str, Any]
#: Runs a write in the pane's worker group: ``run(coroutine, name)``.
Runner = Callable[[Awaitable[None], str], None]


class SubListTable(VirtualTable):
    """The items in their own order: no sorting, no selection (the screen's keys act on the
    item under the cursor)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "activate", "Edit", show=False, id="sublist.activate"),
        Binding("space", "toggle_select", "Select", show=False, id="table.toggle_select"),
        Binding("ctrl+a", "select_all", "Select all", show=False, id="table.select_all"),
        Binding("s", "sort", "Sort", show=False, id="table.sort"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_select", "select_all", "sort"):
            return None
        return super().check_action(action, parameters)


#: Every key a sub-list may offer (the help screen lists them all).
EVERY_OPERATION = (
    Operation("add", "n", "Add", write=True),
    Operation("edit", "E", "Edit", write=True, needs_row=True),
    Operation("remove", "d", "Remove", write=True, needs_row=True),
    Operation("move_up", "shift+up", "Move up", write=True, needs_row=True, key_display="⇧↑"),
    Operation("move_down", "shift+down", "Move down", write=True, needs_row=True,
              key_display="⇧↓"),
)


def operations_of(sub: SubList) -> tuple[Operation, ...]:
    """The keys a sub-list offers, from what its description allows."""
    allowed = {"add": sub.add, "edit": sub.edit, "remove": sub.remove,
               "move_up": sub.reorder, "move_down": sub.reorder}
    return tuple(replace(op, label=f"Add {sub.noun}") if op.name == "add" else op
                 for op in EVERY_OPERATION if allowed[op.name] is not None)


class SubListScreen(Operations, ModalScreen[bool]):
    """One sub-list of one object; subclass with ``operations`` (:func:`sublist_screen_for`)."""

    DEFAULT_CSS = """
    SubListScreen { background: $background; }
    SubListScreen > #sublist-title { height: auto; padding: 0 1; background: $panel; }
    SubListScreen > #sublist-note { height: auto; padding: 0 1; color: $foreground-muted; }
    SubListScreen > #sublist-status { height: 1; padding: 0 1; background: $panel; }
    """

    binding_prefix: ClassVar[str] = "sublist"
    BASE_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="sublist.close"),
        Binding("r", "reload", "Refresh", id="sublist.reload"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
    ]

    def __init__(self, sub: SubList, parent: Mapping[str, Any], parent_name: str, *,
                 client: GraphClient, read_only: bool, run: Runner) -> None:
        super().__init__(id=f"sublist-{sub.name}")
        self.sub = sub
        self.parent_record = dict(parent)
        self.parent_name = parent_name
        self.client = client
        self.read_only = read_only
        self.run = run
        self.items: list[Record] = []
        self.loaded = False
        self.saving = False
        self.changed = False
        self.error = ""

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = Text(f"{self.sub.title} of ")
        title.append(safe(self.parent_name), style="bold")
        yield Static(title, id="sublist-title")
        if self.sub.note:
            yield Static(Text(self.sub.note, style="italic"), id="sublist-note")
        yield SubListTable(self.sub.columns, id="sublist-table")
        yield Static("", id="sublist-status")
        yield BindingsFooter()

    @property
    def table(self) -> SubListTable:
        return self.query_one(SubListTable)

    def on_mount(self) -> None:
        self.table.empty_text = "Loading…"
        self.table.focus()
        self.action_reload()

    # -- loading ---------------------------------------------------------------------------
    def action_reload(self) -> None:
        """Load the items again (``r``; after every change)."""
        self.load()

    @work(group="sublist-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            items = await self.sub.load(self.client, self.parent_record)
        except B2CTuiError as exc:
            self.error = str(exc)
            self.table.empty_text = f"Cannot list them: {self.error}"
            self._status()
            return
        self.error = ""
        self.show_items([dict(i) for i in items])

    def show_items(self, items: list[Record], cursor_key: str | None = None) -> None:
        """Show ``items`` in their order, the cursor on ``cursor_key`` (else where it was)."""
        table = self.table
        row = table.cursor_row
        self.items = items
        self.loaded = True
        frame = PagedFrame(self.sub.columns)
        table.clear()
        table.empty_text = f"No {self.sub.title.lower()} yet."
        table.append(frame.add_records({**i, "id": self.sub.key_of(i)} for i in items))
        keys = [self.sub.key_of(i) for i in items]
        if cursor_key is not None and cursor_key in keys:
            row = keys.index(cursor_key)
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
        self._status()
        self.refresh_bindings()

    def _status(self, message: str = "") -> None:
        count = len(self.items)
        noun = self.sub.noun if count == 1 else f"{self.sub.noun}s"
        text = message or (self.error if self.error else f"{count} {noun}")
        self.query_one("#sublist-status", Static).update(Text(safe(text)))

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.read_only

    def has_row(self) -> bool:
        return bool(self.items) and not self.saving

    def current(self) -> Record | None:
        table = self.table
        if not self.items or not table.row_count:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.operation_state(action, parameters)
        if state is not True:
            return state
        item = self.current()
        if action == "edit" and item is not None and self.sub.edit is not None \
                and self.sub.edit.refuse(item):
            return None
        if action == "remove" and item is not None and self.sub.remove is not None \
                and self.sub.remove.refuse(item):
            return None
        if action in ("add", "move_up", "move_down") and (self.saving or not self.loaded):
            return None
        return True

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        event.stop()
        self.refresh_bindings()
        item = self.current()
        reasons = [r for r in (
            self.sub.edit.refuse(item) if item and self.sub.edit else None,
            self.sub.remove.refuse(item) if item and self.sub.remove else None) if r]
        if reasons:
            self._status(reasons[0])
        elif not self.saving:
            self._status()

    def on_virtual_table_row_activated(self, event: VirtualTable.RowActivated) -> None:
        event.stop()
        if self.sub.edit is not None and self.check_action("edit", ()) is True:
            self.action_edit()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    # -- add / edit / remove ---------------------------------------------------------------
    def _say(self, message: str, title: str, *, error: bool = False) -> None:
        self.notify(message, title=title, severity="error" if error else "information",
                    markup=False, timeout=10 if error else 5)

    def action_add(self) -> None:
        if self.sub.add is not None:
            self.open_add()

    @work(group="sublist-choices", exclusive=True, exit_on_error=False)
    async def open_add(self) -> None:
        """Load what may be added (from Graph), then the form."""
        add = self.sub.add
        assert add is not None
        form = add.form
        if add.choices is not None:
            try:
                choices = tuple(await add.choices(self.client, self.parent_record, self.items))
            except B2CTuiError as exc:
                self._say(safe(str(exc)), "Cannot list what may be added", error=True)
                return
            if not choices:
                self._say(add.none_left, f"Add {self.sub.noun}")
                return
            form = replace(form, fields=tuple(
                replace(f, choices=choices) if f.name == add.pick else f for f in form.fields))

        def submit(dialog: FormDialog[Record], body: Record) -> None:
            self.run(self._send(dialog, lambda: add.send(self.client, self.parent_record, body),
                                "Added", str(body.get(add.pick, ""))), f"add {self.sub.noun}")

        if self.is_attached:
            self.app.push_screen(SpecForm(form, submit=submit))

    def action_edit(self) -> None:
        item, edit = self.current(), self.sub.edit
        if item is None or edit is None:
            return
        key = self.sub.key_of(item)

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            self.run(self._send(dialog, lambda: edit.send(self.client, self.parent_record, key,
                                                          patch), "Saved", key),
                     f"edit {self.sub.noun}")

        self.app.push_screen(SpecForm(edit.form_for(item), record=item, submit=submit))

    async def _send(self, dialog: FormDialog[Record], call: Callable[[], Awaitable[Any]],
                    verb: str, key: str) -> None:
        if await send_form(dialog, call, verb) is FAILED:
            return
        self.changed = True
        self._say(f"{verb} {safe(key)}", f"{self.sub.title} of {safe(self.parent_name)}")
        if self.is_attached:
            self.action_reload()

    def action_remove(self) -> None:
        item, remove = self.current(), self.sub.remove
        if item is None or remove is None:
            return
        key, name = self.sub.key_of(item), self.sub.name_of(item)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run(self._remove(key, name), f"remove {self.sub.noun}")

        note = f"From {safe(self.parent_name)}, which stays. {remove.note}".strip()
        self.app.push_screen(ConfirmDeleteDialog(self.sub.noun, [(name, key)], note=note,
                                                 verb="Remove"), confirmed)

    async def _remove(self, key: str, name: str) -> None:
        remove = self.sub.remove
        assert remove is not None
        try:
            await remove.send(self.client, self.parent_record, key)
        except B2CTuiError as exc:
            self._say(f"{safe(name)}: {safe(str(exc))}", "Graph refused the removal", error=True)
            return
        self.changed = True
        self._say(f"Removed {safe(name)} ({safe(key)}) from {safe(self.parent_name)}",
                  f"{self.sub.noun} removed")
        if self.is_attached:
            self.show_items([i for i in self.items if self.sub.key_of(i) != key])

    # -- order -----------------------------------------------------------------------------
    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        item = self.current()
        if item is None or self.sub.reorder is None or self.saving:
            return
        index = self.items.index(item)
        target = index + step
        if not 0 <= target < len(self.items):
            return
        before = list(self.items)
        after = list(before)
        after[index], after[target] = after[target], after[index]
        key = self.sub.key_of(item)
        self.saving = True
        self.show_items(after, cursor_key=key)
        self._status("Saving the order…")
        self.run(self._reorder(before, after, key), f"reorder {self.sub.title.lower()}")

    async def _reorder(self, before: list[Record], after: list[Record], key: str) -> None:
        reorder = self.sub.reorder
        assert reorder is not None
        try:
            await reorder(self.client, self.parent_record, [self.sub.key_of(i) for i in after])
        except B2CTuiError as exc:
            self.saving = False
            self._say(safe(str(exc)), "Graph refused the new order", error=True)
            if self.is_attached:
                self.show_items(before, cursor_key=key)
            return
        self.saving = False
        self.changed = True
        if self.is_attached:
            self.refresh_bindings()
            self._status("Order saved.")


@cache
def sublist_screen_for(operations: tuple[Operation, ...]) -> type[SubListScreen]:
    """A sub-list screen class offering ``operations`` (see :func:`operations_of`)."""
    return type("ResourceSubListScreen", (SubListScreen,), {"operations": operations})


def open_sublist_screen(sub: SubList, parent: Mapping[str, Any], parent_name: str, *,
                        client: GraphClient, read_only: bool, run: Runner) -> SubListScreen:
    """The screen of ``sub`` over ``parent`` (push it; it closes with ``True`` if changed)."""
    screen_class = sublist_screen_for(operations_of(sub))
    return screen_class(sub, parent, parent_name, client=client, read_only=read_only, run=run)
