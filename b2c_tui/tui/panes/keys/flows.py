"""The keys pane's workflows: a new keyset with its first key, a key added, a guided rotation,
deleting a keyset, key health.

Each opens a dialog or screen with plain values and runs the Graph work in a worker of the
pane. The domain checks Graph's rules before anything is sent
(:func:`~b2c_tui.policies.key_material.plan_add_key`: the ``B2C_1A_`` prefix, RSA and oct
never mixed in one keyset, a certificate or PFX opened locally first) and keeps the
create-then-add order (:func:`~b2c_tui.policies.key_material.add_key`: an empty keyset it
created for a refused key is deleted again). A refusal, the domain's or Graph's, shows in the
dialog beside the field it concerns, with what was typed kept.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from ....graph.errors import B2CTuiError, GraphError, ValidationError
from ....policies.key_material import (
    KeyMaterialError,
    KeySpec,
    add_key,
    plan_add_key,
    rotation_plan,
)
from ....policies.keys import HealthProblem, keyset_references, load_key_report, policies_text
from ....policies.tenant import fetch_policies
from ...dialogs.confirm_delete import ConfirmDeleteDialog
from ...dialogs.form import FormDialog
from ...kit.workflows import PaneWorkflows
from ...safe_text import safe
from .forms import KeyDialog, RotationDialog
from .health import MISSING, KeyHealthScreen

if TYPE_CHECKING:
    from .pane import KeysPane

log = logging.getLogger(__name__)

READ_GROUP = "keys-read"
WRITE_GROUP = "keys-write"
Submit = tuple[str, KeySpec]


def _field_error(exc: BaseException) -> BaseException:
    """A domain refusal as an error the dialog places beside its field (a file, a password);
    Graph's own errors go as they are (the dialog matches its hints)."""
    if isinstance(exc, (ValidationError, GraphError)):
        return exc
    if isinstance(exc, KeyMaterialError):
        text = str(exc).lower()
        field = "password" if "password" in text else "path" if (
            "certificate" in text or "pfx" in text or "file" in text) else "kind"
        return ValidationError(str(exc), field=field)
    if isinstance(exc, B2CTuiError):
        return ValidationError(str(exc))
    log.error("key workflow failed: %s", type(exc).__name__, exc_info=exc)
    return ValidationError(f"Unexpected error ({type(exc).__name__}); see the log file.")


