"""Adding and removing an application's client secrets.

Adding: a form (description, lifetime), ``addPassword``, then :class:`SecretOnceDialog` shows
the value Graph returns this once, with a copy key and the warning that it cannot be shown
again. The value lives only in that dialog: it is not put in the list, the detail view, an
export, the journal or a log (the client registers it with the log redactor too), and the
dialog forgets it when it closes.

Removing: pick the secret (by description, masked hint, expiry and key id), confirm naming it
and its key id, then ``removePassword``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ....graph.errors import B2CTuiError
from ... import kit
from ...dialogs.confirm_delete import ConfirmDeleteDialog
from ...dialogs.form import FormDialog
from ...safe_text import safe
from .credentials import credentials

if TYPE_CHECKING:
    from .pane import ApplicationsPane

LIFETIMES = (("180 days (recommended)", "180"), ("90 days", "90"), ("1 year", "365"),
             ("2 years", "730"))
ADD_FORM = kit.FormSpec(
    "New client secret",
    (kit.FieldSpec("displayName", "Description", max_length=120,
                   placeholder="orders-api production"),
     kit.FieldSpec("days", "Expires in", "choice", choices=LIFETIMES)),
    subtitle="Graph shows the value once, right after it is made.",
    save_label="Add secret", hints=(("enddatetime", "days"), ("displayname", "displayName")))
ONCE = ("Copy it now: this value is shown once. Graph never returns it again and b2c-tui "
        "does not keep it.")
REMOVE_NOTE = "Apps signing in with it stop getting tokens at once; it cannot be restored."


class SecretOnceDialog(ModalScreen[None]):
    """The new secret's value, once: ``c`` copies it; closing (``Esc`` or ``Done``) before it
    was copied asks again, then forgets it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy value", id="secret.copy"),
        Binding("escape", "done", "Done", id="secret.done"),
    ]

    def __init__(self, app_name: str, credential: Mapping[str, Any]) -> None:
        super().__init__(id="secret-once-dialog")
        self._value = str(credential.get("secretText") or "")
        self.app_name = app_name
        self.key_id = str(credential.get("keyId") or "")
        self.description = str(credential.get("displayName") or "")
        self.ends = str(credential.get("endDateTime") or "")[:10]
        self.copied = False
        self._warned = False

    def compose(self) -> ComposeResult:
        title = Text("Client secret added to ")
        title.append(safe(self.app_name), style="bold")
        details = Text()
        for label, value in (("Description", self.description or "—"),
                             ("Key id", self.key_id), ("Expires", self.ends or "never")):
            details.append(f"{label:<12}", style="dim")
            details.append(f"{safe(value)}\n")
        with Vertical(classes="secret-frame"):
            yield Static(title, id="secret-title")
            yield Static(Text(ONCE, style="bold"), id="secret-warning")
            yield Static(Text(safe(self._value)), id="secret-value")
            yield Static(details, id="secret-details")
            yield Static("", id="secret-status")
            with Horizontal(classes="secret-buttons"):
                # A button runs its key's action (Textual's Button(action=...)).
                yield Button("Copy (c)", id="secret-copy", variant="primary", compact=True,
                             action="screen.copy")
                yield Button("Done", id="secret-close", compact=True, action="screen.done")

    def action_copy(self) -> None:
        """Copy the value to the clipboard (through the terminal, OSC 52)."""
        if self._value:
            self.app.copy_to_clipboard(self._value)
            self.copied = True
            self.query_one("#secret-status", Static).update(
                Text("Copied to the clipboard. Done closes.", style="italic"))

    def action_done(self) -> None:
        if not self.copied and not self._warned:
            self._warned = True
            self.query_one("#secret-status", Static).update(Text(
                "Not copied yet: close again and the value is gone for good.", style="bold"))
            return
        self._value = ""  # nothing keeps it once the dialog is gone
        self.query_one("#secret-value", Static).update("")
        self.dismiss(None)


class SecretFlows:
    """The add- and remove-secret workflows of one :class:`ApplicationsPane`."""

    def __init__(self, pane: ApplicationsPane) -> None:
        self.pane = pane

    def add(self, record: Mapping[str, Any]) -> None:
        """``a``: the form, then ``addPassword`` in a worker, then the value once."""
        key, name = str(record["id"]), str(record.get("displayName") or record["id"])

        def submit(dialog: FormDialog[dict[str, Any]], values: dict[str, Any]) -> None:
            self.pane.run_worker(self._add(dialog, key, name, values), name="add secret",
                                 group="kit-write", exit_on_error=False)

        self.pane.app.push_screen(kit.SpecForm(ADD_FORM, submit=submit))

    async def _add(self, dialog: FormDialog[dict[str, Any]], key: str, name: str,
                   values: dict[str, Any]) -> None:
        end = self.pane.context.now() + timedelta(days=int(values.get("days") or 180))
        try:
            added = await self.pane.context.client.applications.add_password(
                key, display_name=values.get("displayName") or None,
                end=end.strftime("%Y-%m-%dT%H:%M:%SZ"))
        except B2CTuiError as exc:
            dialog.fail(exc)
            return
        dialog.finish()
        self.pane.app.push_screen(SecretOnceDialog(name, added))
        self.pane.changed(key)

    def remove(self, record: Mapping[str, Any]) -> None:
        """``X``: choose one of the app's secrets, confirm with its key id, remove it."""
        key, name = str(record["id"]), str(record.get("displayName") or record["id"])
        found = [c for c in credentials(record) if c.kind == "secret"]
        if not found:
            self.pane.notify(f"{safe(name)} has no client secrets.", title="Remove secret",
                             markup=False)
            return
        labels = {c.key_id: safe(f"{c.name or 'unnamed'} · {c.masked_hint or '—'} · "
                                 f"ends {c.end.date() if c.end else 'never'} · {c.key_id[:8]}")
                  for c in found}
        form = kit.FormSpec(f"Remove a client secret of {name}", (kit.FieldSpec(
            "keyId", "Secret", "choice", choices=tuple((v, k) for k, v in labels.items())),),
            save_label="Remove…")

        def chosen(values: dict[str, Any] | None) -> None:
            if values:
                self._confirm(key, labels, str(values["keyId"]))

        self.pane.app.push_screen(kit.SpecForm(form), chosen)

    def _confirm(self, key: str, labels: Mapping[str, str], key_id: str) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.pane.run_worker(self._remove(key, key_id, labels[key_id]),
                                     name="remove secret", group="kit-write",
                                     exit_on_error=False)

        self.pane.app.push_screen(ConfirmDeleteDialog(
            "client secret", [(labels[key_id], key_id)], note=REMOVE_NOTE, verb="Remove"),
            confirmed)

    async def _remove(self, key: str, key_id: str, label: str) -> None:
        try:
            await self.pane.context.client.applications.remove_password(key, key_id)
        except B2CTuiError as exc:
            self.pane.notify(f"{safe(label)}: {safe(str(exc))}", title="Graph refused",
                             severity="error", markup=False, timeout=10)
            return
        self.pane.notify(f"Removed {safe(label)}", title="Client secret removed", markup=False)
        self.pane.changed(key)
