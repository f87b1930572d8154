"""More of issue 16 on the users pane: extension attributes edited in place by their data
type, dialog edits and password resets journaled (the reset said plainly to be beyond undo),
and switching tenant with pending edits asks first."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from b2c_tui.tui.dialogs.confirm import ConfirmDialog
from b2c_tui.tui.dialogs.password_reset import PasswordResetDialog
from b2c_tui.tui.dialogs.user_edit import UserEditDialog
from b2c_tui.tui.kit.cell_editor import CellEditor
from b2c_tui.tui.screens.journal import JournalScreen
from tests.helpers.inline import edit_cell, journal, painted, user_values
from tests.helpers.pilot import settle
from tests.helpers.users_pane import (
    first_users,
    local_sign_in,
    open_users,
    put_cursor_on,
    screen_text,
)

SIZE = (200, 40)


async def until_asked(pilot: Any, app: Any) -> None:
    for _ in range(200):
        if isinstance(app.screen, ConfirmDialog):
            return
        await pilot.pause()
    raise AssertionError("no question was asked")


async def test_extension_attributes_are_edited_by_their_data_type(make_app) -> None:
    app = make_app(users=30)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        await app.context.client.user_flow_attributes.create(
            {"displayName": "shoeSize", "dataType": "int64"})
        app.context.extensions = None  # rediscovered, as the attributes pane leaves it
        by_name = {a.name: a.key for a in await pane.extension_attributes()}
        loyalty, consent, size = (by_name[n] for n in ("loyaltyNumber", "marketingConsent",
                                                       "shoeSize"))
        pane.set_columns(["displayName", loyalty, consent, size])
        await settle(pilot, app)
        user = (await first_users(app, 1))[0]["id"]
        before = await user_values(app, user, consent)
        await edit_cell(pilot, app, pane, user, loyalty, "LN-0042")
        await edit_cell(pilot, app, pane, user, consent)  # a boolean toggles
        await edit_cell(pilot, app, pane, user, size, "forty")
        assert isinstance(app.screen, CellEditor)
        assert "shoeSize is a whole number." in screen_text(app)
        app.screen.query_one("#cell-input", Input).value = "42"
        await pilot.press("enter")
        await settle(pilot, app)
        row = await painted(pilot, app, pane, user)
        assert "✎ LN-0042" in row and "✎ 42" in row
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        after = await user_values(app, user, loyalty, consent, size)
        assert after[loyalty] == "LN-0042" and after[size] == 42
        assert after[consent] is (not before[consent])
        row = await painted(pilot, app, pane, user)
        assert "LN-0042" in row and "42" in row and "✎" not in row
        [entry] = journal(app)
        assert entry.new == {loyalty: "LN-0042", consent: not before[consent], size: 42}


async def test_dialog_edits_and_password_resets_are_journaled(make_app) -> None:
    app = make_app(users=30)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        user = next(u for u in await first_users(app, 30) if local_sign_in(u))
        await put_cursor_on(pilot, app, pane, user["id"])
        before = await user_values(app, user["id"], "givenName")
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        dialog.query_one("#field-given_name", Input).value = "Journaled"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        reset = app.screen
        assert isinstance(reset, PasswordResetDialog)
        await pilot.click("#password-generate")
        await settle(pilot, app)
        password = reset.query_one("#field-password", Input).value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        edit, reset_entry = journal(app)
        assert (edit.op, edit.state, edit.new, edit.old) == (
            "update", "done", {"givenName": "Journaled"}, {"givenName": before["givenName"]})
        assert reset_entry.state == "done" and "passwordProfile" in reset_entry.new
        text = app.context.connection.journal().path.read_text()
        assert password not in text
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        assert "Cannot be undone: the journal never keeps passwords or secrets." in \
            screen_text(app)  # the newest entry, the reset, is under the cursor
        await pilot.press("u")
        await settle(pilot, app)
        assert any("password reset cannot be undone" in str(n.message).lower()
                   for n in app._notifications)
        await pilot.press("down", "u")  # the name edit can be
        await settle(pilot, app)
        assert (await user_values(app, user["id"], "givenName")) == before


async def test_switching_tenant_with_pending_edits_asks_first(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        key = pane.table.row_key(0)
        await edit_cell(pilot, app, pane, key, "displayName", "Not Sent Yet")
        before: Any = app.context.connection
        # (no settle while the question is open: the switch's worker waits for the answer)
        await app.run_action("switch_profile('')")
        await until_asked(pilot, app)
        assert "Switch tenant with 1 pending edit?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.context.connection is before and len(pane.inline.pending) == 1
        await app.run_action("switch_profile('')")
        await until_asked(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.context.connection is not before
        assert app.pending_edits() == 0