class KeyFlows(PaneWorkflows):
    """Orchestrates the key workflows for one :class:`KeysPane`."""

    pane: KeysPane
    read_group: ClassVar[str] = READ_GROUP
    write_group: ClassVar[str] = WRITE_GROUP

    # -- adding keys -----------------------------------------------------------------------
    def new_keyset(self, keyset: str = "") -> None:
        """``n``: a keyset, created empty, then its first key (as Graph requires)."""
        self.pane.app.push_screen(KeyDialog(keyset, submit=self._submit))

    def add_key(self, keyset: str) -> None:
        """``a``: another key in ``keyset`` (same kind as its keys: the domain checks)."""
        report = self.pane.report
        keys = next((k.get("keys") or [] for k in report.keysets
                     if k.get("id") == keyset), []) if report else []
        kind = "generate:OCT" if any(str(k.get("kty")).lower() == "oct" for k in keys) \
            else "generate:RSA"
        self.pane.app.push_screen(KeyDialog(keyset, existing=True, kind=kind,
                                            submit=self._submit))

    def _submit(self, dialog: FormDialog[Submit], value: Submit) -> None:
        self.run(self._add(dialog, *value), "add key", write=True)

    async def _add(self, dialog: FormDialog[Submit], keyset: str, spec: KeySpec) -> None:
        try:
            # The keysets as they are now (another admin may have added one meanwhile).
            keysets = await self.client.keysets.list(prefetch=False).collect()
            # In a thread: it reads and opens a certificate or PFX (PKCS#12 key derivation).
            plan = await asyncio.to_thread(plan_add_key, keysets, keyset, spec,
                                           now=self.pane.context.now())
            result = await add_key(self.client, plan)
        except Exception as exc:
            dialog.fail(_field_error(exc))
            return
        dialog.finish()
        what = "Created keyset " if result.created else "Added a key to "
        self.say(f"{what}{safe(result.keyset_id)}: key {safe(result.key.get('kid') or '?')}",
                  "Policy key")
        self.pane.pending_focus = result.keyset_id
        self.pane.reload()

    # -- rotation --------------------------------------------------------------------------
    def rotate(self, keyset: str) -> None:
        """``R``: stage a successor key with a future ``nbf``, after explaining it."""
        report = self.pane.report
        record = next((k for k in report.keysets if k.get("id") == keyset), None) \
            if report else None
        if record is None:
            return
        plan = rotation_plan(record, now=self.pane.context.now())
        self.pane.app.push_screen(RotationDialog(plan, submit=self._submit))

    # -- delete ----------------------------------------------------------------------------
    def delete(self, keyset: str, detail: Any = None) -> None:
        """``d``: confirm, naming the policies that reference the keyset, then delete."""
        self.run(self._confirm_delete(keyset, detail), "keyset references")

    async def _confirm_delete(self, keyset: str, detail: Any) -> None:
        try:
            policies, _errors = await fetch_policies(self.client)
        except B2CTuiError as exc:
            self.say(safe(str(exc)), "Cannot read the policies that use it", error=True)
            return
        refs = {k.lower(): v for k, v in keyset_references(policies).items()}
        users = refs.get(keyset.lower(), [])
        lost = "Graph never gives back a key's private part: the keys cannot be restored."
        note = (f"Used by {policies_text(users)}: sign-ins through them fail once it is gone. "
                if users else "No policy refers to it. ") + lost

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run(self._delete(keyset, detail), "delete keyset", write=True)

        self.pane.app.push_screen(ConfirmDeleteDialog("keyset", [(keyset, keyset)], note=note),
                                  confirmed)

    async def _delete(self, keyset: str, detail: Any) -> None:
        try:
            await self.client.keysets.delete(keyset)
        except B2CTuiError as exc:
            self.say(f"{safe(keyset)}: {safe(str(exc))}", "Graph refused the delete",
                      error=True)
            return
        self.say(f"Deleted keyset {safe(keyset)}", "Keyset deleted")
        if detail is not None and detail.is_attached:
            detail.dismiss(None)
        self.pane.reload()

    # -- health ----------------------------------------------------------------------------
    def health(self) -> None:
        """``h``: the key-health findings, with the policies read for missing and unused
        keysets."""
        self.pane.notify("Reading the keysets and the policies that use them…", timeout=3)
        self.run(self._health(), "key health")

    async def _health(self) -> None:
        try:
            policies, _errors = await fetch_policies(self.client)
            report = await load_key_report(self.client, now=self.pane.context.now(),
                                           policies=policies)
        except B2CTuiError as exc:
            self.say(safe(str(exc)), "Cannot check key health", error=True)
            return
        self.pane.app.push_screen(KeyHealthScreen(
            report.problems, self.pane.context.tenant, keysets=len(report.keysets),
            read_only=self.pane.context.read_only, intent=self._health_intent))

    def _health_intent(self, name: str, problem: HealthProblem) -> None:
        if name == "open" and problem.rule == MISSING:
            if self.pane.context.read_only:
                self.say(f"{safe(problem.keyset_id)} is missing; the tenant is open "
                          "read-only, so it cannot be created here.", "Read-only")
            else:
                self.new_keyset(problem.keyset_id)
        elif name == "open":
            self.pane.select_keyset(problem.keyset_id)
        elif name == "rotate":
            self.pane.select_keyset(problem.keyset_id)
            self.rotate(problem.keyset_id)
