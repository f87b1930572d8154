"""The policies pane's workflows that change something: upload (dry run first), restore a
backup, delete policies, download policies into a folder.

Each change to the tenant is confirmed in a dialog that names what changes, and the domain
backs up what it overwrites or deletes before the first write (:mod:`b2c_tui.policies.push`).
Read-only tenants never get here: the keys are hidden and refused (the domain refuses too,
before anything is sent).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text

from ....graph.errors import ValidationError
from ....policies.backups import Backup
from ....policies.plan import Action, UploadPlan, plan_push
from ....policies.pull import pull
from ....policies.push import delete_policies, execute_push, restore
from ...dialogs.confirm import ConfirmDialog
from ...dialogs.confirm_delete import ConfirmDeleteDialog
from ...dialogs.form import FormDialog
from ...safe_text import safe
from .backups_screen import BackupsScreen
from .flows import Flows, say_error
from .forms import DownloadDialog, DownloadRequest, UploadDialog, UploadRequest
from .upload_screen import UploadScreen, plan_counts, result_text

#: policies listed by name in a confirmation before "… and N more"
LISTED = 12


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" … and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


class WriteFlows(Flows):
    """Upload, restore, delete, download."""

    # -- upload ----------------------------------------------------------------------------
    def upload(self) -> None:
        """``u``: which folder, prefix and settings; then the dry run."""

        def submit(dialog: FormDialog[UploadRequest], request: UploadRequest) -> None:
            self.run(self._plan(dialog, request), "dry run")

        self.pane.app.push_screen(UploadDialog(self.pane.last_folder, self.settings_hint(),
                                               submit=submit))

    def upload_file(self, path: Path) -> None:
        """The dry run of one file (the editor's copy), then the same upload screen."""
        self.run(self._plan(None, UploadRequest(path)), "dry run")

    async def _plan(self, dialog: FormDialog[UploadRequest] | None,
                    request: UploadRequest) -> None:
        try:
            context = await self.tenant()
            settings = await asyncio.to_thread(self.settings, request.settings)
            plan = await plan_push(self.client, request.folder, context, settings=settings,
                                   prefix=request.prefix, force_all=request.force_all)
            counts = await asyncio.to_thread(plan_counts, plan)
        except Exception as exc:
            if dialog is None:
                self.say(say_error(exc), "Dry run failed", error=True)
            else:
                dialog.fail(ValidationError(say_error(exc), field="folder"))
            return
        if dialog is not None:
            self.pane.last_folder = str(request.folder)
            dialog.finish()
        self.pane.app.push_screen(UploadScreen(plan, read_only=self.read_only,
                                               upload=self._confirm_upload, counts=counts))

    def _confirm_upload(self, screen: UploadScreen) -> None:
        plan = screen.plan
        sending = plan.to_send
        overwrites = [i.policy_id for i in sending if i.action is not Action.NEW]
        body = Text()
        body.append(f"{len(sending)} polic{'y' if len(sending) == 1 else 'ies'}, bases first: ")
        body.append(safe(_listed([i.policy_id for i in sending])), style="bold")
        body.append("\n\n")
        if overwrites:
            body.append(f"{len(overwrites)} overwrite the tenant's copy; each is saved to a "
                        "local backup first (b restores it). ")
        body.append("On a failure the upload stops there and says what was uploaded.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                screen.started()
                self.run(self._push(screen, plan), "upload policies", write=True)

        self.pane.app.push_screen(
            ConfirmDialog(f"Upload to {plan.tenant}?", body, confirm="Upload"), confirmed)

    async def _push(self, screen: UploadScreen, plan: UploadPlan) -> None:
        try:
            context = await self.tenant()
            result = await execute_push(self.client, plan, self.journal(context),
                                        progress=screen.progress)
        except Exception as exc:
            screen.finished(None, say_error(exc))
            return
        screen.finished(result)
        self.pane.reload()

    # -- backups and restore ---------------------------------------------------------------
    def backups(self) -> None:
        """``b``: this tenant's backups; ``R`` restores one, ``f`` compares it."""
        self.run(self._backups(), "list backups")

    async def _backups(self) -> None:
        try:
            context = await self.tenant()
            backups = await asyncio.to_thread(self.journal(context).list)
        except Exception as exc:
            self.say(say_error(exc), "Cannot list the backups", error=True)
            return
        self.pane.app.push_screen(BackupsScreen(backups, context.domain,
                                                read_only=self.read_only,
                                                intent=self._backup_intent))

    def _backup_intent(self, name: str, backup: Backup, screen: BackupsScreen) -> None:
        if name == "compare":
            self.run(self.pane.reads.compare_backup(backup), "compare backup")
        elif name == "restore":
            self._confirm_restore(backup, screen)

    def _confirm_restore(self, backup: Backup, screen: BackupsScreen) -> None:
        ids = backup.saved_ids()
        body = Text()
        body.append(f"Put back the tenant's copy of {len(ids)} polic"
                    f"{'y' if len(ids) == 1 else 'ies'} as saved by the {backup.operation} "
                    f"of {safe(backup.created)}: ")
        body.append(safe(_listed(ids)), style="bold")
        body.append("\n\nWhat they overwrite is backed up first (a restore backup); policies "
                    "the tenant already holds identically are skipped. Bases first.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                screen.set_status(f"Restoring {backup.name}…", busy=True)
                self.run(self._restore(backup, screen), "restore policies", write=True)

        self.pane.app.push_screen(
            ConfirmDialog(f"Restore {backup.name}?", body, confirm="Restore"), confirmed)

    async def _restore(self, backup: Backup, screen: BackupsScreen) -> None:
        def progress(policy_id: str, done: int, total: int) -> None:
            screen.set_status(f"Restoring… {done}/{total} ({safe(policy_id)})", busy=True)

        try:
            context = await self.tenant()
            journal = self.journal(context)
            result = await restore(self.client, journal, backup, progress=progress)
            screen.set_backups(await asyncio.to_thread(journal.list))
        except Exception as exc:
            screen.set_status(Text(f"✗ {say_error(exc)}", style="bold"), error=True)
            return
        text = result_text(result)
        if result.skipped:
            text.append(f"\nAlready identical (skipped): {safe(_listed(result.skipped))}",
                        style="dim")
        screen.set_status(text, error=not result.ok)
        self.pane.reload()

    # -- delete ----------------------------------------------------------------------------
    def delete(self, policy_ids: list[str]) -> None:
        """``d``/``D``: confirm naming each policy and what inherits from it, then delete
        (each backed up first; derived policies go before their bases)."""
        state = self.state
        if state is None or not policy_ids:
            return
        graph = state.index.graph
        chosen = {p.lower() for p in policy_ids}
        dependents = list(dict.fromkeys(
            d.policy_id for pid in policy_ids for d in graph.descendants(pid)
            if d.key not in chosen))
        note = ("Each is saved to a local backup first (b restores it). ")
        if dependents:
            note = (f"Inherits from it and stops working until it is back: "
                    f"{_listed(dependents)}.\n\n") + note
        else:
            note = "Nothing inherits from it. " + note

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run(self._delete(policy_ids), "delete policies", write=True)

        self.pane.app.push_screen(ConfirmDeleteDialog(
            "policy", [(pid, pid) for pid in policy_ids], note=note), confirmed)

    async def _delete(self, policy_ids: list[str]) -> None:
        try:
            context = await self.tenant()
            result = await delete_policies(self.client, self.journal(context), policy_ids)
        except Exception as exc:
            self.say(say_error(exc), "Nothing was deleted", error=True)
            return
        backup = f" Backup: {result.backup.name}." if result.backup is not None else ""
        self.say(safe(result.summary()) + backup,
                 "Policies deleted" if result.ok else "Delete stopped", error=not result.ok)
        self.pane.reload()

    # -- download --------------------------------------------------------------------------
    def download(self, selected: list[str]) -> None:
        """``p``: download every policy (or the selection) into a folder."""

        def submit(dialog: FormDialog[DownloadRequest], request: DownloadRequest) -> None:
            self.run(self._download(dialog, request), "download policies", write=True)

        self.pane.app.push_screen(DownloadDialog(self.pane.last_folder, selected,
                                                 submit=submit))

    async def _download(self, dialog: FormDialog[DownloadRequest],
                        request: DownloadRequest) -> None:
        try:
            result = await pull(self.client, request.folder, request.policy_ids,
                                overwrite=request.overwrite)
        except Exception as exc:
            dialog.fail(ValidationError(say_error(exc), field="folder"))
            return
        self.pane.last_folder = str(request.folder)
        dialog.finish()
        self.say(f"{len(result.written)} written, {len(result.unchanged)} already up to date "
                 f"in {safe(result.folder)}", "Downloaded")
