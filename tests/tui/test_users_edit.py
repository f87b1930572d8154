"""Editing a user (``E`` on the table, ``e`` in the detail view): only changed fields are sent;
a Graph refusal keeps the dialog open with the input."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Label, Select

from b2c_tui.tui.dialogs.user_edit import UserEditDialog
from b2c_tui.tui.panes.users.detail import UserDetailScreen
from tests.helpers.pilot import settle
from tests.helpers.users_pane import first_users, local_sign_in, open_users, put_cursor_on


def spy_update(app: Any, monkeypatch: Any) -> list[tuple[str, dict[str, Any]]]:
    users = app.context.client.users
    real = users.update
    calls: list[tuple[str, dict[str, Any]]] = []

    async def update(user_id: str, patch: dict[str, Any]) -> None:
        calls.append((user_id, patch))
        await real(user_id, patch)

    monkeypatch.setattr(users, "update", update)
    return calls


async def local_users(app: Any, count: int = 40) -> list[dict[str, Any]]:
    return [u for u in await first_users(app, count) if local_sign_in(u)]


async def test_edit_sends_only_what_changed(make_app, monkeypatch) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        user = (await local_users(app))[0]
        await put_cursor_on(pilot, app, pane, user["id"])
        calls = spy_update(app, monkeypatch)
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        assert dialog.query_one("#field-display_name", Input).value == user["displayName"]
        tier = next(a for a in pane.known_extensions if a.name == "membershipTier")
        consent = next(a for a in pane.known_extensions if a.name == "marketingConsent")
        dialog.query_one("#field-display_name", Input).value = "Renamed Person"
        dialog.query_one(f"#field-{tier.key}", Input).value = "Platinum"
        dialog.query_one(f"#field-{consent.key}", Select).value = "true"
        dialog.query_one("#field-account_enabled", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserEditDialog)
        assert calls == [(user["id"], {"displayName": "Renamed Person", tier.key: "Platinum",
                                       consent.key: True, "accountEnabled": False})]
        now = await app.context.client.users.get(
            user["id"], select=["displayName", "accountEnabled", tier.key, consent.key])
        assert now["displayName"] == "Renamed Person" and now["accountEnabled"] is False
        assert now[tier.key] == "Platinum" and now[consent.key] is True
        # The table shows the change and the cursor is still on the user.
        assert pane.current_user_id() == user["id"]
        assert "Renamed Person" in pane.table.row_texts(pane.table.cursor_row)


async def test_unchanged_form_sends_nothing(make_app, monkeypatch) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_users(pilot, app)
        calls = spy_update(app, monkeypatch)
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog and calls == []
        assert "Nothing has changed" in str(dialog.query_one("#form-error").render())


async def test_identities_add_and_remove(make_app, monkeypatch) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        user = (await local_users(app))[0]
        await put_cursor_on(pilot, app, pane, user["id"])
        calls = spy_update(app, monkeypatch)
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        local = next(n for n, i in enumerate(dialog.identities)
                     if i["signInType"] == "emailAddress" or i["signInType"] == "userName")
        dialog.query_one(f"#identity-remove-{local}", Checkbox).value = True
        dialog.query_one("#identity-add-type", Select).value = "userName"
        dialog.query_one("#field-identities", Input).value = "fresh_name_42"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, UserEditDialog)
        (_, patch), = calls
        kinds = [(i["signInType"], i["issuerAssignedId"]) for i in patch["identities"]]
        assert ("userName", "fresh_name_42") in kinds
        assert local_sign_in(user) not in [v for _, v in kinds]
        assert any(k == "userPrincipalName" for k, _ in kinds), "read-only identities are kept"
        now = await app.context.client.users.get(user["id"], select=["identities"])
        assert any(i["issuerAssignedId"] == "fresh_name_42" for i in now["identities"])


async def test_graph_refusal_keeps_input_and_names_the_field(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        first, second = (await local_users(app))[:2]
        taken = local_sign_in(second)
        assert taken is not None
        await put_cursor_on(pilot, app, pane, first["id"])
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        dialog.query_one("#field-display_name", Input).value = "Kept Name"
        kind = "emailAddress" if "@" in taken else "userName"
        dialog.query_one("#identity-add-type", Select).value = kind
        dialog.query_one("#field-identities", Input).value = taken
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog
        error = dialog.query_one("#error-identities", Label)
        assert error.has_class("-shown") and "already exists" in str(error.render())
        assert dialog.query_one("#field-display_name", Input).value == "Kept Name"
        assert dialog.query_one("#field-identities", Input).value == taken
        now = await app.context.client.users.get(first["id"], select=["displayName"])
        assert now["displayName"] == first["displayName"], "nothing changed in the tenant"


async def test_edit_from_the_detail_view_refreshes_it(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await open_users(pilot, app)
        user = (await local_users(app, 20))[0]
        await put_cursor_on(pilot, app, pane, user["id"])
        await pilot.press("enter")
        await settle(pilot, app)
        detail = app.screen
        assert isinstance(detail, UserDetailScreen)
        await pilot.press("E")  # E edits in the detail view too (one key map)
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, UserEditDialog)
        dialog.query_one("#field-surname", Input).value = "Newsurname"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is detail
        assert detail.record is not None and detail.record["surname"] == "Newsurname"
