"""The keys pane's dialogs: a new keyset with its first key, a key added to a keyset, and the
guided rotation. Values in, ``(keyset id, KeySpec)`` out; Graph's rules are the domain's
(:func:`~b2c_tui.policies.key_material.plan_add_key`), checked by the pane before anything is
sent, with the refusal shown beside the field it concerns.

Secrets (a secret's value, a PFX password) are typed into masked fields, travel only inside
:class:`~b2c_tui.graph.resources.keysets.Secret` wrappers and are never kept once the dialog
closes: nothing here writes them anywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from ....graph.errors import ValidationError
from ....graph.resources.keysets import Secret
from ....graph.validation import normalize_keyset_id
from ....policies.key_material import KeySpec, RotationPlan
from ...dialogs.form import Checks, FormDialog, FormField
from ...dialogs.paths import PathFormDialog, existing_path
from ...safe_text import safe

KINDS = (
    ("Generate an RSA key", "generate:RSA"),
    ("Generate a secret (oct)", "generate:OCT"),
    ("Upload a secret", "secret"),
    ("Upload a certificate (.cer)", "certificate"),
    ("Upload a PKCS#12 (.pfx) with its password", "pkcs12"),
)
USES = (("sig: signature", "sig"), ("enc: encryption", "enc"))
#: the fields each kind of key needs (the others are hidden)
KIND_FIELDS = {
    "generate:RSA": {"use", "nbf", "exp"},
    "generate:OCT": {"use", "nbf", "exp"},
    "secret": {"use", "nbf", "exp", "secret"},
    "certificate": {"path", "allow_future"},
    "pkcs12": {"path", "password", "allow_future"},
}
OPTIONAL = {"use", "nbf", "exp", "secret", "path", "password", "allow_future"}
_WHEN = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?\s*(?:Z|UTC)?", re.I)


def parse_when(value: Any, field: str, label: str) -> datetime | None:
    """``2027-01-31`` or ``2027-01-31 12:00`` (UTC) as a datetime; empty: ``None``."""
    text = str(value or "").strip()
    if not text:
        return None
    match = _WHEN.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        day = datetime.strptime(match.group(1), "%Y-%m-%d").replace(tzinfo=UTC)
        if match.group(2):
            day = day.replace(hour=int(match.group(2)), minute=int(match.group(3)))
    except ValueError:
        raise ValidationError(f"{label}: use a date like 2027-01-31 or 2027-01-31 12:00 (UTC).",
                              field=field) from None
    return day


def _when_text(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else ""


class KeyDialog(PathFormDialog[tuple[str, KeySpec]]):
    """``n`` (a new keyset with its first key) or ``a`` (a key for ``keyset``)."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = {"path": (".cer", ".crt", ".pem",
                                                                  ".pfx", ".p12")}
    FIELD_ALIASES: ClassVar[dict[str, str]] = {"k": "secret", "kty": "kind", "id": "keyset",
                                               "file": "path"}
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("password", "password"), ("certificate", "path"), ("pkcs", "path"), ("pfx", "path"),
        ("secret", "secret"), ("already exists", "keyset"), ("keyset", "keyset"),
        ("nbf", "nbf"), ("exp", "exp"), ("use", "use"))
    save_label: ClassVar[str] = "Add key"

    def __init__(self, keyset: str = "", *, existing: bool = False, kind: str = "generate:RSA",
                 **kwargs: Any) -> None:
        self.existing = existing
        fields = [
            FormField("keyset", "Keyset", value=keyset, read_only=existing,
                      placeholder="B2C_1A_MyApiKey",
                      help="" if existing else "B2C_1A_ is added when missing. Created empty "
                           "first, then the key is added (removed again if the key is refused)."),
            FormField("kind", "Key", "choice", kind, choices=KINDS),
            FormField("use", "Use", "choice", "sig", choices=USES),
            FormField("nbf", "Not before", placeholder="2027-01-31 (UTC; empty: now)"),
            FormField("exp", "Expires", placeholder="2028-01-31 (UTC; empty: never)"),
            FormField("secret", "Secret", "password",
                      help="The value the other side (an identity provider, an API) issued. "
                           "Masked; never shown or kept."),
            FormField("path", "File", help="The certificate or PKCS#12 file. → completes."),
            FormField("password", "PFX password", "password",
                      help="Opens the file here first (a wrong password is said now, nothing "
                           "sent). Masked; never kept."),
            FormField("allow_future", "Future", "bool", False,
                      placeholder="a certificate not valid yet is OK (staged for rotation)"),
        ]
        title = f"Add a key to {keyset}" if existing else "New keyset"
        super().__init__(title, fields, subtitle="B2C does not mix RSA keys and secrets in "
                         "one keyset; Graph's rules are checked before anything is sent.",
                         **kwargs)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_fields(str(self.query_one("#field-kind", Select).value))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "field-kind":
            self._show_fields(str(event.value))

    def _show_fields(self, kind: str) -> None:
        wanted = KIND_FIELDS.get(kind, set())
        for name in OPTIONAL:
            self.query_one(f"#row-{name}").display = name in wanted

    def build(self, values: dict[str, Any]) -> tuple[str, KeySpec]:
        checks = Checks()
        kind = str(values.get("kind") or "generate:RSA")
        keyset = str(values.get("keyset") or "").strip()
        if not keyset:
            checks.errors["keyset"] = "The keyset id is required."
        elif not self.existing:
            keyset = checks.run(_keyset_id, keyset) or keyset
        nbf = checks.run(parse_when, values.get("nbf"), "nbf", "Not before")
        exp = checks.run(parse_when, values.get("exp"), "exp", "Expires")
        spec = KeySpec(kind.partition(":")[0], use=str(values.get("use") or "sig"),
                       kty=kind.partition(":")[2] or "RSA", nbf=nbf, exp=exp,
                       allow_future=bool(values.get("allow_future")))
        if kind == "secret":
            if not values.get("secret"):
                checks.errors["secret"] = "The secret is required."
            spec.secret = Secret(str(values.get("secret") or ""))
        if kind in ("certificate", "pkcs12"):
            spec.path = checks.run(existing_path, str(values.get("path") or ""), "The file",
                                   field="path", folder=False)
            if kind == "pkcs12":
                if not values.get("password"):
                    checks.errors["password"] = "The PFX file's password is required."
                spec.password = Secret(str(values.get("password") or ""))
        checks.done()
        return keyset, spec


