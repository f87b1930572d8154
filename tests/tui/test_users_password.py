"""Resetting a password: typed or generated (shown once in the dialog), PATCH passwordProfile."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Label

from b2c_tui.graph.validation import validate_password
from b2c_tui.tui.dialogs.password_reset import PasswordResetDialog, generate_password
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.users_pane import first_users, local_sign_in, open_users, put_cursor_on

from .test_users_edit import spy_update


def test_generated_passwords_are_strong_and_differ() -> None:
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert validate_password(password) == password and len(password) == 16


async def test_reset_password_patches_password_profile(make_app, monkeypatch) -> None:
    app = make_app(users=30)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        user = next(u for u in await first_users(app, 30) if local_sign_in(u))
        await put_cursor_on(pilot, app, pane, user["id"])
        calls = spy_update(app, monkeypatch)
        await pilot.press("p")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PasswordResetDialog)
        assert user["displayName"] in str(dialog.query_one("#form-title").render())
        field = dialog.query_one("#field-password", Input)
        assert field.password, "the password is masked"
        field.value = "weak"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert calls == [] and dialog.query_one("#error-password", Label).has_class("-shown")
        await pilot.click("#password-generate")
        await settle(pilot, app)
        generated = field.value
        assert validate_password(generated) == generated
        assert generated in str(dialog.query_one("#password-generated").render())
        dialog.query_one("#field-force_change", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, PasswordResetDialog)
        assert calls == [(user["id"], {"passwordProfile": {
            "password": generated, "forceChangePasswordNextSignIn": True}})]
        now = await app.context.client.users.get(
            user["id"], select=["lastPasswordChangeDateTime"])
        assert now["lastPasswordChangeDateTime"].startswith(FIXED_NOW.strftime("%Y-%m-%dT%H:%M"))
        # The password is never repeated in a notification.
        assert all(generated not in n.message for n in app._notifications)


async def test_graph_refusal_shows_beside_the_password(make_app, monkeypatch) -> None:
    from b2c_tui.graph.errors import BadRequestError

    app = make_app(users=5)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)

        async def refuse(user_id: str, patch: Any) -> None:
            raise BadRequestError("The specified password does not comply with password "
                                  "complexity requirements.", status=400,
                                  code="Request_BadRequest")

        monkeypatch.setattr(app.context.client.users, "update", refuse)
        await pilot.press("p")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PasswordResetDialog)
        dialog.query_one("#field-password", Input).value = "Str0ng-enough"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "complexity" in str(dialog.query_one("#error-password", Label).render())
        assert dialog.query_one("#field-password", Input).value == "Str0ng-enough"
