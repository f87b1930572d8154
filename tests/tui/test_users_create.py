"""Creating a consumer user: success (the row appears), Graph refusing (the dialog stays open
with what was typed and Graph's message beside the field), and validation (no request)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label, Select

from b2c_tui.tui.dialogs.user_create import UserCreateDialog
from tests.helpers.pilot import settle
from tests.helpers.users_pane import fill, first_users, local_sign_in, open_users, row_of

PASSWORD = "Correct-Horse-9"


def error_of(dialog: UserCreateDialog, field: str) -> str:
    label = dialog.query_one(f"#error-{field}", Label)
    return str(label.render()) if label.has_class("-shown") else ""


def spy_create(app: Any, monkeypatch: Any) -> list[dict[str, Any]]:
    """Record every body sent to ``users.create`` (and still send it)."""
    users = app.context.client.users
    real = users.create
    calls: list[dict[str, Any]] = []

    async def create(body: dict[str, Any]) -> dict[str, Any]:
        calls.append(body)
        return await real(body)

    monkeypatch.setattr(users, "create", create)
    return calls


async def test_create_adds_the_user_and_shows_its_row(make_app, monkeypatch) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        calls = spy_create(app, monkeypatch)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserCreateDialog)
        fill(dialog, {"sign_in": "new.user@example.com", "display_name": "Nova User",
                      "given_name": "Nova", "surname": "User", "password": PASSWORD})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserCreateDialog)
        assert len(calls) == 1
        body = calls[0]
        assert body["identities"][0] == {"signInType": "emailAddress",
                                         "issuer": app.context.tenant,
                                         "issuerAssignedId": "new.user@example.com"}
        assert body["passwordPolicies"] == "DisablePasswordExpiration"
        found = await app.context.client.users.find_by_sign_in_name(
            app.context.tenant, "new.user@example.com", select=["id", "displayName"])
        assert [u["displayName"] for u in found] == ["Nova User"]
        new_id = found[0]["id"]
        row = row_of(pane, new_id)
        assert row is not None, "the new user's row is in the table"
        assert pane.table.cursor_row == row
        assert any("Nova User" in n.message for n in app._notifications)


async def test_create_with_a_user_name(make_app) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserCreateDialog)
        dialog.query_one("#field-sign_in_type", Select).value = "username"
        fill(dialog, {"sign_in": "nova_user", "display_name": "Nova", "password": PASSWORD})
        await pilot.click("#form-save")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserCreateDialog)
        found = await app.context.client.users.find_by_sign_in_name(
            app.context.tenant, "nova_user", select=["identities"])
        assert found and found[0]["identities"][0]["signInType"] == "userName"


async def test_graph_refusal_keeps_the_dialog_and_what_was_typed(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        taken = next(s for s in map(local_sign_in, await first_users(app, 40)) if s and "@" in s)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserCreateDialog)
        typed = {"sign_in": taken, "display_name": "Copy Cat", "given_name": "Copy",
                 "surname": "Cat", "password": PASSWORD}
        fill(dialog, typed)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog, "the dialog stays open"
        assert not dialog.saving
        for name, value in typed.items():
            assert dialog.query_one(f"#field-{name}", Input).value == value
        assert "already exists" in error_of(dialog, "sign_in")
        assert "400" in str(dialog.query_one("#form-error").render())
        # Fix the field and save again: the same dialog succeeds.
        fill(dialog, {"sign_in": "copy.cat@example.com"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserCreateDialog)


async def test_create_never_asks_graph_to_force_a_password_change(make_app,
                                                                  monkeypatch) -> None:
    # Issue 10: the dialog no longer offers it (Graph refuses it for local accounts).
    app = make_app(users=5)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        calls = spy_create(app, monkeypatch)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserCreateDialog)
        assert not dialog.query("#field-force_change")
        fill(dialog, {"sign_in": "force@example.com", "display_name": "Forced",
                      "password": PASSWORD})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserCreateDialog)
        assert calls[0]["passwordProfile"]["forceChangePasswordNextSignIn"] is False


async def test_validation_fails_before_any_request(make_app, monkeypatch) -> None:
    app = make_app(users=5)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        calls = spy_create(app, monkeypatch)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserCreateDialog)
        fill(dialog, {"sign_in": "not an email", "display_name": "", "password": "short"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog and calls == []
        assert "space" in error_of(dialog, "sign_in")
        assert "display name" in error_of(dialog, "display_name")
        assert "8 to 64" in error_of(dialog, "password")
        assert dialog.query_one("#field-sign_in", Input).value == "not an email"
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserCreateDialog) and calls == []
