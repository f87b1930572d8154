"""The B2C user flows pane (``:flows``): list, detail with providers and attributes, create and
delete, and the lists inside a flow: identity providers (add/remove) and user attributes
(add/edit/remove/reorder), with Graph's refusals in the dialog, read-only, and the External ID
tenant said plainly."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen, SpecForm, SubListScreen
from b2c_tui.tui.panes.user_flows import UserFlowsPane, format_choices, parse_choices
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

FLOW = "B2C_1_SignUpSignIn"


async def open_flows(pilot: Any, app: Any) -> UserFlowsPane:
    pane = await open_pane(pilot, app, "flows", "user-flows")
    assert isinstance(pane, UserFlowsPane)
    return pane


async def open_sublist(pilot: Any, app: Any, pane: UserFlowsPane, key: str) -> SubListScreen:
    await cursor_to(pilot, app, pane, id=FLOW)
    await pilot.press(key)
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, SubListScreen)
    return screen


async def test_lists_flows_with_type_version_and_languages() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        listed = await app.context.client.b2c_user_flows.list().collect()
        assert loaded_keys(pane) == [f["id"] for f in listed]
        row = pane.table.row_texts(row_where(pane, id="B2C_1_ProfileEdit"))
        assert row[:5] == ["B2C_1_ProfileEdit", "profileUpdate", "3", "yes", "de"]
        assert "coming" not in screen_text(app).lower()


async def test_detail_shows_providers_and_attributes_in_order() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        pane.table.move_cursor(row=row_where(pane, id=FLOW))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Identity providers (p)" in text and "Google-OAUTH" in text
        assert text.index("1.  Email Address") < text.index("2.  Display Name")
        assert "Yes=true; No=false*" in text  # a radio input's choices
        assert "******" not in text


async def test_create_and_delete_a_flow() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        spy = Spy(app.context.client.b2c_user_flows, "create")
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        fill(form, {"id": "B2C_1_bad name"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "not a valid user flow name" in screen_text(app)
        fill(form, {"id": "Partners", "defaultLanguageTag": "fr"})
        choose(form, "userFlowType", "signIn")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert spy.calls[0][0] == {"id": "Partners", "userFlowType": "signIn",
                                   "userFlowTypeVersion": 3,
                                   "isLanguageCustomizationEnabled": False,
                                   "defaultLanguageTag": "fr"}
        assert "B2C_1_Partners" in loaded_keys(pane)
        pane.table.move_cursor(row=row_where(pane, id="B2C_1_Partners"))
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        assert "B2C_1_Partners" in screen_text(app)
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert "B2C_1_Partners" not in loaded_keys(pane)


async def test_a_duplicate_flow_is_refused_by_graph_in_the_dialog() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        await open_flows(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"id": "SignUpSignIn"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "Graph refused" in screen_text(app)
        assert form.query_one("#field-id").value == "SignUpSignIn"  # type: ignore[attr-defined]


async def test_identity_providers_of_a_flow_are_added_and_removed() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        screen = await open_sublist(pilot, app, pane, "p")
        assert loaded_keys(screen) == ["Facebook-OAUTH", "Google-OAUTH"]
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        offered = choices(form, "id")
        assert "Google-OAUTH" not in offered and "GitHub-OAUTH" in offered
        assert "EmailPassword-OAUTH" not in offered  # local accounts: the methods policy
        choose(form, "id", "GitHub-OAUTH")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        assert loaded_keys(screen) == ["Facebook-OAUTH", "Google-OAUTH", "GitHub-OAUTH"]
        screen.table.move_cursor(row=0)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert "Remove identity provider Facebook?" in text
        assert "From B2C_1_SignUpSignIn, which stays." in text
        assert "Facebook-OAUTH" in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert loaded_keys(screen) == ["Google-OAUTH", "GitHub-OAUTH"]
        offered_now = await app.context.client.b2c_user_flows.list_identity_providers(
            FLOW).collect()
        assert [p["id"] for p in offered_now] == ["Google-OAUTH", "GitHub-OAUTH"]
        assert screen.changed
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def test_attributes_are_added_edited_reordered_and_removed() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        screen = await open_sublist(pilot, app, pane, "a")
        flows = app.context.client.b2c_user_flows
        before = loaded_keys(screen)
        assert before[:2] == ["email", "displayName"]
        # add
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert "email" not in choices(form, "attribute") and "city" in choices(form, "attribute")
        choose(form, "attribute", "city")
        choose(form, "userInputType", "dropdownSingleSelect")
        fill(form, {"displayName": "Town", "userAttributeValues": "Berlin*; Zürich=zrh"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen, screen_text(app)
        assert loaded_keys(screen) == [*before, "city"]
        city = next(a for a in await flows.list_attribute_assignments(FLOW).collect()
                    if a["id"] == "city")
        assert city["userAttributeValues"] == [
            {"name": "Berlin", "value": "Berlin", "isDefault": True},
            {"name": "Zürich", "value": "zrh", "isDefault": False}]
        # edit: the choices read back as typed, only what changed is sent
        spy = Spy(flows, "update_attribute_assignment")
        screen.table.move_cursor(row=len(before))
        await pilot.press("E")
        await settle(pilot, app)
        edit = app.screen
        assert edit.query_one("#field-userAttributeValues").value == (  # type: ignore[attr-defined]
            "Berlin*; Zürich=zrh")
        fill(edit, {"displayName": "City or town"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert spy.calls == [(FLOW, "city", {"displayName": "City or town"})]
        # reorder: the new last moves up one; Graph keeps the new order
        await pilot.press("shift+up")
        await settle(pilot, app)
        order = await flows.get_attribute_order(FLOW)
        assert order[-2:] == ["city", before[-1]]
        assert loaded_keys(screen) == order
        assert screen.table.row_key(screen.table.cursor_row) == "city"
        # remove
        await pilot.press("d")
        await settle(pilot, app)
        assert "Remove user attribute City or town" in screen_text(app)
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert "city" not in await flows.get_attribute_order(FLOW)
        assert loaded_keys(screen) == before


async def test_graph_refuses_an_input_type_beside_the_field() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        screen = await open_sublist(pilot, app, pane, "a")
        screen.table.move_cursor(row=loaded_keys(screen).index("givenName"))
        await pilot.press("E")
        await settle(pilot, app)
        edit = app.screen
        choose(edit, "userInputType", "emailBox")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is edit and not edit.saving
        error = edit.query_one("#error-userInputType")
        assert "emailBox" in str(error.render())  # type: ignore[attr-defined]
        assert "Graph refused" in screen_text(app)
        # The form checks choices before sending anything.
        choose(edit, "userInputType", "radioSingleSelect")
        fill(edit, {"userAttributeValues": "=oops"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "label=value" in screen_text(app)


async def test_a_refused_move_goes_back() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        screen = await open_sublist(pilot, app, pane, "a")
        before = loaded_keys(screen)
        flows = app.context.client.b2c_user_flows
        # Someone removed an attribute meanwhile: the order sent no longer names them all.
        await flows.remove_attribute_assignment(FLOW, "country")
        screen.table.move_cursor(row=1)
        await pilot.press("shift+up")
        await settle(pilot, app)
        assert loaded_keys(screen) == before
        assert any("every attribute assignment" in n for n in notes(app))
        assert not screen.saving


async def test_read_only_offers_the_lists_but_no_change() -> None:
    app = explorer(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        assert not write_actions(app) & {"create", "delete"}
        screen = await open_sublist(pilot, app, pane, "a")
        assert loaded_keys(screen)
        assert not write_actions(app) & {"add", "edit", "remove", "move_up", "move_down"}
        before = loaded_keys(screen)
        for key in ("n", "E", "d", "shift+up", "shift+down"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is screen
        assert loaded_keys(screen) == before
        assert sum("opened read-only" in n for n in notes(app)) == 5


async def test_an_external_id_tenant_is_told_plainly() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_flows(pilot, app)
        text = screen_text(app)
        assert "exist only in Azure AD B2C tenants" in text
        assert "Entra External ID tenant" in text and ":external-flows" in text
        assert pane.table.row_count == 0
        assert not write_actions(app) & {"create", "delete", "open_sublist"}


def test_choices_read_and_write_as_one_line() -> None:
    values = parse_choices(" Yes=true* ;No=false; Maybe ")
    assert values == [{"name": "Yes", "value": "true", "isDefault": True},
                      {"name": "No", "value": "false", "isDefault": False},
                      {"name": "Maybe", "value": "Maybe", "isDefault": False}]
    assert format_choices(values) == "Yes=true*; No=false; Maybe"
    assert parse_choices(format_choices(values)) == values
    assert parse_choices("") == []
