"""``UserDetailScreen``: one user, fetched whole: overview, identities, extension attributes and
the raw JSON.

The screen shows what the users pane gives it (:meth:`UserDetailScreen.show_user`) and posts
intent (edit, reset password, auth methods, delete) through the ``intent`` callback; the pane
does the work. Everything from the tenant is shown as text: names through :func:`safe`, the
JSON through ``json.dumps`` (which escapes control characters) and a JSON highlighter that
never parses markup (Textual's ``highlight``, in the theme's colours).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.highlight import highlight
from textual.screen import ModalScreen
from textual.widgets import Static

from ..dialogs import ExtensionAttribute, friendly_name
from ..keys import WriteGuard
from ..safe_text import safe
from ..widgets.footer import BindingsFooter

#: (label, property) rows of the overview.
OVERVIEW = (
    ("Display name", "displayName"),
    ("Given name", "givenName"),
    ("Surname", "surname"),
    ("User principal name", "userPrincipalName"),
    ("Object id", "id"),
    ("Account enabled", "accountEnabled"),
    ("Creation type", "creationType"),
    ("User type", "userType"),
    ("Created", "createdDateTime"),
    ("Password changed", "lastPasswordChangeDateTime"),
    ("Password policies", "passwordPolicies"),
    ("Email", "mail"),
    ("Other emails", "otherMails"),
)
#: C1 controls and DEL survive ``json.dumps(ensure_ascii=False)``: escape them too.
_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
#: Intents the screen posts to the pane.
INTENTS = ("edit", "reset_password", "auth_methods", "delete")


def show_value(value: Any) -> Text:
    """A property value as safe text (``—`` when empty)."""
    if value is None or value == "" or value == []:
        return Text("—", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, list):
        return Text("; ".join(safe(v) for v in value))
    text = safe(value)
    if len(text) >= 20 and text[10:11] == "T" and text.endswith("Z"):  # an ISO timestamp
        text = text[:19].replace("T", " ") + " UTC"
    return Text(text)


def json_text(record: Mapping[str, Any]) -> str:
    """The record as pretty JSON with every control character escaped."""
    shown = {k: v for k, v in record.items() if not k.startswith("@odata.")}
    return json.dumps(shown, indent=2, ensure_ascii=False, sort_keys=False).translate(_C1)


def overview_table(record: Mapping[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, prop in OVERVIEW:
        grid.add_row(label, show_value(record.get(prop)))
    return grid


def identities_table(record: Mapping[str, Any]) -> RenderableType:
    identities = [i for i in record.get("identities") or [] if isinstance(i, Mapping)]
    if not identities:
        return Text("No identities.", style="dim")
    table = Table(expand=True, show_edge=False, pad_edge=False)
    table.add_column("Sign-in type", no_wrap=True)
    table.add_column("Issuer", overflow="fold", ratio=2)
    table.add_column("Issuer-assigned id", overflow="fold", ratio=3)
    for identity in identities:
        table.add_row(*(show_value(identity.get(k))
                        for k in ("signInType", "issuer", "issuerAssignedId")))
    return table


def extensions_table(record: Mapping[str, Any],
                     extensions: Sequence[ExtensionAttribute]) -> RenderableType:
    """Every known extension attribute (set or not), then any other ``extension_`` value."""
    rows = [(a.name, a.data_type, record.get(a.key)) for a in extensions]
    known = {a.key for a in extensions}
    rows += [(friendly_name(k), "", v) for k, v in record.items()
             if k.startswith("extension_") and k not in known]
    if not rows:
        return Text("No extension attributes in this tenant.", style="dim")
    table = Table(expand=True, show_edge=False, pad_edge=False)
    table.add_column("Attribute", no_wrap=True)
    table.add_column("Type", no_wrap=True, style="dim")
    table.add_column("Value", overflow="fold")
    for name, data_type, value in rows:
        table.add_row(Text(safe(name)), Text(safe(data_type)), show_value(value))
    return table


class UserDetailScreen(WriteGuard, ModalScreen[None]):
    """The detail view of one user; ``intent(name, screen)`` receives the key actions.

    Modal, so that only its own keys apply (the app's ``e`` would export the list behind);
    ``?`` and ``:`` are bound here to the app's actions so that they work as everywhere."""

    write_actions: ClassVar[frozenset[str]] = frozenset({"edit", "reset_password", "delete"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="users.detail.close"),
        Binding("E", "intent('edit')", "Edit", id="users.detail.edit"),
        Binding("p", "intent('reset_password')", "Reset password",
                id="users.detail.reset_password"),
        Binding("m", "intent('auth_methods')", "Auth methods", id="users.detail.auth_methods"),
        Binding("d", "intent('delete')", "Delete", id="users.detail.delete"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
    ]

    def __init__(self, user_id: str, name: str = "", *, read_only: bool = False,
                 intent: Callable[[str, UserDetailScreen], None] | None = None) -> None:
        super().__init__(id="user-detail")
        self.user_id = user_id
        self.name_hint = name
        self.read_only = read_only
        self.intent = intent
        self.record: dict[str, Any] | None = None
        self.extensions: list[ExtensionAttribute] = []
        self.error = ""
        self._ready = False

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="detail-title")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-left"):
                yield Static(Text("Overview", style="bold underline"), classes="detail-head")
                yield Static(Text("Loading…", style="italic"), id="detail-overview")
                yield Static(Text("Identities", style="bold underline"), classes="detail-head")
                yield Static("", id="detail-identities")
                yield Static(Text("Extension attributes", style="bold underline"),
                             classes="detail-head")
                yield Static("", id="detail-extensions")
            with VerticalScroll(id="detail-json"):
                yield Static("", id="detail-raw")
        yield BindingsFooter()

    def _title(self) -> Text:
        name = self.record.get("displayName") if self.record else self.name_hint
        title = Text("User  ")
        title.append(safe(name or self.user_id), style="bold")
        title.append(f" · {safe(self.user_id)}", style="dim")
        if self.record is None and not self.error:
            title.append("  loading…", style="italic")
        return title

    def on_mount(self) -> None:
        self._ready = True
        self._fill()

    def show_user(self, record: Mapping[str, Any],
                  extensions: Sequence[ExtensionAttribute] = ()) -> None:
        """Show ``record`` (the whole user, from Graph)."""
        self.record = dict(record)
        self.extensions = list(extensions)
        self.error = ""
        self._fill()

    def show_error(self, message: str) -> None:
        """The user could not be fetched: say why (Graph's message, as text)."""
        self.error = message
        self._fill()

    def _fill(self) -> None:
        # The answer may arrive before the screen's widgets are mounted: on_mount renders it.
        if not self._ready:
            return
        self.query_one("#detail-title", Static).update(self._title())
        if self.error:
            self.query_one("#detail-overview", Static).update(
                Text(f"Cannot show this user: {safe(self.error)}", style="bold"))
        elif self.record is not None:
            record = self.record
            self.query_one("#detail-overview", Static).update(overview_table(record))
            self.query_one("#detail-identities", Static).update(identities_table(record))
            self.query_one("#detail-extensions", Static).update(
                extensions_table(record, self.extensions))
            self.query_one("#detail-raw", Static).update(
                highlight(json_text(record), language="json"))
        self.refresh_bindings()

    def guard_read_only(self) -> bool:
        return self.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "intent":
            return True
        if self.write_hidden(action, parameters):
            return False
        name = str(parameters[0]) if parameters else ""
        if name == "auth_methods":
            return True
        return self.record is not None or None

    def action_intent(self, name: str) -> None:
        if name in INTENTS and self.intent is not None:
            self.intent(name, self)

    def action_close(self) -> None:
        self.dismiss(None)
