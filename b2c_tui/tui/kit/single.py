"""``ObjectPane``: a pane that is one object, made from an :class:`~.spec.ObjectSpec`.

Some resources are a single object of the tenant (the B2C authentication methods policy): no
list to page, filter or sort. The pane shows the object as its sections beside the raw JSON,
``E`` opens the edit form over it (the allowed values as checkboxes and choices; Graph's refusal
beside the field, what was typed kept) and saves it with a PATCH, ``r`` reads it again and ``e``
exports it as one row (CSV or JSON Lines). ``applies`` works as for lists: where the object
does not exist, the pane says so in one sentence and offers no edit.

How to add one: ``class ThingPane(ObjectPane): spec = THING; binding_prefix = "thing"``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ...graph.errors import B2CTuiError
from ...graph.paging import Page
from ..dialogs.form import FormDialog
from ..safe_text import safe
from .base import ResourcePane
from .detail import json_text, mask_secrets
from .form import FAILED, SpecForm, send_form
from .operations import Operations
from .spec import ObjectSpec

if TYPE_CHECKING:
    from ..dialogs.export import ExportRequest

Record = dict[str, Any]


class ObjectPane(Operations, ResourcePane):
    """One object of the tenant described by ``spec`` (see the module docs)."""

    DEFAULT_CSS = """
    ObjectPane { height: 1fr; }
    ObjectPane > .object-title { height: auto; padding: 0 1; background: $panel; }
    ObjectPane > .object-body { height: 1fr; }
    ObjectPane .object-left { width: 3fr; padding: 0 1; }
    ObjectPane .object-json { width: 2fr; padding: 0 1; overflow-x: auto;
        border-left: tall $panel; background: $surface; }
    ObjectPane .object-raw { width: auto; text-wrap: nowrap; }
    ObjectPane .object-head { margin-top: 1; color: $accent; }
    """
    spec: ClassVar[ObjectSpec]
    can_export: ClassVar[bool] = True
    hide_cancels: ClassVar[frozenset[str]] = frozenset({"object"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        spec = cls.__dict__.get("spec")
        if spec is not None:
            cls.operations = spec.operations()
        super().__init_subclass__(**kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record: Record | None = None
        self.error = ""
        self.loading = False
        #: why the object does not exist in this tenant ("": it does; None: not asked yet)
        self.not_here: str | None = None if self.spec.applies is not None else ""

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title(), classes="object-title")
        with Horizontal(classes="object-body"):
            with VerticalScroll(classes="object-left", id=f"{self.info.id}-sections"):
                for index, section in enumerate(self.spec.sections):
                    yield Static(Text(section.title, style="bold underline"),
                                 classes="object-head")
                    yield Static("", classes="object-section", id=f"object-section-{index}")
            with VerticalScroll(classes="object-json"):
                yield Static("", classes="object-raw", id=f"{self.info.id}-raw")

    can_focus = True

    def focus_default(self) -> None:
        # The sections scroll when they overflow; otherwise the pane takes the keys itself
        # (a container that cannot scroll does not take the focus, and the keys would stay
        # with the pane list).
        sections = self.query_one(f"#{self.info.id}-sections", VerticalScroll)
        if sections.focusable:
            sections.focus()
        else:
            self.focus()

    def _title(self) -> Text:
        title = Text(f"{self.info.title}  ")
        if self.record is not None:
            title.append(safe(self.spec.name_of(self.record)), style="bold")
        elif self.not_here:
            title.append(safe(self.not_here), style="italic")
        elif self.error:
            title.append(f"Cannot show it: {safe(self.error)}", style="bold")
        else:
            title.append("loading…", style="italic")
        return title

    def fill(self) -> None:
        """Show the object (or why there is none) and refresh the keys."""
        self.query_one(".object-title", Static).update(self._title())
        record = self.record
        shown = mask_secrets(record, self.spec.secrets) if record is not None else None
        for index, section in enumerate(self.spec.sections):
            self.query_one(f"#object-section-{index}", Static).update(
                section.render(shown) if shown is not None else "")
        raw = self.query_one(f"#{self.info.id}-raw", Static)
        # Loaded with the first object shown, not at start-up (it brings pygments).
        from textual.highlight import highlight

        raw.update(highlight(json_text(shown), language="json") if shown is not None else "")
        note = self.not_here or self.error
        self.post_message(self.Status("1 object" if record is not None else "", note))
        self.refresh_bindings()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the object again (``r``)."""
        self.loading = True
        self.load()

    @work(group="object", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        if self.not_here is None:
            assert self.spec.applies is not None
            self.not_here = await self.spec.applies(self.context) or ""
        if self.not_here:
            self.loading, self.record = False, None
            self.fill()
            return
        try:
            record = await self.spec.get(self.context.client)
        except B2CTuiError as exc:
            self.loading, self.error = False, str(exc)
            self.fill()
            return
        self.loading, self.error, self.record = False, "", dict(record)
        self.fill()

    # -- keys ------------------------------------------------------------------------------
    def guard_read_only(self) -> bool:
        return self.context.read_only

    def has_row(self) -> bool:
        return self.record is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.not_here and any(op.name == action for op in self.operations):
            return False  # nothing to change where the object does not exist
        state = self.operation_state(action, parameters)
        if state is not True:
            return state
        edit = self.spec.edit
        if action == "edit" and edit is not None and self.record is not None \
                and edit.refuse(self.record):
            return None
        return True

    def action_edit(self) -> None:
        edit, record = self.spec.edit, self.record
        if edit is None or record is None:
            return
        reason = edit.refuse(record)
        if reason:
            self.notify(reason, title="Cannot edit", markup=False)
            return
        key = str(record.get("id") or "")

        def submit(dialog: FormDialog[Record], patch: Record) -> None:
            sent = edit.complete(record, patch)
            self.run_worker(self._save(dialog, lambda: edit.send(self.context.client, key, sent)),
                            group="object-write", exit_on_error=False)

        self.app.push_screen(SpecForm(edit.form_for(record), record=record, submit=submit))

    async def _save(self, dialog: FormDialog[Record],
                    call: Callable[[], Awaitable[Any]]) -> None:
        if await send_form(dialog, call, "save") is FAILED:
            return
        self.notify(f"Saved the {self.spec.noun}", title="Saved", markup=False)
        self.reload()

    # -- export ----------------------------------------------------------------------------
    def start_export(self, kind: str = "") -> None:
        """``e``: the object as one row, to CSV or JSON Lines."""
        from ..dialogs.export import ExportDialog

        if self.record is None:
            self.notify(f"There is no {self.spec.noun} to export here.", markup=False)
            return

        def chosen(request: ExportRequest | None) -> None:
            if request is not None and self.record is not None:
                self.run_export(request, dict(self.record))

        self.app.push_screen(ExportDialog(self.info.id, loaded=1, has_more=False, kind=kind),
                             chosen)

    @work(group="export", exclusive=True, exit_on_error=False)
    async def run_export(self, request: ExportRequest, record: Mapping[str, Any]) -> None:
        from ...frames.export import export_stream

        async def one_page() -> AsyncIterator[Page]:
            yield Page([dict(record)], None, 1)

        result = await export_stream(one_page(), request.path, self.spec.columns,
                                     format=request.format,  # type: ignore[arg-type]
                                     overwrite=request.overwrite, excel=request.excel)
        self.say_export(request.path, result)