def _keyset_id(value: str) -> str:
    try:
        return normalize_keyset_id(value)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="keyset") from None


class RotationDialog(FormDialog[tuple[str, KeySpec]]):
    """``R``: stage a successor key with a future start, after saying what will happen."""

    save_label: ClassVar[str] = "Add the new key"

    def __init__(self, plan: RotationPlan, **kwargs: Any) -> None:
        self.plan = plan
        spec = plan.spec
        super().__init__(f"Rotate {plan.keyset_id}", [
            FormField("nbf", "Activates", value=_when_text(spec.nbf),
                      help="UTC. B2C switches to the new key at this moment."),
            FormField("exp", "Expires", value=_when_text(spec.exp), help="UTC."),
        ], subtitle=f"A new {spec.kty} {spec.use} key, generated by B2C.", **kwargs)

    def compose_extra(self) -> ComposeResult:
        current = self.plan.current_kid or "none"
        text = Text(f"Active key now: {safe(current)}", style="bold")
        if self.plan.current_exp is not None:
            text.append(f" (expires {self.plan.current_exp:%Y-%m-%d})")
        text.append("\n\n" + "\n\n".join(safe(line) for line in
                                         self.plan.explanation.split("\n")))
        yield Static(text, id="rotation-explanation")

    def build(self, values: dict[str, Any]) -> tuple[str, KeySpec]:
        checks = Checks()
        nbf = checks.run(parse_when, values.get("nbf"), "nbf", "Activates")
        exp = checks.run(parse_when, values.get("exp"), "exp", "Expires")
        if nbf is None and "nbf" not in checks.errors:
            checks.errors["nbf"] = "A rotation key starts in the future: give its start."
        checks.done()
        spec = self.plan.spec
        return self.plan.keyset_id, KeySpec("generate", use=spec.use, kty=spec.kty, nbf=nbf,
                                            exp=exp)
