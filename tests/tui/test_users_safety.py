"""Safe by default: read-only mode disables every write (and nothing changes); tenant text such
as ``[red]x[/]`` or an ESC sequence shows literally everywhere."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.dialogs.user_edit import UserEditDialog
from b2c_tui.tui.panes.users.detail import UserDetailScreen
from tests.helpers.kit_panes import loaded_keys
from tests.helpers.pilot import settle
from tests.helpers.users_pane import open_users, put_cursor_on, row_of, screen_text

EVIL = "[red]x[/] \x1b[31mevil"
SHOWN = "[red]x[/] ␛[31mevil"
WRITES = ("create", "edit", "reset_password", "delete", "bulk_delete")


async def test_read_only_disables_writes_and_changes_nothing(make_app, monkeypatch) -> None:
    app = make_app(users=20, read_only=True)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        before = loaded_keys(pane)
        calls: list[str] = []
        users = app.context.client.users
        for name in ("create", "update", "delete", "delete_many"):
            monkeypatch.setattr(users, name, lambda *a, _n=name, **k: calls.append(_n))
        await pilot.press("space")
        await settle(pilot, app)
        for action in WRITES:  # hidden, not just disabled (issue 10)
            assert pane.check_action(action, ()) is False, action
        shown = {b.binding.id: b.enabled for b in app.screen.active_bindings.values()
                 if b.binding.id}
        for binding_id in ("users.create", "users.edit", "users.reset_password",
                           "users.delete", "users.bulk_delete"):
            assert binding_id not in shown, binding_id
        assert shown.get("users.find") is True and shown.get("users.choose_columns") is True
        for key in ("n", "E", "p", "d", "D", "delete"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0], f"{key} opened {app.screen!r}"
        # The detail view opens, but its write keys are disabled too.
        await pilot.press("enter")
        await settle(pilot, app)
        detail = app.screen
        assert isinstance(detail, UserDetailScreen)
        for key in ("E", "p", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is detail
        enabled = {b.binding.id: b.enabled for b in detail.active_bindings.values()}
        assert "users.detail.edit" not in enabled and "users.detail.delete" not in enabled
        assert calls == []
        await pilot.press("escape")
        await settle(pilot, app)
        assert loaded_keys(pane) == before


async def test_tenant_text_is_shown_literally_everywhere(make_app) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        pane = await open_users(pilot, app)
        client = app.context.client
        created = await client.users.create({
            "displayName": EVIL, "passwordPolicies": "DisablePasswordExpiration",
            "identities": [{"signInType": "emailAddress", "issuer": app.context.tenant,
                            "issuerAssignedId": "evil@example.com"}],
            "passwordProfile": {"password": "Passw0rd!!", "forceChangePasswordNextSignIn": False},
        })
        pane.reload()
        await settle(pilot, app)
        user_id = created["id"]
        row = row_of(pane, user_id)
        assert row is not None
        assert SHOWN in pane.table.row_texts(row)
        await put_cursor_on(pilot, app, pane, user_id)
        text = screen_text(app)
        assert SHOWN in text and "\x1b" not in text

        checked: list[str] = []

        def check(where: str) -> None:
            text = screen_text(app)
            assert "[red]x[/]" in text, where
            assert "\x1b" not in text, where
            checked.append(where)

        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, UserDetailScreen)
        check("detail")
        assert "\\u001b[31mevil" in screen_text(app), "the JSON escapes ESC"
        await pilot.press("E")  # E edits in the detail view too (one key map)
        await settle(pilot, app)
        edit = app.screen
        assert isinstance(edit, UserEditDialog)
        check("edit dialog")
        await pilot.press("ctrl+s")  # untouched: the odd name is not rewritten
        await settle(pilot, app)
        assert "Nothing has changed" in str(edit.query_one("#form-error").render())
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        check("confirmation")
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        notes = [n for n in app._notifications if user_id in n.message]
        assert notes and all(not n.markup for n in notes)
        assert "[red]x[/]" in notes[-1].message and "\x1b" not in notes[-1].message
        check("notification")
        assert checked == ["detail", "edit dialog", "confirmation", "notification"]


async def test_form_errors_and_inputs_never_parse_markup(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog: Any = app.screen
        dialog.query_one("#field-sign_in").value = "[bold]x[/]"
        dialog.query_one("#field-display_name").value = "[red]x[/]"
        dialog.query_one("#field-password").value = "Passw0rd!!"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        text = screen_text(app)
        assert "'[bold]x[/]' needs exactly one @" in text
        assert "[red]x[/]" in text
