"""The custom policies pane (``:policies``): the tenant's Trust Framework policies as an
inheritance tree, and everything the IEF workbench does with them.

A description over the kit: the rows are the inheritance tree (each policy set under its
root, Base -> Localization -> Extensions -> relying parties; a missing base, a cycle or another
tenant flagged) or, with ``t``, a flat list; ``/`` filters the loaded rows (Graph lists policy
ids only and cannot filter them). ``enter`` opens the policy in the XML viewer (go to
definition and find uses across the chain). The workflows live in :mod:`.reads` (``f`` diff,
``l`` lint) and :mod:`.writes` (``u`` upload with its dry run, ``b`` backups and restore, ``d``
delete, ``p`` download).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

from ....frames.columns import Column
from ... import kit
from ...widgets.table import VirtualTable
from .reads import ReadFlows
from .sources import TenantSource
from .state import ERROR_MARK, TenantPolicies, load_tenant_policies, tree_rows
from .viewer import PolicyViewerScreen
from .writes import WriteFlows


def _problem_tone(text: str) -> str | None:
    return "error" if text.startswith(ERROR_MARK) else None


def _kind_tone(text: str) -> str | None:
    return "muted" if text in ("localization", "extensions") else None


REST = (
    Column("kind", "Kind", width=13),
    Column("problems", "Problems", width=16),
    Column("base", "Base", width=40),
    Column("sizeKb", "KB", kind="number", width=4),
    Column("lastChange", "Last change", kind="datetime", width=16),
    Column("set", "Set", width=24),
)
TREE_COLUMNS = (Column("policy", "Policy (inheritance tree)", width=52), *REST)
LIST_COLUMNS = (Column("policy", "Policy id", width=46), *REST)

POLICIES = kit.PaneSpec(
    noun="policy",
    columns=TREE_COLUMNS,
    filter=kit.Filter(note="Graph lists custom policies by id only and cannot filter them: / "
                           "filters the loaded rows (id, kind, base, set, problems)."),
    actions=(
        kit.Operation("toggle_tree", "t", "Tree/list"),
        kit.Operation("compare", "f", "Diff"),
        kit.Operation("lint", "l", "Lint"),
        kit.Operation("upload", "u", "Upload", write=True),
        kit.Operation("backups", "b", "Backups"),
        kit.Operation("download", "p", "Download"),
        kit.Operation("delete", "d,delete", "Delete", write=True, needs_row=True, key_display="d"),
        kit.Operation("delete_selected", "D,shift+delete", "Delete selected", write=True,
                      key_display="D", show=False),
    ),
    tones={"problems": _problem_tone, "kind": _kind_tone},
)


class PoliciesPane(kit.KitPane):
    """The tenant's custom policies (see the module docs)."""

    spec: ClassVar[kit.PaneSpec] = POLICIES
    binding_prefix: ClassVar[str] = "policies"
    #: leaving the pane cancels its reads too (a compare, a lint, a dry run); writes finish
    hide_cancels: ClassVar[frozenset[str]] = kit.KitPane.hide_cancels | {ReadFlows.read_group}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.tree_mode = True
        #: the tenant's policies once loaded (``None``: loading, or refreshed)
        self.state: TenantPolicies | None = None
        #: the folder last used in a dialog (the next dialog starts there)
        self.last_folder = os.getcwd() + os.sep
        #: the policy the cursor returns to once the rows are back (a toggle, a refresh)
        self.pending_focus: str | None = None
        super().__init__(*args, **kwargs)
        self.reads = ReadFlows(self)
        self.writes = WriteFlows(self)

    # -- rows ------------------------------------------------------------------------------
    def columns(self) -> Sequence[Column]:
        return TREE_COLUMNS if self.tree_mode else LIST_COLUMNS

    async def all_rows(self) -> list[dict[str, Any]]:
        if self.state is None:
            self.state = await load_tenant_policies(self.context.client, self.context.tenant)
        return tree_rows(self.state, tree=self.tree_mode)

    def reload(self) -> None:
        """``r``: read the tenant's policies again (the cursor stays on its policy)."""
        self._keep_cursor()
        self.state = None
        super().reload()

    def rebuild(self) -> None:
        """Show the loaded policies again (another layout), without reading them again."""
        self._keep_cursor()
        super().reload()

    def _keep_cursor(self) -> None:
        record = self.current_record() if self.is_mounted else None
        if record is not None:
            self.pending_focus = str(record["id"])

    def page_loaded(self, items: list[dict[str, Any]]) -> None:
        super().page_loaded(items)
        key, self.pending_focus = self.pending_focus, None
        table = self.table
        row = next((r for r in range(table.row_count) if table.row_key(r) == key), None)
        if row is not None:
            table.move_cursor(row=row)

    def status_note(self) -> str:
        state = self.state
        if state is None or self.filter_text:
            return super().status_note()
        graph = state.index.graph
        problems = len({p.policy_id.lower() for p in graph.problems}) + len(state.errors)
        note = (f"{len(graph)} policies in {len(graph.sets())} set(s) on {state.tenant}"
                + (f" · {ERROR_MARK} {problems} with problems" if problems else ""))
        return f"{note} · {state.audit_note}" if state.audit_note else note

    # -- keys ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = super().check_action(action, parameters)
        if state is True and action == "delete_selected" and not self.table.selected_count:
            return None
        return state

    def on_virtual_table_row_activated(self, event: VirtualTable.RowActivated) -> None:
        event.stop()
        event.prevent_default()  # the kit's detail view: a policy opens in the viewer
        self.open_policy(event.key)

    def open_policy(self, policy_id: str, line: int = 1, column: int = 1
                    ) -> PolicyViewerScreen | None:
        """The policy in the XML viewer (go to definition, find uses, copy, ``$EDITOR``)."""
        if self.state is None:
            return None
        screen = PolicyViewerScreen(TenantSource(self.state), policy_id, line=line,
                                    column=column, on_edited=self.reads.edited)
        self.app.push_screen(screen)
        return screen

    def action_toggle_tree(self) -> None:
        self.tree_mode = not self.tree_mode
        self.rebuild()

    def action_compare(self) -> None:
        self.reads.compare()

    def action_lint(self) -> None:
        self.reads.lint()

    def action_upload(self) -> None:
        self.writes.upload()

    def action_backups(self) -> None:
        self.writes.backups()

    def action_download(self) -> None:
        self.writes.download(self.table.selected_keys())

    def action_delete(self) -> None:
        record = self.current_record()
        if record is not None:
            self.writes.delete([str(record["id"])])

    def action_delete_selected(self) -> None:
        self.writes.delete(self.table.selected_keys())
