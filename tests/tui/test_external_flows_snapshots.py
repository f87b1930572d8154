"""SVG snapshots of the External ID flows pane (an External ID demo tenant, and a B2C one)."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.identity_panes import explorer, open_pane
from tests.helpers.kit_panes import cursor_to
from tests.helpers.snapshots import shoot

WIDE, SMALL = (120, 36), (80, 24)


async def on_flow(pilot: Any, app: B2CApp) -> None:
    pane: Any = await open_pane(pilot, app, "external-flows", "external-flows")
    await cursor_to(pilot, app, pane, displayName="Woodgrove Drive User Flow")


def test_pane_snapshot(snap_compare: Any) -> None:
    assert shoot(snap_compare, explorer(tenant_type="CIAM"), on_flow, WIDE)


def test_detail_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_flow(pilot, app)
        await pilot.press("enter")

    assert shoot(snap_compare, explorer(tenant_type="CIAM"), steps, WIDE)


def test_providers_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_flow(pilot, app)
        await pilot.press("p")

    assert shoot(snap_compare, explorer(tenant_type="CIAM"), steps, SMALL)


def test_in_a_b2c_tenant_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "external-flows", "external-flows")

    assert shoot(snap_compare, explorer(), steps, SMALL)
