"""SVG snapshots of the authentication methods pane and the add-phone dialog.

Deterministic: the seeded demo tenant with a fixed clock (conftest), theme b2c-dark, 120x36,
workers waited for, and the input cursor not blinking. Update with ``--snapshot-update`` after
looking at the result.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.messages import UserRef
from tests.helpers.pilot import settle

from .test_auth_methods import find_user

SIZE = (120, 36)


async def show_user_with_every_kind(pilot: Any) -> None:
    """The first user with two phones (one stored without the space) and an OATH method, given
    an email method too, shown as the users pane's ``m`` leaves it."""
    app: B2CApp = pilot.app
    await settle(pilot, app)
    user_id = await find_user(app, lambda m: len(m["phone"]) >= 2 and bool(m["oath"]) and any(
        " " not in p["phoneNumber"] for p in m["phone"]))
    await app.context.client.auth_methods.add_email_method(user_id, "owner@example.com")
    app.open_pane("auth-methods", UserRef(user_id))
    await settle(pilot, app)
    app.pane("auth-methods").table.focus()  # type: ignore[union-attr]
    await settle(pilot, app)


def test_pane_snapshot(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show_user_with_every_kind)


def test_add_phone_dialog_with_validation_message_snapshot(snap_compare: Any,
                                                           make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await show_user_with_every_kind(pilot)
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press(*"+447911123456", "enter")
        await settle(pilot, app)
        for field in app.screen.query(Input):
            field.cursor_blink = False

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
