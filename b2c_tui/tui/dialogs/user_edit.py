"""``UserEditDialog``: names, enabled, extension attributes and sign-in names of a user.

The result is a PATCH body holding only what changed. Fields start from the user's values made
safe to show (control characters visible), and a field counts as changed only when its text
differs from what it started with, so an untouched name with odd characters is never rewritten.
Identities are sent as the whole collection, as Graph requires: the kept ones (federated and
``userPrincipalName`` identities are read-only and always kept) plus at most one new email or
user name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select, Static

from ...frames.extensions import ExtensionAttribute, format_attribute, parse_attribute
from ...graph.validation import validate_email, validate_username
from ..safe_text import safe
from ..widgets.safe_input import SafeInput
from .form import FORM, Checks, FormDialog, FormField

NEW_IDENTITY_TYPES = (("Email address", "emailAddress"), ("User name", "userName"))
_HELP = {
    "dateTime": "A date and time (ISO 8601), e.g. 2026-11-01T09:30:00Z.",
    "stringCollection": "Several values, separated by commas.",
    "int64": "A whole number.",
}


def is_local_identity(identity: Mapping[str, Any]) -> bool:
    """An email/user-name sign-in (custom policies may use ``emailAddress1``...)."""
    kind = str(identity.get("signInType") or "").lower()
    return kind == "username" or kind.startswith("emailaddress")


def extension_field(attribute: ExtensionAttribute, value: Any) -> FormField:
    """The form field for one extension attribute, typed by its ``dataType``."""
    text = format_attribute(value, attribute.data_type)
    if attribute.data_type == "boolean":
        return FormField(attribute.key, attribute.name, "choice", text,
                         choices=(("(not set)", ""), ("true", "true"), ("false", "false")))
    kind = "integer" if attribute.data_type == "int64" else "text"
    return FormField(attribute.key, attribute.name, kind, text,
                     help=_HELP.get(attribute.data_type, ""))


class UserEditDialog(FormDialog[dict[str, Any]]):
    """Edits one user; the result is the PATCH body of what changed."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "displayName": "display_name",
        "givenName": "given_name",
        "accountEnabled": "account_enabled",
        "issuerAssignedId": "identities",
        "email": "identities",
    }
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("identities", "identities"),
        ("issuerassignedid", "identities"),
        ("signinnames", "identities"),
        ("already exists", "identities"),
        ("local account identity", "identities"),
        ("displayname", "display_name"),
        ("givenname", "given_name"),
        ("surname", "surname"),
        ("accountenabled", "account_enabled"),
    )

    def __init__(self, user: Mapping[str, Any], extensions: Sequence[ExtensionAttribute],
                 tenant_domain: str, *,
                 submit: Callable[[FormDialog[dict[str, Any]], dict[str, Any]], None]
                 | None = None) -> None:
        self.user = dict(user)
        self.extensions = list(extensions)
        self.tenant_domain = tenant_domain
        self.identities = [dict(i) for i in user.get("identities") or []
                           if isinstance(i, Mapping)]
        fields = [
            FormField("display_name", "Display name", value=user.get("displayName") or ""),
            FormField("given_name", "Given name", value=user.get("givenName") or ""),
            FormField("surname", "Surname", value=user.get("surname") or ""),
            FormField("account_enabled", "Account", "bool",
                      user.get("accountEnabled") is not False, placeholder="Enabled"),
            *(extension_field(a, user.get(a.key)) for a in self.extensions),
        ]
        title = Text("Edit user ")
        title.append(safe(user.get("displayName") or user.get("id")), style="bold")
        subtitle = Text(f"Object id {safe(user.get('id'))} · only changed fields are sent")
        super().__init__(title, fields, subtitle=subtitle, submit=submit, id="user-edit")
        self.initial = {f.name: (safe(f.value) if isinstance(f.value, str) else f.value)
                        for f in fields}

    def graph_hints(self) -> Iterable[tuple[str, str]]:
        return [*((a.key.lower(), a.key) for a in self.extensions), *self.GRAPH_HINTS]

    # -- identities ------------------------------------------------------------------------
    def compose_extra(self) -> ComposeResult:
        yield Static(Text("Sign-in names", style="bold"), classes="identities-title")
        for index, identity in enumerate(self.identities):
            text = Text(f"{safe(identity.get('signInType')):<18}")
            text.append(safe(identity.get("issuerAssignedId")))
            if str(identity.get("signInType")).lower() == "federated":
                text.append(f"  {safe(identity.get('issuer'))}", style="dim")
            control = (Checkbox(Text("Remove"), id=f"identity-remove-{index}", compact=True)
                       if is_local_identity(identity)
                       else Static(Text("read-only", style="italic"), classes="identity-ro"))
            yield Horizontal(Static(text, classes="identity-text"), control,
                             classes="identity-row")
        yield Horizontal(
            Label(Text("Add sign-in name"), classes="form-label"),
            Select([(Text(label), value) for label, value in NEW_IDENTITY_TYPES],
                   value="emailAddress", allow_blank=False, id="identity-add-type",
                   compact=True),
            SafeInput("", placeholder="new email or user name", id="field-identities",
                  compact=True),
            classes="identity-add",
        )
        yield Label("", id="error-identities", classes="form-error")

    def _identity_patch(self, checks: Checks) -> list[dict[str, Any]] | None:
        removed = {n for n, identity in enumerate(self.identities)
                   if is_local_identity(identity)
                   and self.query_one(f"#identity-remove-{n}", Checkbox).value}
        kept = [i for n, i in enumerate(self.identities) if n not in removed]
        new_value = self.query_one("#field-identities", Input).value.strip()
        if new_value:
            kind = self.query_one("#identity-add-type", Select).value
            check = validate_username if kind == "userName" else validate_email
            value = checks.run(check, new_value)
            if value is None:
                return None
            if any(str(i.get("issuerAssignedId", "")).lower() == value.lower() for i in kept):
                checks.errors["identities"] = "This user already signs in with that name."
                return None
            kept.append({"signInType": kind, "issuer": self.tenant_domain,
                         "issuerAssignedId": value})
        if not removed and not new_value:
            return None
        if not any(str(i.get("signInType")).lower() != "userprincipalname" for i in kept):
            checks.errors["identities"] = ("A user needs at least one sign-in name: add one "
                                           "before removing the last.")
            return None
        return kept

    # -- result ----------------------------------------------------------------------------
    def changed(self, values: Mapping[str, Any], name: str) -> bool:
        return bool(values.get(name) != self.initial.get(name))

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        checks = Checks()
        patch: dict[str, Any] = {}
        if self.changed(values, "display_name"):
            name = str(values["display_name"]).strip()
            if not name or len(name) > 256:
                checks.errors["display_name"] = "A display name (1-256 characters) is required."
            patch["displayName"] = name
        for field, prop in (("given_name", "givenName"), ("surname", "surname")):
            if self.changed(values, field):
                patch[prop] = str(values[field]).strip() or None
        if self.changed(values, "account_enabled"):
            patch["accountEnabled"] = bool(values["account_enabled"])
        for attribute in self.extensions:
            if self.changed(values, attribute.key):
                patch[attribute.key] = checks.run(
                    parse_attribute, str(values.get(attribute.key) or ""), attribute)
        identities = self._identity_patch(checks)
        if identities is not None:
            patch["identities"] = identities
        checks.done()
        if not patch:
            checks.errors[FORM] = "Nothing has changed."
            checks.done()
        return patch
