"""Helpers shared by the users-pane Pilot tests."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import Input

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.panes.users import UsersPane
from tests.helpers.pilot import settle

EXT_PREFIX = "extension_"


async def open_users(pilot: Any, app: B2CApp) -> UsersPane:
    """The users pane, loaded, with the table focused (keys go to the pane)."""
    await settle(pilot, app)
    pane = app.pane("users")
    assert isinstance(pane, UsersPane)
    pane.table.focus()
    await settle(pilot, app)
    return pane


def row_of(pane: UsersPane, key: str) -> int | None:
    """The display row of ``key`` in the table, if loaded."""
    table = pane.table
    return next((r for r in range(table.row_count) if table.row_key(r) == key), None)


async def put_cursor_on(pilot: Any, app: B2CApp, pane: UsersPane, key: str) -> None:
    row = row_of(pane, key)
    assert row is not None, f"{key} is not loaded"
    pane.table.move_cursor(row=row)
    await settle(pilot, app)


def screen_text(app: App[Any], screen: Screen[Any] | None = None) -> str:
    """Everything a screen shows, as text (what the terminal would receive, minus styles)."""
    target = screen or app.screen
    strips = target._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def fill(screen: Screen[Any], values: dict[str, str]) -> None:
    """Type ``values`` into a form's inputs (``#field-<name>``)."""
    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value


def no_blink(screen: Screen[Any]) -> None:
    """Snapshots must not depend on the cursor blink phase."""
    for widget in screen.query(Input):
        widget.cursor_blink = False


async def first_users(app: B2CApp, count: int, *, select: tuple[str, ...] = ()
                      ) -> list[dict[str, Any]]:
    """The first users Graph lists (same order as the table)."""
    client = app.context.client
    props = ["id", "displayName", "identities", "creationType", *select]
    return await client.users.list(select=props, top=count, prefetch=False).collect(count)


def local_sign_in(user: dict[str, Any]) -> str | None:
    """The user's email/user-name sign-in, if any."""
    for identity in user.get("identities") or []:
        kind = str(identity.get("signInType")).lower()
        if kind == "username" or kind.startswith("emailaddress"):
            return str(identity["issuerAssignedId"])
    return None


async def load_next_page(pilot: Any, app: B2CApp, pane: UsersPane) -> None:
    """Scroll to the end and back: the table asks for the next Graph page (the pane loads one
    page to start with)."""
    pane.table.focus()
    await pilot.press("end")
    await settle(pilot, app)
    await pilot.press("home")
    await settle(pilot, app)
