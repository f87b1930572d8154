"""The column chooser: optional columns and extension attributes under friendly names."""

from __future__ import annotations

from b2c_tui.frames.users import USER_COLUMNS
from b2c_tui.tui.dialogs.column_chooser import ColumnChooserDialog
from tests.helpers.pilot import settle
from tests.helpers.users_pane import first_users, open_users, row_of

DEFAULTS = [c.key for c in USER_COLUMNS]


async def test_choose_optional_and_extension_columns(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(200, 40)) as pilot:
        pane = await open_users(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ColumnChooserDialog)
        labels = {c.key: c.label for c in dialog.choices}
        assert labels["userPrincipalName"] == "User principal name"
        loyalty = next(k for k, v in labels.items() if v == "loyaltyNumber")
        assert loyalty.startswith("extension_") and loyalty.endswith("_loyaltyNumber")
        dialog.select("userPrincipalName")
        dialog.select(loyalty)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, ColumnChooserDialog)
        assert [c.key for c in pane.chosen_columns] == [*DEFAULTS, "userPrincipalName", loyalty]
        headers = [c.label for c in pane.table.columns]
        assert "loyaltyNumber" in headers and "User principal name" in headers
        user = next(u for u in await first_users(app, 40, select=(loyalty,)) if u.get(loyalty))
        row = row_of(pane, user["id"])
        assert row is not None
        assert user[loyalty] in pane.table.row_texts(row)
        # Reopening shows the current choice; cancelling changes nothing.
        await pilot.press("c")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ColumnChooserDialog)
        assert dialog.selected == {*DEFAULTS, "userPrincipalName", loyalty}
        await pilot.press("escape")
        await settle(pilot, app)
        assert [c.key for c in pane.chosen_columns] == [*DEFAULTS, "userPrincipalName", loyalty]


async def test_extension_attributes_are_discovered_once(make_app, monkeypatch) -> None:
    app = make_app(users=5)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        api = app.context.client.user_flow_attributes
        real = api.list
        calls: list[int] = []

        def counting(*args, **kwargs):
            calls.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(api, "list", counting)
        first = await pane.extension_attributes()
        second = await pane.extension_attributes()
        assert first == second and len(calls) == 1
        assert {a.data_type for a in first if a.name == "marketingConsent"} == {"boolean"}
