"""Conditional access (``:ca``): the policies, or Microsoft's templates (``t``), with their
state and conditions in words; ``E`` changes a policy's name and state (on, off,
report-only), ``n`` creates one from a template, ``d`` deletes one (a hard delete).

Graph allows one conditional access request a second and answers more with 429 *without*
Retry-After: the client backs off on its own and the status line shows each retry, so
paging or refreshing quickly only waits. Graph filters policies by name prefix and state;
templates (a handful) are filtered in the loaded rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual import work

from ....frames.columns import Column
from ....graph.client import GraphClient
from ....graph.errors import B2CTuiError
from ....graph.paging import PageIterator
from ....graph.query import format_literal
from ... import kit
from ...dialogs.form import FormDialog
from ...kit.pane import LocalFilterPages
from .columns import POLICY_COLUMNS, POLICY_SECTIONS, TEMPLATE_COLUMNS, TEMPLATE_SECTIONS
from .summary import STATE_CHOICES
from .templates import policy_body, template_form

STATE_WORDS = {"on": "enabled", "enabled": "enabled", "off": "disabled", "disabled": "disabled",
               "report-only": "enabledForReportingButNotEnforced",
               "report": "enabledForReportingButNotEnforced"}
POLICY_NOTE = "name prefix, or on / off / report-only, then Enter (Graph filters)"
TEMPLATE_NOTE = "Graph lists a few templates: / filters the loaded rows."
IS_TEMPLATE = "A template: n creates a policy from it; t shows the policies."
DELETE_NOTE = "A hard delete: conditional access policies do not go to Deleted items."


def list_policies(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    """The policies, or those whose name starts with ``text`` or in the state it names."""
    api = client.conditional_access
    if not text:
        return api.list_policies(select=select)
    state = STATE_WORDS.get(text.strip().lower())
    where = (f"state eq {format_literal(state)}" if state
             else f"startswith(displayName,{format_literal(text)})")
    return api.list_policies({"$filter": where}, select=select)


EDIT = kit.Edit(
    kit.FormSpec("Edit conditional access policy", (
        kit.FieldSpec("displayName", "Name", required=True, max_length=256),
        kit.FieldSpec("state", "State", "choice", choices=STATE_CHOICES,
                      help="Report-only logs what it would do without enforcing it.")),
        hints=(("displayname", "displayName"), ("state", "state"))),
    send=lambda client, key, patch: client.conditional_access.update_policy(key, patch))

CONDITIONAL_ACCESS = kit.PaneSpec(
    noun="policy",
    columns=POLICY_COLUMNS,
    list=list_policies,
    filter=kit.Filter(server=True, note=POLICY_NOTE),
    get=lambda client, key: client.conditional_access.get_policy(key),
    sections=POLICY_SECTIONS,
    edit=EDIT,
    delete=kit.Delete(lambda client, key: client.conditional_access.delete_policy(key),
                      note=DELETE_NOTE),
    actions=(
        kit.Operation("create", "n", "New from template", write=True),
        kit.Operation("templates", "t", "Policies/templates"),
    ),
    object_kind="conditionalAccessPolicy",
    collection_path="/identity/conditionalAccess/policies",
)


class ConditionalAccessPane(kit.KitPane):
    """Conditional access policies and templates."""

    spec: ClassVar[kit.PaneSpec] = CONDITIONAL_ACCESS
    binding_prefix: ClassVar[str] = "ca"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.showing_templates = False
        self.templates: list[dict[str, Any]] | None = None
        super().__init__(*args, **kwargs)

    # -- policies or templates -----------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        return TEMPLATE_COLUMNS if self.showing_templates else POLICY_COLUMNS

    def sections(self) -> Sequence[kit.Section]:
        return TEMPLATE_SECTIONS if self.showing_templates else POLICY_SECTIONS

    def pages(self) -> PageIterator:
        if not self.showing_templates:
            return super().pages()
        pages = self.context.client.conditional_access.list_templates()
        if not self.filter_text:
            return pages
        return LocalFilterPages(pages, self.filter_text, self.columns())  # type: ignore[return-value]

    def describe_filter(self) -> str:
        if self.showing_templates and self.filter_text:
            return f"filter (loaded rows): {self.filter_text}"
        return super().describe_filter()

    @property
    def filter_hint(self) -> str:
        return TEMPLATE_NOTE if self.showing_templates else POLICY_NOTE

    def empty_message(self) -> str:
        if self.showing_templates and not self.filter_text and not self.last_error:
            return "Graph lists no conditional access templates."
        return super().empty_message()

    def page_loaded(self, items: list[dict[str, Any]]) -> None:
        super().page_loaded(items)
        if self.showing_templates:
            self.templates = [*(self.templates or []), *items]

    def reload(self) -> None:
        if self.showing_templates:
            self.templates = []
        super().reload()

    def action_templates(self) -> None:
        """``t``: switch between the policies and the templates."""
        self.showing_templates = not self.showing_templates
        self.filter_text = ""
        self.reload()

    async def fetch_record(self, key: str) -> dict[str, Any]:
        if self.showing_templates:
            return self.records[key]
        return await super().fetch_record(key)

    def refusal(self, action: str, record: Mapping[str, Any] | None) -> str | None:
        if self.showing_templates and record is not None and action in ("edit", "delete"):
            return IS_TEMPLATE
        return super().refusal(action, record)

    # -- create from a template ------------------------------------------------------------
    def action_create(self) -> None:
        if not self.context.read_only:
            chosen = self.current_record() if self.showing_templates else None
            self._open_create(str(chosen["id"]) if chosen else None)

    @work(group="kit-write", exclusive=True, exit_on_error=False)
    async def _open_create(self, chosen: str | None) -> None:
        templates = self.templates
        if not templates:
            try:
                templates = await self.context.client.conditional_access.list_templates(
                ).collect()
            except B2CTuiError as exc:
                self.notify(str(exc), title="Cannot list the templates", severity="error",
                            markup=False, timeout=10)
                return
            self.templates = templates
        if not templates:
            self.notify("Graph lists no templates to start from.", title="New policy",
                        markup=False)
            return

        def submit(dialog: FormDialog[dict[str, Any]], values: dict[str, Any]) -> None:
            body = policy_body(values)
            create = self.context.client.conditional_access.create_policy
            self._run(self._send(dialog, lambda: create(body), "Created", body),
                      "create policy")

        self.app.push_screen(kit.SpecForm(template_form(templates, chosen), submit=submit))

    def after_write(self) -> None:
        if self.showing_templates:  # a policy was made from a template: show the policies
            self.showing_templates = False
            self.filter_text = ""

