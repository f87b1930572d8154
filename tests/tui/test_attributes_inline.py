"""Inline edits come from the pane description, not pane code: the attributes pane (whose
description marks only ``description`` patchable) edits, commits, journals and undoes it."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.kit.cell_editor import CellEditor
from b2c_tui.tui.panes.attributes import BUILT_IN, AttributesPane
from tests.helpers.inline import edit_cell, journal, painted
from tests.helpers.pilot import settle
from tests.helpers.users_pane import screen_text

SIZE = (200, 40)


async def open_attributes(pilot: Any, app: B2CApp) -> AttributesPane:
    await settle(pilot, app)
    app.show_pane("attributes")
    await settle(pilot, app)
    pane = app.pane("attributes")
    assert isinstance(pane, AttributesPane)
    pane.table.focus()
    await settle(pilot, app)
    return pane


def key_where(pane: AttributesPane, **wanted: str) -> str:
    return next(k for k, r in pane.records.items()
                if all(r.get(f) == v for f, v in wanted.items()))


async def test_edit_commit_and_undo_a_description_in_place(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        key = key_where(pane, displayName="loyaltyNumber")
        before = pane.records[key]["description"]
        api = app.context.client.user_flow_attributes
        await edit_cell(pilot, app, pane, key, "description", "x" * 257)
        assert isinstance(app.screen, CellEditor)  # the form's limit: 256 characters
        assert "at most 256 characters" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await edit_cell(pilot, app, pane, key, "description", "Card number, edited inline")
        assert "✎ Card number, edited inline" in await painted(pilot, app, pane, key)
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        assert (await api.get(key))["description"] == "Card number, edited inline"
        row = await painted(pilot, app, pane, key)
        assert "Card number, edited inline" in row and "✎" not in row
        assert pane.records[key]["description"] == "Card number, edited inline"
        [entry] = journal(app)
        assert (entry.kind, entry.state, entry.path) == (
            "userFlowAttribute", "done", f"/identity/userFlowAttributes/{key}")
        assert entry.old == {"description": before}
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert (await api.get(key))["description"] == before
        await pilot.press("escape")
        await settle(pilot, app)
        assert before in await painted(pilot, app, pane, key)


async def test_built_in_and_fixed_columns_are_not_edited_in_place(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_attributes(pilot, app)
        built_in = next(k for k, r in pane.records.items()
                        if r.get("userFlowAttributeType") != "custom")
        await edit_cell(pilot, app, pane, built_in, "description")
        assert not isinstance(app.screen, CellEditor)
        custom = key_where(pane, displayName="loyaltyNumber")
        await edit_cell(pilot, app, pane, custom, "dataType")  # fixed once created
        assert not isinstance(app.screen, CellEditor)
        assert not pane.inline.pending
        messages = [str(n.message) for n in app._notifications]
        assert BUILT_IN in messages
        assert any("Data type cannot be edited in place" in m for m in messages)
