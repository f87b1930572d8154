"""SVG snapshots of the B2C user flows pane and the lists inside a flow."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.identity_panes import choose, explorer, open_pane
from tests.helpers.kit_panes import cursor_to
from tests.helpers.pilot import settle
from tests.helpers.snapshots import shoot
from tests.helpers.users_pane import fill

WIDE, SMALL = (120, 36), (80, 24)


async def on_flow(pilot: Any, app: B2CApp) -> None:
    pane: Any = await open_pane(pilot, app, "flows", "user-flows")
    await cursor_to(pilot, app, pane, id="B2C_1_SignUpSignIn")


def test_pane_snapshot(snap_compare: Any) -> None:
    assert shoot(snap_compare, explorer(), on_flow, WIDE)


def test_detail_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_flow(pilot, app)
        await pilot.press("enter")

    assert shoot(snap_compare, explorer(), steps, WIDE)


def test_attributes_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_flow(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press("down", "down")

    assert shoot(snap_compare, explorer(), steps, WIDE)


def test_attribute_refused_80x24_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_flow(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press("down", "down", "E")
        await settle(pilot, app)
        choose(app.screen, "userInputType", "emailBox")
        fill(app.screen, {"displayName": "First name"})
        await pilot.press("ctrl+s")

    assert shoot(snap_compare, explorer(), steps, SMALL)


def test_in_an_external_id_tenant_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "flows", "user-flows")

    assert shoot(snap_compare, explorer(tenant_type="CIAM"), steps, SMALL)
