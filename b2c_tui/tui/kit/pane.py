"""``KitPane``: a collection pane made from a :class:`~.spec.PaneSpec` (see :mod:`.`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from ...frames.columns import Column, select_for
from ...graph.errors import B2CTuiError
from ...graph.paging import Page, PageIterator
from ..dialogs.confirm_delete import ConfirmDeleteDialog
from ..dialogs.form import FormDialog
from ..safe_text import safe
from ..widgets.table import VirtualTable
from .collection import CollectionPane
from .detail import DetailScreen, detail_screen_for
from .form import SpecForm
from .operations import Operations
from .spec import PaneSpec

log = logging.getLogger(__name__)
Record = dict[str, Any]
WRITE_GROUP = "kit-write"


class LocalFilterPages:
    """The pages of ``inner`` keeping only the records whose shown cells contain ``text``
    (case-insensitive): ``/`` where Graph cannot filter. Same interface as the page
    iterator."""

    def __init__(self, inner: PageIterator, text: str, columns: Sequence[Column]) -> None:
        self._inner = inner
        self._needle = text.casefold()
        self._columns = list(columns)

    def _matches(self, record: Mapping[str, Any]) -> bool:
        return any(self._needle in str(c.value(record) or "").casefold()
                   for c in self._columns) or self._needle in str(record.get("id", "")).lower()

    def __aiter__(self) -> LocalFilterPages:
        return self

    async def __anext__(self) -> Page:
        page = await self._inner.__anext__()
        return Page([r for r in page.items if self._matches(r)], page.next_link, page.number)

    @property
    def exhausted(self) -> bool:
        return self._inner.exhausted

    @property
    def prefetch(self) -> bool:
        return getattr(self._inner, "prefetch", True)

    @prefetch.setter
    def prefetch(self, on: bool) -> None:
        if hasattr(self._inner, "prefetch"):
            self._inner.prefetch = on

    async def aclose(self) -> None:
        await self._inner.aclose()


class KitPane(Operations, CollectionPane):
    """A pane described by ``spec``: a subclass sets ``spec`` (and may add methods for what
    is specific to it: custom actions named in ``spec.actions`` are ``action_<name>``)."""

    spec: ClassVar[PaneSpec]
    hide_cancels: ClassVar[frozenset[str]] = frozenset({"pages", "detail"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        spec = cls.__dict__.get("spec")
        if spec is not None:
            cls.operations = spec.operations()
            cls.BASE_BINDINGS = [
                Binding("slash", "app.filter_prompt", spec.filter.label, key_display="/",
                        id=f"{cls.binding_prefix}.filter"),
                *cls.__dict__.get("EXTRA_BINDINGS", []),
            ]
        super().__init_subclass__(**kwargs)

    EXTRA_BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.records: dict[str, Record] = {}
        super().__init__(*args, **kwargs)

    # -- the description -------------------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        return self.spec.columns

    def pages(self) -> PageIterator:
        spec, client = self.spec, self.context.client
        select = select_for(self.columns())
        if spec.filter.server or not self.filter_text:
            return spec.list(client, select, self.filter_text)
        return LocalFilterPages(spec.list(client, select, ""), self.filter_text,  # type: ignore[return-value]
                                self.columns())

    def describe_filter(self) -> str:
        if not self.filter_text:
            return ""
        where = "" if self.spec.filter.server else " (loaded rows)"
        return f"filter{where}: {self.filter_text}"

    @property
    def filter_hint(self) -> str:
        return self.spec.filter.note or super().filter_hint

    def after_write(self) -> None:
        """Hook: a create, edit or delete succeeded (e.g. forget what depends on it)."""

    def reload(self) -> None:
        self.records = {}
        super().reload()

    def page_loaded(self, items: list[Record]) -> None:
        for item in items:
            self.records[str(item.get("id"))] = item

    # -- rows ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.context.read_only

    def has_row(self) -> bool:
        return self.table.row_count > 0

    def current_record(self) -> Record | None:
        """The record under the cursor (as listed)."""
        table = self.table
        if not table.row_count:
            return None
        return self.records.get(table.row_key(table.cursor_row))

    def refusal(self, action: str, record: Mapping[str, Any] | None) -> str | None:
        """Why ``action`` cannot apply to ``record`` (``None``: it can)."""
        spec = self.spec
        if record is None:
            return None
        if action == "edit" and spec.edit is not None:
            return spec.edit.refuse(record)
        if action == "delete" and spec.delete is not None:
            return spec.delete.refuse(record)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.operation_state(action, parameters)
        if state is not True:
            return state
        if self.refusal(action, self.current_record()) is not None:
            return None
        return super().check_action(action, parameters)

    def status_note(self) -> str:
        record = self.current_record()
        reasons = {self.refusal(a, record) for a in ("edit", "delete")} - {None}
        return " ".join(sorted(str(r) for r in reasons)) or super().status_note()

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self.refresh_bindings()
        self._post_status()

    # -- detail view -----------------------------------------------------------------------
    def on_virtual_table_row_activated(self, event: VirtualTable.RowActivated) -> None:
        event.stop()
        self.open_detail(event.key)

    def open_detail(self, key: str) -> DetailScreen:
        """Push the detail view at once; the object is fetched in a worker if needed."""
        spec = self.spec
        record = self.records.get(key)
        screen = detail_screen_for(self.operations)(
            spec.noun, key, spec.name_of(record) if record else "", sections=spec.sections,
            read_only=self.context.read_only, intent=self._detail_intent)
        self.app.push_screen(screen)
        self.load_detail(screen)
        return screen

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def load_detail(self, screen: DetailScreen) -> None:
        spec = self.spec
        try:
            record = (await spec.get(self.context.client, screen.object_id) if spec.get is not None
                      else self.records[screen.object_id])
        except (B2CTuiError, KeyError) as exc:
            if screen.is_attached:
                screen.show_error(str(exc))
            return
        if screen.is_attached:
            screen.show(record)

    def _detail_intent(self, name: str, screen: DetailScreen) -> None:
        record = screen.record
        if record is None:
            return
        if name == "edit":
            self.edit(record, screen)
        elif name == "delete":
            self.delete(record, screen)
        else:
            getattr(self, f"action_{name}")()

    # -- writes ----------------------------------------------------------------------------
    def _run(self, work: Awaitable[None], name: str) -> None:
        self.run_worker(work, name=name, group=WRITE_GROUP, exit_on_error=False)

    def _say(self, message: str, title: str, *, error: bool = False) -> None:
        self.notify(message, title=title, severity="error" if error else "information",
                    markup=False, timeout=10 if error else 5)

    def action_create(self) -> None:
        create = self.spec.create
        if create is None:
            return

        def submit(dialog: FormDialog[Record], body: Record) -> None:
            self._run(self._send(dialog, lambda: create.send(self.context.client, body),
                                 "Created", body), f"create {self.spec.noun}")

        self.app.push_screen(SpecForm(create.form, submit=submit))

    def action_edit(self) -> None:
        record = self.current_record()
        if record is not None:
            self.edit(record)

    def edit(self, record: Mapping[str, Any], detail: DetailScreen | None = None) -> None:
        """``E``: the edit form over ``record``; its patch is sent when saved."""
        edit = self.spec.edit
        reason = self.refusal("edit", record)
        if edit is None or reason is not None:
            self._say(reason or f"A {self.spec.noun} cannot be edited.", "Cannot edit")
            return
        key = str(record["id"])

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            self._run(self._send(dialog, lambda: edit.send(self.context.client, key, patch),
                                 "Saved", record, detail=detail), f"edit {self.spec.noun}")

        self.app.push_screen(SpecForm(edit.form, record=record, submit=submit))

    async def _send(self, dialog: FormDialog[Record], call: Callable[[], Awaitable[Any]],
                    verb: str, record: Mapping[str, Any],
                    detail: DetailScreen | None = None) -> None:
        try:
            answer = await call()
        except Exception as exc:
            if not isinstance(exc, B2CTuiError):
                log.error("%s failed: %s", verb, type(exc).__name__, exc_info=exc)
            dialog.fail(exc)
            return
        dialog.finish()
        self.after_write()
        done = answer if isinstance(answer, Mapping) else {**record, **(dialog.result or {})}
        self._say(f"{verb} {safe(self.spec.name_of(done))}", f"{self.spec.noun} {verb.lower()}")
        self.reload()
        if detail is not None and detail.is_attached:
            self.load_detail(detail)

    def action_delete(self) -> None:
        record = self.current_record()
        if record is not None:
            self.delete(record)

    def delete(self, record: Mapping[str, Any], detail: DetailScreen | None = None) -> None:
        """``d``: confirm, naming the object and its id, then delete."""
        delete = self.spec.delete
        reason = self.refusal("delete", record)
        if delete is None or reason is not None:
            self._say(reason or f"A {self.spec.noun} cannot be deleted.", "Cannot delete")
            return
        key, name = str(record["id"]), self.spec.name_of(record)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(self._delete(key, name, detail), f"delete {self.spec.noun}")

        self.app.push_screen(ConfirmDeleteDialog(self.spec.noun, [(name, key)],
                                                 note=delete.note), confirmed)

    async def _delete(self, key: str, name: str, detail: DetailScreen | None) -> None:
        delete = self.spec.delete
        assert delete is not None
        try:
            await delete.send(self.context.client, key)
        except B2CTuiError as exc:
            self._say(f"{safe(name)}: {safe(str(exc))}", "Graph refused the delete", error=True)
            return
        self._say(f"Deleted {safe(name)} ({safe(key)})", f"{self.spec.noun} deleted")
        self.after_write()
        if detail is not None and detail.is_attached:
            detail.dismiss(None)
        self.records.pop(key, None)
        self.table.remove_keys([key])
