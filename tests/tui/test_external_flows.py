"""The External ID flows pane (``:external-flows``): said plainly in a B2C tenant; in an
External ID tenant the list, the detail, create and delete, and the lists inside a flow
(applications, identity providers, attributes) with Graph's refusals, and read-only."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen, SpecForm, SubListScreen
from b2c_tui.tui.panes.external_flows import ExternalFlowsPane
from tests.helpers.identity_panes import (
    SIZE,
    Spy,
    choices,
    choose,
    explorer,
    notes,
    open_pane,
    write_actions,
)
from tests.helpers.kit_panes import cursor_to, loaded_keys, row_where
from tests.helpers.pilot import settle
from tests.helpers.users_pane import fill, screen_text

WOODGROVE = "Woodgrove Drive User Flow"


async def open_flows(pilot: Any, app: Any) -> ExternalFlowsPane:
    pane = await open_pane(pilot, app, "external-flows", "external-flows")
    assert isinstance(pane, ExternalFlowsPane)
    return pane


async def open_sublist(pilot: Any, app: Any, pane: ExternalFlowsPane, key: str,
                       name: str = WOODGROVE) -> SubListScreen:
    await cursor_to(pilot, app, pane, displayName=name)
    await pilot.press(key)
    await settle(pilot, app)
    assert isinstance(app.screen, SubListScreen)
    return app.screen


async def test_a_b2c_tenant_is_told_plainly_and_nothing_is_asked() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        spy = Spy(app.context.client.external_flows, "list")
        pane = await open_flows(pilot, app)
        text = screen_text(app)
        assert "exist only in Entra External ID tenants" in text
        assert "Azure AD B2C tenant" in text and ":flows" in text
        assert pane.table.row_count == 0 and spy.calls == []
        assert not write_actions(app) & {"create", "delete", "open_sublist"}


async def test_lists_flows_with_providers_attributes_and_apps() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        listed = await app.context.client.external_flows.list().collect()
        assert sorted(loaded_keys(pane)) == sorted(f["id"] for f in listed)
        row = pane.table.row_texts(row_where(pane, displayName=WOODGROVE))
        assert "EmailPassword-OAUTH" in row[2] and "email" in row[3]
        assert "Anmeldung für Zoë's Café" in screen_text(app)


async def test_detail_shows_the_three_parts_without_secrets() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        pane.table.move_cursor(row=row_where(pane, displayName=WOODGROVE))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        for title in ("Applications (A)", "Identity providers on authentication start (p)",
                      "Attributes collected on sign-up (a)"):
            assert title in text
        assert "Email with password" in text and "******" not in text


async def test_create_and_delete_a_flow() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        fill(form, {"displayName": "Partners", "description": "For partner portals"})
        choose(form, "signIn", "EmailOtpSignup-OAUTH")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0], screen_text(app)
        row = row_where(pane, displayName="Partners")
        created = pane.records[pane.table.row_key(row)]
        providers = created["onAuthenticationMethodLoadStart"]["identityProviders"]
        assert [p["id"] for p in providers] == ["EmailOtpSignup-OAUTH"]
        # A second flow of the same name: Graph refuses, the dialog keeps what was typed.
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"displayName": "partners"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "already exists" in screen_text(app)
        form.dismiss(None)
        await settle(pilot, app)
        pane.table.move_cursor(row=row_where(pane, displayName="Partners"))
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        assert "Partners" in screen_text(app) and created["id"] in screen_text(app)
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert created["id"] not in loaded_keys(pane)


async def test_applications_are_linked_and_unlinked() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        apps = await app.context.client.applications.list().collect()
        web = next(a for a in apps if a["displayName"] == "Contoso Web")
        screen = await open_sublist(pilot, app, pane, "A")
        assert loaded_keys(screen) == []
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "appId", web["appId"])
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert loaded_keys(screen) == [web["appId"]]
        assert "Contoso Web" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        # The list shows it once the screen closes (the pane reloads after a change).
        row = pane.table.row_texts(row_where(pane, displayName=WOODGROVE))
        assert web["appId"] in row[4]
        # One flow per application: linking it to the other flow is refused in the dialog.
        other = await open_sublist(pilot, app, pane, "A", "Anmeldung für Zoë's Café")
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        choose(form, "appId", web["appId"])
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "already linked" in screen_text(app)
        form.dismiss(None)
        await settle(pilot, app)
        assert loaded_keys(other) == []
        await pilot.press("escape")
        await settle(pilot, app)
        screen = await open_sublist(pilot, app, pane, "A")
        await pilot.press("d")
        await settle(pilot, app)
        text = screen_text(app)
        assert "Remove application Contoso Web?" in text
        assert "From Woodgrove Drive User Flow, which stays." in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert loaded_keys(screen) == []
        flow = pane.records[pane.table.row_key(row_where(pane, displayName=WOODGROVE))]
        assert await app.context.client.external_flows.list_applications(flow["id"]).collect() \
            == []


async def test_providers_and_attributes_are_added_and_removed() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        screen = await open_sublist(pilot, app, pane, "p")
        assert "Google-OAUTH" in loaded_keys(screen)
        await pilot.press("n")
        await settle(pilot, app)
        assert "Google-OAUTH" not in choices(app.screen, "id")
        choose(app.screen, "id", "Microsoft-OAUTH")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert loaded_keys(screen)[-1] == "Microsoft-OAUTH"
        screen.table.move_cursor(row=loaded_keys(screen).index("Google-OAUTH"))
        await pilot.press("d")
        await settle(pilot, app)
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert "Google-OAUTH" not in loaded_keys(screen)
        await pilot.press("escape")
        await settle(pilot, app)
        screen = await open_sublist(pilot, app, pane, "a")
        before = loaded_keys(screen)
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "id", "city")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert loaded_keys(screen) == [*before, "city"]
        flow_id = pane.table.row_key(row_where(pane, displayName=WOODGROVE))
        flow = await app.context.client.external_flows.get(flow_id)
        inputs = flow["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"]
        assert "city" in [i["attribute"] for i in inputs]  # Graph's default input


async def test_read_only_shows_everything_and_changes_nothing() -> None:
    app = explorer(tenant_type="CIAM", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        assert pane.table.row_count == 2
        assert not write_actions(app) & {"create", "delete"}
        screen = await open_sublist(pilot, app, pane, "p")
        before = loaded_keys(screen)
        for key in ("n", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is screen
        assert loaded_keys(screen) == before
        assert sum("opened read-only" in n for n in notes(app)) == 2


async def test_the_remove_confirmation_shows_the_flow_name_literally() -> None:
    # A flow's name is tenant text: its controls must not reach the dialog as they are.
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        flow = pane.records[pane.table.row_key(row_where(pane, displayName=WOODGROVE))]
        evil = "Evil\x1b[31m\u202eflow"
        pane.open_sublist("providers", {**flow, "displayName": evil})
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, SubListScreen)
        screen.table.move_cursor(row=loaded_keys(screen).index("Google-OAUTH"))
        await pilot.press("d")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog)
        assert "\x1b" not in dialog.note and "\u202e" not in dialog.note
        assert "Evil␛[31m⟨U+202E⟩flow" in dialog.note
