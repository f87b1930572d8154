"""SVG snapshots of the conditional access pane (seeded demo tenant, fixed clock, b2c-dark):
policies and templates in words, a policy's detail view, the create-from-template form;
120x36 and 80x24."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.kit_panes import cursor_to, open_pane
from tests.helpers.pilot import settle
from tests.helpers.snapshots import shoot

SIZE = (120, 36)
SMALL = (80, 24)


def test_pane(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "ca")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_pane_80x24(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "ca")

    assert shoot(snap_compare, make_app(users=5), steps, SMALL)


def test_templates(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "ca")
        await pilot.press("t")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_detail_view(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await open_pane(pilot, app, "ca")
        row = next(r for r in range(pane.table.row_count)
                   if pane.records[pane.table.row_key(r)]["displayName"].startswith("CA003"))
        pane.table.move_cursor(row=row)
        await pilot.press("enter")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_create_from_template(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await open_pane(pilot, app, "ca")
        await pilot.press("t")
        await settle(pilot, app)
        await cursor_to(pilot, app, pane, name="Block legacy authentication")
        await pilot.press("n")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)
