"""The user-flow attributes pane (``:attributes``), built on the pane kit: list, detail,
create, edit (the description only), delete (custom only), and Graph's refusal in a dialog."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen, SpecForm
from b2c_tui.tui.panes.attributes import BUILT_IN, AttributesPane
from tests.helpers.identity_panes import open_pane
from tests.helpers.kit_panes import cursor_to, row_where
from tests.helpers.pilot import settle
from tests.helpers.users_pane import fill, screen_text

SIZE = (160, 40)


async def open_attributes(pilot: Any, app: B2CApp) -> AttributesPane:
    pane = await open_pane(pilot, app, "attributes", "attributes")
    assert isinstance(pane, AttributesPane)
    return pane


async def test_lists_built_in_and_custom_attributes_with_data_types(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        listed = await app.context.client.user_flow_attributes.list().collect()
        assert pane.table.row_count == len(listed)
        kinds = {r["userFlowAttributeType"] for r in pane.records.values()}
        assert kinds == {"builtIn", "custom"}
        text = screen_text(app)
        assert "Data type" in text and "coming" not in text.lower()
        row = row_where(pane, displayName="loyaltyNumber")
        assert "custom" in pane.table.row_texts(row)


async def test_detail_view_shows_the_attribute_and_its_json(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        pane.table.move_cursor(row=row_where(pane, displayName="loyaltyNumber"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "loyaltyNumber" in text and '"dataType"' in text and "extension_" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def test_create_a_custom_attribute_and_the_users_pane_follows(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        app.context.extensions = ()  # as if the users pane had discovered them already
        before = pane.table.row_count
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, SpecForm)
        fill(dialog, {"displayName": "shoeSize", "description": "EU size"})
        dialog.query_one("#field-dataType").value = "int64"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert pane.table.row_count == before + 1
        created = pane.records[pane.table.row_key(row_where(pane, displayName="shoeSize"))]
        assert created["dataType"] == "int64" and created["id"].startswith("extension_")
        assert app.context.extensions is None  # rediscovered by the users pane


async def test_edit_changes_only_the_description(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        client = app.context.client.user_flow_attributes
        sent: list[tuple[str, dict[str, Any]]] = []
        real = client.update

        async def spy(key: str, patch: dict[str, Any]) -> None:
            sent.append((key, dict(patch)))
            await real(key, patch)

        client.update = spy  # type: ignore[method-assign]
        pane.table.move_cursor(row=row_where(pane, displayName="loyaltyNumber"))
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, SpecForm)
        assert dialog.query_one("#field-displayName").disabled  # fixed once created
        assert dialog.query_one("#field-dataType").disabled
        fill(dialog, {"description": "Card number of the loyalty programme"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        key = sent[0][0]
        assert sent == [(key, {"description": "Card number of the loyalty programme"})]
        assert (await real.__self__.get(key))["description"].startswith("Card number")


async def test_built_in_attributes_cannot_be_edited_or_deleted(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        await cursor_to(pilot, app, pane, userFlowAttributeType="builtIn")
        assert pane.check_action("edit", ()) is None and pane.check_action("delete", ()) is None
        assert BUILT_IN in pane.status_note()
        for key in ("E", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]


async def test_delete_confirms_with_name_and_id(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        row = row_where(pane, displayName="loyaltyNumber")
        key = pane.table.row_key(row)
        pane.table.move_cursor(row=row)
        await pilot.press("d")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog)
        text = screen_text(app)
        assert "loyaltyNumber" in text and key in text
        dialog.dismiss(True)
        await settle(pilot, app)
        assert key not in [pane.table.row_key(r) for r in range(pane.table.row_count)]
        remaining = await app.context.client.user_flow_attributes.list().collect()
        assert key not in {a["id"] for a in remaining}


async def test_graph_refusal_is_shown_in_the_dialog_and_keeps_the_input(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await open_attributes(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, SpecForm)
        # An attribute of that name exists already: Graph refuses (the form cannot know).
        fill(dialog, {"displayName": "loyaltyNumber", "description": "again"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog
        assert not dialog.saving
        assert dialog.query_one("#field-displayName").value == "loyaltyNumber"  # type: ignore
        shown = screen_text(app)
        assert "Graph refused" in shown


async def test_read_only_hides_every_write(make_app) -> None:
    app = make_app(users=5, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        await cursor_to(pilot, app, pane, displayName="loyaltyNumber")
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"create", "edit", "delete"}
        for key in ("n", "E", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
