"""The user detail view: opens on enter for the row under the cursor, shows the whole user."""

from __future__ import annotations

from b2c_tui.tui.panes.users.detail import UserDetailScreen, json_text
from tests.helpers.pilot import settle
from tests.helpers.users_pane import first_users, open_users, put_cursor_on, screen_text


async def _user_with_loyalty(app) -> tuple[dict, str]:
    pane = app.pane("users")
    extensions = await pane.extension_attributes()
    key = next(a.key for a in extensions if a.name == "loyaltyNumber")
    users = await first_users(app, 40, select=(key,))
    user = next(u for u in users if u.get(key) and u.get("creationType") == "LocalAccount")
    return user, key


async def test_enter_opens_the_row_under_the_cursor(make_app) -> None:
    app = make_app(users=60)
    async with app.run_test(size=(200, 50)) as pilot:
        pane = await open_users(pilot, app)
        user, key = await _user_with_loyalty(app)
        await put_cursor_on(pilot, app, pane, user["id"])
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, UserDetailScreen)
        assert screen.user_id == user["id"]
        assert screen.record is not None and screen.record["id"] == user["id"]
        text = screen_text(app)
        assert user["displayName"] in text
        for identity in user["identities"]:
            assert identity["signInType"] in text
            assert identity["issuerAssignedId"] in text
        # Extension attributes under their friendly names, with the value.
        assert "loyaltyNumber" in text and "Lieblingsfarbe" in text
        assert user[key] in text
        assert "extension_" not in text.split("Extension attributes")[1].split("{")[0]
        # Raw JSON on the right.
        assert f'"id": "{user["id"]}"' in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserDetailScreen)


async def test_detail_fetches_the_full_select_once_extensions_are_known(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(200, 50)) as pilot:
        pane = await open_users(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, UserDetailScreen)
        record = screen.record or {}
        for prop in ("identities", "creationType", "passwordPolicies", "userType",
                     "lastPasswordChangeDateTime", "otherMails"):
            assert prop in record
        # Discovered once per connection and cached in the context.
        assert app.context.extensions is not None
        assert app.context.extension_app_id
        assert {a.name for a in pane.known_extensions} >= {"loyaltyNumber", "membershipTier",
                                                           "marketingConsent"}


async def test_row_actions_need_a_row(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        for action in ("edit", "delete", "reset_password", "auth_methods"):
            assert pane.check_action(action, ()) is True
        pane.apply_filter("zzzz-nobody-has-this-name")
        await settle(pilot, app)
        assert pane.table.row_count == 0
        for action in ("edit", "delete", "reset_password", "auth_methods"):
            assert pane.check_action(action, ()) is None
        assert pane.check_action("create", ()) is True
        for key in ("enter", "E", "p", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]


def test_detail_bindings_have_ids() -> None:
    ids = {getattr(b, "id", None) for b in UserDetailScreen.BINDINGS}
    assert ids >= {"detail.close", "users.detail.edit", "users.detail.reset_password",
                   "users.detail.auth_methods", "users.detail.delete"}


def test_json_escapes_every_control_character() -> None:
    text = json_text({"displayName": "a\x1bb\x9bc\x7fd\x07", "@odata.context": "x"})
    assert "\x1b" not in text and "\x9b" not in text and "\x7f" not in text
    assert "\\u001b" in text and "\\u009b" in text
    assert "@odata.context" not in text


async def test_m_in_the_detail_view_opens_the_users_auth_methods(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        pane.table.move_cursor(row=4)
        await settle(pilot, app)
        user_id = pane.current_user_id()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, UserDetailScreen)
        await pilot.press("m")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserDetailScreen)
        assert app.current_pane == "auth-methods"
        assert app.pane("auth-methods").user_id == user_id  # type: ignore[union-attr]
