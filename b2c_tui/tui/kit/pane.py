"""``KitPane``: a collection pane made from a :class:`~.spec.PaneSpec` (see :mod:`.`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from ...frames.columns import Column, select_for
from ...graph.errors import B2CTuiError
from ...graph.paging import PageIterator
from ..dialogs.confirm_delete import ConfirmDeleteDialog
from ..dialogs.form import FormDialog
from ..safe_text import safe
from ..widgets.table import VirtualTable
from .collection import CollectionPane
from .detail import DetailScreen, detail_screen_for
from .form import FAILED, SpecForm, send_form
from .inline import InlineEdits
from .operations import Operations
from .pages import JoinedPages, LocalFilterPages, OnePage
from .spec import NOTE, FieldSpec, FormSpec, PaneSpec, Section, SubList, sublist_operations

if TYPE_CHECKING:
    from ...changes import JournalEntry

Record = dict[str, Any]
WRITE_GROUP = "kit-write"


class KitPane(Operations, CollectionPane):
    """A pane described by ``spec``: a subclass sets ``spec`` (and may add methods for what
    is specific to it: custom actions named in ``spec.actions`` are ``action_<name>``)."""

    spec: ClassVar[PaneSpec]
    hide_cancels: ClassVar[frozenset[str]] = frozenset({"pages", "detail"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        spec = cls.__dict__.get("spec")
        if spec is not None:
            cls.operations = (*spec.operations(), *sublist_operations(spec.sublists))
            cls.BASE_BINDINGS = [
                Binding("slash", "app.filter_prompt", spec.filter.label, key_display="/",
                        id=f"{cls.binding_prefix}.filter"),
                *cls.__dict__.get("EXTRA_BINDINGS", []),
            ]
        super().__init_subclass__(**kwargs)

    EXTRA_BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.records: dict[str, Record] = {}
        #: (generation, key): where the cursor goes when that row arrives (:meth:`reload_at`)
        self._focus: tuple[int, str] | None = None
        #: pending inline edits, review and commit (:mod:`.inline`)
        self.inline = InlineEdits(self)
        super().__init__(*args, **kwargs)
        #: why the resource does not exist in this tenant ("": it does; None: not asked yet)
        self.not_here: str | None = None if self.spec.applies is not None else ""

    def on_mount(self) -> None:
        self.table.marks = self.inline  # pending edits show on their cells, found by id

    def pane_shown(self) -> None:
        super().pane_shown()
        self.post_status()  # the status line shows this pane's rows and pending edits again

    # -- the description -------------------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        return self.spec.columns

    def sections(self) -> Sequence[Section]:
        """The detail view's sections (``spec.sections``; a hook, like :meth:`columns`, for
        sections that depend on the pane's state, e.g. the tenant's time)."""
        return self.spec.sections
    def cell_tones(self) -> Mapping[str, Callable[[str], str | None]]:
        return self.spec.tones

    def pages(self) -> PageIterator:
        spec, client = self.spec, self.context.client
        select = select_for(self.columns())
        server = spec.filter.server or not self.filter_text
        pages: PageIterator
        if spec.list is None:  # computed whole by the pane, paged here as one page
            pages = OnePage(self.all_rows)  # type: ignore[assignment]
        else:
            pages = spec.list(client, select, self.filter_text if server else "")
        if spec.join is not None:
            pages = JoinedPages(pages, spec.join(client))  # type: ignore[assignment]
        if server:
            return pages
        return LocalFilterPages(pages, self.filter_text, self.columns())  # type: ignore[return-value]

    async def all_rows(self) -> list[Record]:
        """The whole listing of a pane whose ``spec.list`` is ``None`` (the policy tree, the
        key report): run in the page worker; ``/`` filters what it returns."""
        raise NotImplementedError(f"{type(self).__name__} has no spec.list: it overrides all_rows")

    def describe_filter(self) -> str:
        if not self.filter_text:
            return ""
        where = "" if self.spec.filter.server else " (loaded rows)"
        return f"filter{where}: {self.filter_text}"

    @property
    def filter_hint(self) -> str:
        return self.spec.filter.note or super().filter_hint

    @work(group="applies", exclusive=True, exit_on_error=False)
    async def check_applies(self) -> None:
        """Ask once (:attr:`PaneSpec.applies`) whether the resource exists here, then list."""
        assert self.spec.applies is not None
        self.not_here = await self.spec.applies(self.context) or ""
        self.refresh_bindings()
        self.reload()

    def after_write(self) -> None:
        """Hook: a create, edit or delete succeeded (e.g. forget what depends on it)."""

    def reload(self) -> None:
        self.records = {}
        if self.not_here is None:  # ask once whether the resource exists here, then list
            self.table.empty_text = "Loading…"
            self.check_applies()
            return
        if self.not_here:  # said where an error would be: the empty table and status line
            self.table.clear()
            self.last_error = self.not_here
            self._post_status()
            return
        super().reload()

    def reload_at(self, key: str | None) -> None:
        """Refresh (after a change) and put the cursor back on ``key`` when its row arrives
        (the object just created or changed), not on the first row."""
        self.reload()
        self._focus = (self.generation, key) if key else None

    def page_loaded(self, items: list[Record]) -> None:
        for item in items:
            self.records[str(item.get("id"))] = item
        focus = self._focus
        if focus is not None and focus[0] == self.generation:
            start = self.table.row_count - len(items)
            row = next((start + n for n, item in enumerate(items)
                        if str(item.get("id")) == focus[1]), None)
            if row is not None:
                self.table.move_cursor(row=row)
                self._focus = None

    # -- rows ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.context.read_only

    def has_row(self) -> bool:
        return self.table.row_count > 0

    def has_selection(self) -> bool:
        return self.table.selected_count > 0

    def current_record(self) -> Record | None:
        """The record under the cursor (as listed)."""
        table = self.table
        if not table.row_count:
            return None
        return self.records.get(table.row_key(table.cursor_row))

    def chosen_records(self) -> list[Record]:
        """What an operation on "one or a selection" acts on: the object of the detail view
        it was asked from, else the selected rows' records (in the order they arrived), else
        the one under the cursor."""
        screen = self.app.screen
        if isinstance(screen, DetailScreen) and screen.record is not None:
            return [screen.record]
        keys = self.table.selected_keys() if self.table.selected_count else []
        if keys:
            return [self.records[k] for k in keys if k in self.records]
        record = self.current_record()
        return [record] if record is not None else []

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
        if self.not_here and action in {(op.action or op.name).partition("(")[0]
                                        for op in self.operations}:
            return False  # nothing to create, change or open where the resource does not exist
        if action == "open_sublist":
            return True if self.has_row() else None
        state = self.operation_state(action, parameters)
        if state is not True:
            return state
        if action in ("commit", "review"):
            return (bool(self.inline.pending)
                    and not (action == "commit" and self.inline.committing)) or None
        if self.refusal(action, self.current_record()) is not None:
            return None
        return super().check_action(action, parameters)

    def status_note(self) -> str:
        table = self.table
        refused = self.inline.refusal_note(table.row_key(table.cursor_row)) \
            if table.row_count else ""
        if refused:  # Graph's message for the row under the cursor, beside its ✗ cells
            return refused
        record = self.current_record()
        reasons = " ".join(sorted(str(r) for r in {
            self.refusal(a, record) for a in ("edit", "delete")} - {None}))
        # The filter stays said while the cursor is on a row Graph will not change.
        return " · ".join(part for part in (super().status_note(), reasons) if part)

    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self.refresh_bindings()
        self._post_status()

    def on_virtual_table_selection_changed(self, event: VirtualTable.SelectionChanged) -> None:
        # The base class's handler runs too (the status line): here the keys that act on the
        # selection (``needs_selection``) follow it in the footer.
        if any(op.needs_selection for op in self.operations):
            self.refresh_bindings()

    # -- inline edits (:mod:`.inline`) -----------------------------------------------------
    def cell_field(self, key: str) -> FieldSpec | None:
        """The field that edits column ``key`` in place: the description's (a hook for
        columns known only at run time)."""
        return self.spec.cell_field(key)

    def action_edit_cell(self) -> None:
        self.inline.edit_cell()

    def action_review(self) -> None:
        self.inline.review()

    def action_commit(self) -> None:
        self.inline.ask_commit()

    def pending_count(self) -> int:
        return len(self.inline.pending)

    def pending_note(self) -> str:
        return self.inline.summary()

    def journal_undone(self, entry: JournalEntry) -> None:
        """An undone change of this pane's kind shows as it now is: the old values back in
        the loaded rows, or a restored object back in the list."""
        spec = self.spec
        if entry.kind != (spec.object_kind or spec.noun):
            return
        if entry.op == "update":
            self.run_worker(self.inline.show_values({entry.object_id: entry.old}),
                            group="undo-show", exit_on_error=False)
        elif entry.op == "delete":
            self.object_restored(entry.object_id)

    def object_restored(self, key: str) -> None:
        """A deleted object came back (undo): load the list again (a hook)."""
        self.reload()

    # -- detail view -----------------------------------------------------------------------
    def on_virtual_table_row_activated(self, event: VirtualTable.RowActivated) -> None:
        event.stop()
        self.open_detail(event.key)

    def open_detail(self, key: str) -> DetailScreen:
        """Push the detail view at once; the object is fetched in a worker if needed."""
        spec = self.spec
        record = self.records.get(key)
        screen = detail_screen_for(self.operations)(
            spec.noun, key, spec.name_of(record) if record else "", sections=self.sections(),
            read_only=self.context.read_only, intent=self._detail_intent)
        screen.secrets = spec.secrets
        self.app.push_screen(screen)
        self.load_detail(screen)
        return screen

    async def fetch_record(self, key: str) -> dict[str, Any]:
        """The whole object for the detail view: ``spec.get``, else the record as listed (a
        hook: a pane whose detail joins more than the listing did overrides it)."""
        spec = self.spec
        if spec.get is not None:
            return await spec.get(self.context.client, key)
        return self.records[key]

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def load_detail(self, screen: DetailScreen) -> None:
        try:
            record = await self.fetch_record(screen.object_id)
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
        sub = next((s for s in self.spec.sublists if s.name == name), None)
        if name == "edit":
            self.edit(record, screen)
        elif name == "delete":
            self.delete(record, screen)
        elif sub is not None:
            self.open_sublist(sub.name, record, screen)
        else:
            getattr(self, f"action_{name}")()

    # -- lists inside an object --------------------------------------------------------------
    def action_open_sublist(self, name: str) -> None:
        record = self.current_record()
        if record is not None:
            self.open_sublist(name, record)

    def open_sublist(self, name: str, record: Mapping[str, Any],
                     detail: DetailScreen | None = None) -> None:
        """Show the sub-list ``name`` of ``record``; when it changed something, the list (and
        the detail view it was opened from) is loaded again."""
        from .sublist import open_sublist_screen

        sub: SubList = next(s for s in self.spec.sublists if s.name == name)

        def closed(changed: bool | None) -> None:
            if changed:
                self.after_write()
                self.reload()
                if detail is not None and detail.is_attached:
                    self.load_detail(detail)

        screen = open_sublist_screen(sub, record, self.spec.name_of(record),
                                     client=self.context.client,
                                     read_only=self.context.read_only, run=self._run)
        self.app.push_screen(screen, closed)

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
        if create.pick is not None:
            self.pick_kind()
            return
        self.open_create(create.form)

    def open_create(self, form: FormSpec, extra: Mapping[str, Any] | None = None) -> None:
        """The create form; ``extra`` (the kind picked first) goes into the body."""
        create = self.spec.create
        assert create is not None

        def submit(dialog: FormDialog[Record], body: Record) -> None:
            full = {**(extra or {}), **body}
            self._run(self._send(dialog, lambda: create.send(self.context.client, full),
                                 "Created", full), f"create {self.spec.noun}")

        self.app.push_screen(SpecForm(form, submit=submit))

    @work(group="pick", exclusive=True, exit_on_error=False)
    async def pick_kind(self) -> None:
        """``n`` with a :class:`~.spec.Pick`: the kinds Graph offers, then the kind's form."""
        create = self.spec.create
        assert create is not None and create.pick is not None
        pick = create.pick
        try:
            choices = tuple(await pick.choices(self.context.client))
        except B2CTuiError as exc:
            self._say(safe(str(exc)), f"Cannot list the kinds of {self.spec.noun}", error=True)
            return
        if not choices:
            self._say(f"Graph offers no kind of {self.spec.noun} to add.", pick.title)
            return
        form = FormSpec(pick.title, (FieldSpec(pick.field, pick.label, "choice",
                                               choices=choices, help=pick.help),),
                        save_label="Next")

        def chosen(values: Record | None) -> None:
            if values is not None:
                kind = str(values[pick.field])
                self.open_create(pick.form_for(kind), {pick.field: kind})

        self.app.push_screen(SpecForm(form), chosen)

    def action_edit(self) -> None:
        record = self.current_record()
        if record is not None:
            self.edit(record)

    def _refused(self, action: str, record: Mapping[str, Any], allowed: object) -> bool:
        """Say why ``action`` (``edit``, ``delete``) cannot apply to ``record``, if it cannot:
        the description does not allow it (``allowed`` is ``None``) or refuses this object."""
        reason = self.refusal(action, record)
        if allowed is not None and reason is None:
            return False
        done = {"edit": "edited", "delete": "deleted"}[action]
        self._say(reason or f"A {self.spec.noun} cannot be {done}.", f"Cannot {action}")
        return True

    def edit(self, record: Mapping[str, Any], detail: DetailScreen | None = None) -> None:
        """``E``: the edit form over ``record``; its patch is sent when saved."""
        edit = self.spec.edit
        if self._refused("edit", record, edit) or edit is None:
            return
        key = str(record["id"])

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            from ...changes import send_journaled

            client = self.context.client
            sent = edit.complete(record, patch)
            change = self.spec.change("update", key, new=sent, name=self.spec.name_of(record),
                                      old={k: record.get(k) for k in sent})

            async def call() -> Any:  # journaled (fsynced) first: ctrl+z can undo it
                answer, _ = await send_journaled(client, self.context.connection.journal(),
                                                 change, lambda: edit.send(client, key, sent))
                return answer

            self._run(self._send(dialog, call, "Saved", record, detail=detail),
                      f"edit {self.spec.noun}")

        self.app.push_screen(SpecForm(edit.form_for(record), record=record, submit=submit))

    async def _send(self, dialog: FormDialog[Record], call: Callable[[], Awaitable[Any]],
                    verb: str, record: Mapping[str, Any],
                    detail: DetailScreen | None = None) -> None:
        answer = await send_form(dialog, call, verb)
        if answer is FAILED:
            return
        self.after_write()
        done = answer if isinstance(answer, Mapping) else {**record, **(dialog.result or {})}
        self._say(f"{verb} {safe(self.spec.name_of(done))}", f"{self.spec.noun} {verb.lower()}")
        if done.get(NOTE):
            self.notify(safe(str(done[NOTE])), title=f"{self.spec.noun} {verb.lower()}: but",
                        severity="warning", markup=False, timeout=15)
        self.reload_at(str(done.get("id") or record.get("id") or "") or None)
        if detail is not None and detail.is_attached:
            self.load_detail(detail)

    def action_delete(self) -> None:
        record = self.current_record()
        if record is not None:
            self.delete(record)

    def delete(self, record: Mapping[str, Any], detail: DetailScreen | None = None) -> None:
        """``d``: confirm, naming the object and its id, then delete."""
        delete = self.spec.delete
        if self._refused("delete", record, delete) or delete is None:
            return
        key, name = str(record["id"]), self.spec.name_of(record)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(self._delete(key, name, detail), f"delete {self.spec.noun}")

        self.app.push_screen(ConfirmDeleteDialog(self.spec.noun, [(name, key)],
                                                 note=delete.note), confirmed)

    async def _delete(self, key: str, name: str, detail: DetailScreen | None) -> None:
        from ...changes import send_journaled

        delete = self.spec.delete
        assert delete is not None
        client = self.context.client
        try:  # journaled (fsynced) before the request: ctrl+z can undo what Graph can restore
            await send_journaled(client, self.context.connection.journal(),
                                 self.spec.change("delete", key, name=name),
                                 lambda: delete.send(client, key))
        except B2CTuiError as exc:
            self._say(f"{safe(name)}: {safe(str(exc))}", "Graph refused the delete", error=True)
            return
        self._say(f"Deleted {safe(name)} ({safe(key)})", f"{self.spec.noun} deleted")
        self.after_write()
        if detail is not None and detail.is_attached:
            detail.dismiss(None)
        self.records.pop(key, None)
        self.table.remove_keys([key])
