"""The policies pane's read workflows: compare (diff), lint, and the viewer on what they found.

Nothing here changes the tenant. A diff compares the tenant with a local folder (as it would be
uploaded: prefix and settings applied), with a backup, or a backup with a folder; a lint reads a
folder in the tenant's context (its ids, bases and keysets) or lints the tenant's own policies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ....graph.errors import ValidationError
from ....policies.diff import PolicyDiff, compare
from ....policies.diff import diff_sets as _diff_sets
from ....policies.index import PolicyIndex
from ....policies.lint import Finding
from ....policies.plan import lint_folder
from ....policies.tenant import fetch_documents
from ...dialogs.form import FormDialog
from .diff_screen import PolicyDiffScreen
from .flows import Flows, say_error
from .forms import CompareDialog, CompareRequest, LintDialog, LintRequest
from .lint_screen import LintScreen
from .sources import FolderSource, TenantSource
from .state import lint_tenant
from .viewer import PolicyViewerScreen

if TYPE_CHECKING:
    from ....policies.backups import Backup
    from ....policies.plan import PreparedFolder


def diff_sets(left: dict[str, str], right: dict[str, str], *, left_label: str,
              right_label: str) -> list[PolicyDiff]:
    """The domain's set diff with every line diff computed (call it in a thread: the screens
    show each policy's counts, and a 1 MB policy's diff takes tens of milliseconds)."""
    diffs = _diff_sets(left, right, left_label=left_label, right_label=right_label)
    for diff in diffs:
        _ = diff.counts
    return diffs


class ReadFlows(Flows):
    """Compare, lint, and the viewer on their results."""

    # -- compare ---------------------------------------------------------------------------
    def compare(self, backup: str = "") -> None:
        """``f``: the tenant against a folder or a backup (asked in a dialog)."""

        def submit(dialog: FormDialog[CompareRequest], request: CompareRequest) -> None:
            self.run(self._compare(dialog, request), "compare policies")

        self.run(self._ask_compare(backup, submit), "list backups")

    async def _ask_compare(self, backup: str, submit: Callable[
            [FormDialog[CompareRequest], CompareRequest], None]) -> None:
        context = await self.tenant()
        backups = await asyncio.to_thread(self.journal(context).list)
        self.pane.app.push_screen(CompareDialog(self.pane.last_folder,
                                                [b.name for b in backups], backup,
                                                submit=submit))

    async def _compare(self, dialog: FormDialog[CompareRequest], request: CompareRequest
                       ) -> None:
        try:
            diffs, title = await self._diffs(request)
        except Exception as exc:
            dialog.fail(ValidationError(say_error(exc),
                                        field="folder" if request.folder else "backup"))
            return
        if request.folder is not None:
            self.pane.last_folder = str(request.folder)
        dialog.finish()
        self.pane.app.push_screen(PolicyDiffScreen(diffs, title))

    async def _diffs(self, request: CompareRequest) -> tuple[list[PolicyDiff], str]:
        """What the CLI's ``policies diff`` compares, for the same request."""
        context = await self.tenant()
        backup = await asyncio.to_thread(self.journal(context).find, request.backup) \
            if request.backup else None
        local: dict[str, str] = {}
        if request.folder is not None:
            prepared = await lint_folder(None, request.folder, context,
                                         settings=await asyncio.to_thread(self.settings, None))
            local = {p.policy_id: p.text for p in prepared.effective}
            if not local:
                raise ValidationError(f"{request.folder}: no policy there could be read.")
        if backup is not None:
            saved = await asyncio.to_thread(backup.documents)
            if request.folder is not None:  # the backup against the folder
                return (await asyncio.to_thread(diff_sets, saved, local,
                                                left_label=f"backup:{backup.name}",
                                                right_label="local"),
                        f"Backup {backup.name} ↔ {request.folder}")
            other, label, where = saved, f"backup:{backup.name}", f"backup {backup.name}"
        else:
            other, label, where = local, "local", str(request.folder)
        # Only the policies the other side has: a folder is usually one set of many.
        tenant = await self._tenant_documents(list(other))
        return (await asyncio.to_thread(diff_sets, tenant, other, left_label="tenant",
                                        right_label=label),
                f"Tenant {context.domain} ↔ {where}")

    async def _tenant_documents(self, policy_ids: list[str]) -> dict[str, str]:
        """The tenant's current copies of these policies (the ones it has)."""
        return await fetch_documents(self.client, policy_ids, missing_ok=True)

    async def compare_backup(self, backup: Backup) -> None:
        """The tenant against one backup (from the backups screen)."""
        try:
            saved = await asyncio.to_thread(backup.documents)
            tenant = await self._tenant_documents(list(saved))
            diffs = await asyncio.to_thread(diff_sets, tenant, saved, left_label="tenant",
                                            right_label=f"backup:{backup.name}")
        except Exception as exc:
            self.say(say_error(exc), "Cannot compare", error=True)
            return
        context = await self.tenant()
        self.pane.app.push_screen(PolicyDiffScreen(
            diffs, f"Tenant {context.domain} ↔ backup {backup.name}"))

    # -- the editor's copy -----------------------------------------------------------------
    def edited(self, policy_id: str, path: Path) -> None:
        """The editor left a changed copy: show its diff with the tenant's, and offer the
        dry run (``U``) that would upload it. Nothing is sent from here."""
        self.run(self._edited(policy_id, path), "diff edited copy")

    async def _edited(self, policy_id: str, path: Path) -> None:
        try:
            text = await asyncio.to_thread(path.read_text, encoding="utf-8")
            current = (await self._tenant_documents([policy_id])).get(policy_id)
        except Exception as exc:
            self.say(say_error(exc), "Cannot compare the edited copy", error=True)
            return
        diff = compare(policy_id, current, text, left_label="tenant", right_label="edited")
        await asyncio.to_thread(lambda: diff.counts)  # computed off the loop, cached
        self.pane.app.push_screen(PolicyDiffScreen(
            [diff], f"Your edited copy of {policy_id} ({path})",
            upload=None if self.read_only else lambda: self.pane.writes.upload_file(path),
            read_only=self.read_only))

    # -- lint ------------------------------------------------------------------------------
    def lint(self) -> None:
        """``l``: lint a folder (as it would be uploaded) or the tenant's own policies."""

        def submit(dialog: FormDialog[LintRequest], request: LintRequest) -> None:
            self.run(self._lint(dialog, request), "lint policies")

        self.pane.app.push_screen(LintDialog(self.pane.last_folder, self.settings_hint(),
                                             submit=submit))

    async def _lint(self, dialog: FormDialog[LintRequest], request: LintRequest) -> None:
        try:
            if request.folder is None:
                screen = await self._lint_tenant()
            else:
                screen = await self._lint_folder(request)
        except Exception as exc:
            dialog.fail(ValidationError(say_error(exc), field="folder"))
            return
        dialog.finish()
        self.pane.app.push_screen(screen)

    async def _lint_tenant(self) -> LintScreen:
        state = self.state
        if state is None:
            raise ValidationError("The tenant's policies are still loading; try again.")
        findings = await lint_tenant(self.client, state)
        source = TenantSource(state)

        def open_finding(finding: Finding) -> None:
            self._open(source, finding.policy_id or finding.file.removeprefix("tenant:"),
                       finding)

        return LintScreen(findings, f"Lint of the tenant's policies ({state.tenant})",
                          len(state.index.policies) + len(state.errors), open_finding)

    async def _lint_folder(self, request: LintRequest) -> LintScreen:
        assert request.folder is not None
        context = await self.tenant()
        settings = await asyncio.to_thread(self.settings, request.settings)
        prepared = await lint_folder(self.client, request.folder, context, settings=settings,
                                     prefix=request.prefix)
        self.pane.last_folder = str(request.folder)
        source = await asyncio.to_thread(self._folder_source, prepared)

        def open_finding(finding: Finding) -> None:
            target = finding.policy_id if finding.policy_id and source.index.get(
                finding.policy_id) is not None else finding.file
            self._open(source, target, finding)

        return LintScreen(prepared.findings, f"Lint of {request.folder}",
                          len(prepared.local.files), open_finding)

    def _folder_source(self, prepared: PreparedFolder) -> FolderSource:
        """The folder's files for the viewer (as they are on disk), with the tenant's
        policies the folder does not have, so a definition in a base opens too."""
        local = prepared.local
        keys = {p.key for p in local.policies}
        extra = [p for p in self.state.index.policies if p.key not in keys] if self.state \
            else []
        unparsed = {}
        for error in local.errors:
            try:
                unparsed[error.source] = Path(error.source).read_bytes().decode(
                    "utf-8", errors="replace")
            except OSError:
                continue
        index = PolicyIndex([*local.policies, *extra], tenant=prepared.settings.lookup("Tenant"))
        return FolderSource(index, str(local.root), unparsed)

    def _open(self, source: TenantSource | FolderSource, target: str,
              finding: Finding) -> None:
        if source.text_of(target) is None:
            self.say(f"{target}: nothing to show (the file could not be read).", "Lint",
                     error=True)
            return
        self.pane.app.push_screen(PolicyViewerScreen(source, target, line=finding.line or 1,
                                                     column=finding.column or 1))
