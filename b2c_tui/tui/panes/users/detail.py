"""``UserDetailScreen``: one user, fetched whole, on the kit's detail view: overview,
identities, extension attributes, and the raw JSON.

The users pane gives it the user (:meth:`UserDetailScreen.show_user`) and receives the keys'
intent (edit, reset password, auth methods, delete); everything from the tenant is shown as
text (see :mod:`b2c_tui.tui.kit.detail`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ....frames.extensions import ExtensionAttribute, friendly_name
from ...kit.detail import DetailScreen, fields_table, json_text, show_value
from ...kit.spec import Operation, Section
from ...safe_text import safe

__all__ = ["OVERVIEW", "UserDetailScreen", "json_text", "show_value"]

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



class UserDetailScreen(DetailScreen):
    """The detail view of one user; ``intent(name, screen)`` receives the key actions."""

    binding_prefix: ClassVar[str] = "users.detail"
    operations: ClassVar[tuple[Operation, ...]] = (
        Operation("edit", "E", "Edit", write=True, needs_row=True),
        Operation("reset_password", "p", "Reset password", write=True, needs_row=True),
        Operation("auth_methods", "m", "Auth methods"),
        Operation("delete", "d", "Delete", write=True, needs_row=True),
    )

    def __init__(self, user_id: str, name: str = "", *, read_only: bool = False,
                 intent: Callable[[str, DetailScreen], None] | None = None) -> None:
        self.extensions: list[ExtensionAttribute] = []
        sections = (
            Section("Overview", fields_table(OVERVIEW)),
            Section("Identities", identities_table),
            Section("Extension attributes",
                    lambda record: extensions_table(record, self.extensions)),
        )
        super().__init__("user", user_id, name, sections=sections, read_only=read_only,
                         intent=intent, id="user-detail")

    @property
    def user_id(self) -> str:
        """The user's object id."""
        return self.object_id

    def show_user(self, record: Mapping[str, Any],
                  extensions: Sequence[ExtensionAttribute] = ()) -> None:
        """Show ``record`` (the whole user, from Graph) with the tenant's extensions."""
        self.extensions = list(extensions)
        self.show(record)
