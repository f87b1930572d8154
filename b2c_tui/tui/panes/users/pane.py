"""The users pane over the kit: the description (columns, the server-side find, the keys)
and what only users have (find-user queries, extension columns, the write flows of
:mod:`.flows`, the detail view of :mod:`.detail`).

Keys (the app's key map): ``enter`` opens the detail view, ``/`` finds users (Graph runs the
search on Enter), ``n`` creates a consumer user, ``E`` edits, ``p`` resets the password, ``d``
deletes, ``D`` deletes the selection through ``$batch``, ``m`` shows the user's authentication
methods, ``c`` chooses columns.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from ....frames.columns import Column, select_for
from ....frames.extensions import ExtensionAttribute
from ....frames.users import USER_COLUMNS, USER_COLUMNS_BY_KEY, USER_OPTIONAL_COLUMNS
from ....graph.client import GraphClient
from ....graph.errors import B2CTuiError
from ....graph.find_user import UserSearch, plan_user_search
from ....graph.paging import ChainedPages, PageIterator
from ....graph.resources.users import USER_SELECT
from ...dialogs.column_chooser import ColumnChoice, ColumnChooserDialog
from ...kit.detail import DetailScreen
from ...kit.pane import KitPane
from ...kit.spec import FieldSpec, Filter, Operation, PaneSpec
from ...messages import OpenPane, UserRef
from ...safe_text import safe
from .cells import USER_CELL_FIELDS, USER_PATCHABLE, extension_field
from .detail import UserDetailScreen
from .flows import Restore, UserFlows, discover_extensions

log = logging.getLogger(__name__)

#: Everything the detail view shows (single-user ``$select``; extension attributes added).
DETAIL_SELECT = tuple(dict.fromkeys((
    *USER_SELECT, *(p for c in USER_OPTIONAL_COLUMNS for p in c.properties),
    "refreshTokensValidFromDateTime", "legalAgeGroupClassification", "streetAddress",
    "officeLocation", "faxNumber", "employeeId", "employeeType", "proxyAddresses",
    "imAddresses", "onPremisesSyncEnabled", "onPremisesImmutableId",
)))
#: selections up to this size are gathered on the event loop (O(selection)); larger ones (a
#: select-all over many pages is O(rows)) in a thread
QUICK_SELECTION = 5_000
FIND_HINT = "name prefix · whole email or user name · id · UPN · +phone, then Enter"


def _list_users(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    """All users (the find-user queries are :meth:`UsersPane.pages`: they need the tenant)."""
    return client.users.list(select=list(select), top=999)


USERS = PaneSpec(
    noun="user",
    columns=USER_COLUMNS,
    list=_list_users,
    # "/" is a server-side search Graph runs on Enter, not a filter as you type: say so.
    filter=Filter("Find user", server=True, note=FIND_HINT),
    actions=(
        Operation("create", "n", "New user", write=True),
        Operation("edit", "E", "Edit", write=True, needs_row=True),
        Operation("reset_password", "p", "Password", write=True, needs_row=True),
        Operation("delete", "d,delete", "Delete", write=True, needs_row=True,
                  key_display="d"),
        Operation("bulk_delete", "D,shift+delete", "Delete selected", write=True,
                  key_display="D", needs_selection=True),
        Operation("auth_methods", "m", "Auth methods", needs_row=True),
        Operation("choose_columns", "c", "Columns"),
    ),
    # inline edits (i): the plain properties a PATCH may change, and extension attributes
    patchable=USER_PATCHABLE,
    cell_fields=USER_CELL_FIELDS,
    object_kind="user",
)


def _names(values: dict[str, Any]) -> dict[str, str]:
    """The display names among raw column values (missing ones left out)."""
    return {str(k): v for k, v in values.items() if isinstance(v, str)}


class UsersPane(KitPane):
    """Users of the tenant, a Graph page at a time."""

    spec: ClassVar[PaneSpec] = USERS
    binding_prefix: ClassVar[str] = "users"
    hide_cancels: ClassVar[frozenset[str]] = frozenset({"pages", "detail", "columns", "selection"})
    EXTRA_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "app.filter_prompt", "Find user", show=False, id="users.find"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: the columns shown (the default ones until the user chooses)
        self.chosen_columns: list[Column] = list(USER_COLUMNS)
        self.search: UserSearch | None = None
        self.flows = UserFlows(self)
        self.known_extensions: list[ExtensionAttribute] = []
        self._restore: Restore | None = None
        super().__init__(*args, **kwargs)

    def columns(self) -> Sequence[Column]:
        return list(self.chosen_columns)

    def pages(self) -> PageIterator:
        """All users, or the find-user queries for the text after ``/`` (merged); a search
        Graph cannot answer is refused here, before any request."""
        self.search = None
        if not self.filter_text:
            return super().pages()
        self.search = plan_user_search(self.filter_text, self.context.tenant)
        select = select_for(self.columns())
        client = self.context.client
        iterators = [client.users.list(q, top=None) for q in self.search.queries(select)]
        if len(iterators) == 1:
            return iterators[0]
        return ChainedPages(iterators)  # type: ignore[return-value]

    def describe_filter(self) -> str:
        if self.search is None:
            return ""
        return f"find: {self.search.description}"

    def empty_message(self) -> str:
        search = self.search
        if search is None or self.last_error:
            return super().empty_message()
        note = f" {search.note}" if search.note else ""
        return f"No users match {search.description}.{note} Esc shows all users again."

    # -- rows ------------------------------------------------------------------------------
    def current_user_id(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        return table.row_key(table.cursor_row)

    def names_of(self, keys: Iterable[str]) -> dict[str, str]:
        """Display names of loaded rows by id (as Graph sent them; show them with ``safe``).

        The rows under the cursor, on screen or selected by hand are read from the table at
        once; others (after a select-all) from the loaded pages, O(rows) in numpy.
        """
        wanted = list(dict.fromkeys(keys))
        names = self.table.values_of(wanted, "displayName")
        rest = [k for k in wanted if k not in names]
        if rest:
            names.update(self.frame.values_of(rest, "displayName"))
        return _names(names)

    def _current(self) -> tuple[str, str] | None:
        user_id = self.current_user_id()
        if user_id is None:
            return None
        return user_id, self.names_of([user_id]).get(user_id, user_id)

    def refresh_rows(self, focus: str | None = None) -> None:
        """Show the tenant's current rows again (after a change), keeping the selection and
        putting the cursor back on ``focus`` (or the current row) when its page arrives."""
        table = self.table
        self._restore = Restore(self.generation + 1, focus or self.current_user_id(),
                                table.cursor_row, set(table.selected_keys()))
        self.reload()

    def remove_rows(self, keys: Sequence[str]) -> None:
        """Drop deleted users from the view in place: the other loaded rows, the sort, the
        cursor's index and the rest of the selection stay (:meth:`VirtualTable.remove_keys`);
        the loaded count and the frame follow from its ``RowsRemoved``."""
        self.table.remove_keys(keys)

    def cell_field(self, key: str) -> FieldSpec | None:
        """Plain properties from the description; extension columns by their data type."""
        attribute = next((a for a in self.known_extensions if a.key == key), None)
        return extension_field(attribute) if attribute is not None else super().cell_field(key)

    def object_restored(self, key: str) -> None:
        """A deleted user is back (undo from the journal): list again, cursor on it."""
        self.refresh_rows(focus=key)

    def page_loaded(self, items: list[dict]) -> None:  # type: ignore[type-arg]
        restore = self._restore
        if (restore is not None and restore.generation == self.generation
                and restore.apply(self.table, items, more=self.frame.has_more)):
            self._restore = None

    # -- detail view -----------------------------------------------------------------------
    def open_detail(self, user_id: str) -> UserDetailScreen:  # type: ignore[override]
        """Push the detail view at once; the user is fetched in a worker."""
        name = self.names_of([user_id]).get(user_id, "")
        screen = UserDetailScreen(user_id, name, read_only=self.context.read_only,
                                  intent=self._detail_intent)
        self.app.push_screen(screen)
        self.load_detail(screen)
        return screen

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def load_detail(self, screen: DetailScreen) -> None:
        """Fetch the whole user for ``screen`` (again, after an edit)."""
        assert isinstance(screen, UserDetailScreen)
        try:
            record = await self.fetch_user(screen.user_id)
        except B2CTuiError as exc:
            if screen.is_attached:
                screen.show_error(str(exc))
            return
        if screen.is_attached:
            screen.show_user(record, self.known_extensions)

    async def fetch_user(self, user_id: str) -> dict[str, Any]:
        """The user with every property the detail view and the edit form need."""
        extensions = await self.extension_attributes()
        select = [*DETAIL_SELECT, *(a.key for a in extensions)]
        return await self.context.client.users.get(user_id, select=select)

    def _detail_intent(self, name: str, screen: DetailScreen) -> None:
        record, user_id = screen.record, screen.object_id
        label = str((record or {}).get("displayName") or screen.name_hint or user_id)
        if name == "auth_methods":
            screen.dismiss(None)
            self.show_auth_methods(user_id)
        elif self.context.read_only or record is None:
            return
        elif name == "edit":
            self.flows.edit(user_id, record, screen)
        elif name == "reset_password":
            self.flows.reset_password(user_id, label, record)
        elif name == "delete":
            self.flows.delete(user_id, label, screen)

    # -- actions ---------------------------------------------------------------------------
    def action_create(self) -> None:
        self.flows.create()

    def action_edit(self) -> None:
        current = self._current()
        if current is not None and not self.context.read_only:
            self.flows.edit(current[0])

    def action_reset_password(self) -> None:
        current = self._current()
        if current is not None and not self.context.read_only:
            self.flows.reset_password(*current)

    def action_delete(self) -> None:
        current = self._current()
        if current is not None and not self.context.read_only:
            self.flows.delete(*current)

    def action_bulk_delete(self) -> None:
        count = self.table.selected_count
        if not count or self.context.read_only:
            return
        if count <= QUICK_SELECTION:
            self.flows.bulk_delete(self.table.selected_keys())
        else:  # a select-all over many pages: gather keys and names off the event loop
            self._bulk_delete_large()

    @work(group="selection", exclusive=True, exit_on_error=False)
    async def _bulk_delete_large(self) -> None:
        table, loaded = self.table, self.frame.snapshot()
        self.post_message(self.Status(table.row_summary,
                                      f"gathering {table.selected_count:,} selected users…"))
        keys = await asyncio.to_thread(table.selected_keys)
        names = _names(await asyncio.to_thread(loaded.values_of, keys, "displayName"))
        self._post_status()
        if keys:
            self.flows.bulk_delete(keys, names)

    def action_auth_methods(self) -> None:
        user_id = self.current_user_id()
        if user_id is not None:
            self.show_auth_methods(user_id)

    def show_auth_methods(self, user_id: str) -> None:
        """Hand the user to the auth-methods pane (a typed message; panes never import each
        other)."""
        name = self.names_of([user_id]).get(user_id, "")
        self.post_message(OpenPane("auth-methods", UserRef(user_id, name)))

    # -- columns ---------------------------------------------------------------------------
    @work(group="columns", exclusive=True, exit_on_error=False)
    async def action_choose_columns(self) -> None:
        """``c``: the default, optional and extension columns (discovered once), each on or
        off."""
        extensions = await self.extension_attributes()
        shown = {c.key for c in self.chosen_columns}
        choices = [ColumnChoice(c.key, c.label, "default" if c in USER_COLUMNS else "",
                                c.key in shown)
                   for c in (*USER_COLUMNS, *USER_OPTIONAL_COLUMNS)]
        choices += [ColumnChoice(a.key, a.name, f"extension · {a.data_type}", a.key in shown)
                    for a in extensions]

        def chosen(keys: list[str] | None) -> None:
            if keys is not None:
                self.set_columns(keys)

        self.app.push_screen(ColumnChooserDialog(choices), chosen)

    def set_columns(self, keys: Sequence[str]) -> None:
        """Show these columns (default, optional or extension keys), in this order, and
        reload."""
        by_key = {a.key: a for a in self.known_extensions}
        columns = []
        for key in keys:
            if key in by_key:
                attribute = by_key[key]
                columns.append(Column(key, attribute.name, kind=attribute.column_kind))
            elif key in USER_COLUMNS_BY_KEY:
                columns.append(USER_COLUMNS_BY_KEY[key])
        if columns:
            self.chosen_columns = columns
            self.refresh_rows()

    async def extension_attributes(self) -> list[ExtensionAttribute]:
        """The tenant's custom attributes under their friendly names, discovered once per
        connection (see :func:`.users_actions.discover_extensions`)."""
        try:
            self.known_extensions = await discover_extensions(self.context)
        except B2CTuiError as exc:
            log.warning("cannot discover extension attributes: %s", exc)
            self.notify(safe(str(exc)), title="Extension attributes unavailable",
                        severity="warning", markup=False)
        return self.known_extensions
