"""SVG snapshots of the identity providers pane (seeded demo tenant, fixed clock, b2c-dark)."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.identity_panes import choose, explorer, open_pane
from tests.helpers.kit_panes import row_where
from tests.helpers.pilot import settle
from tests.helpers.snapshots import shoot

WIDE, SMALL = (120, 36), (80, 24)


def test_pane_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "idps", "identity-providers")

    assert shoot(snap_compare, explorer(), steps, WIDE)


def test_pane_80x24_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "idps", "identity-providers")

    assert shoot(snap_compare, explorer(), steps, SMALL)


def test_detail_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane: Any = await open_pane(pilot, app, "idps", "identity-providers")
        pane.table.move_cursor(row=row_where(pane, id="Google-OAUTH"))
        await pilot.press("enter")

    assert shoot(snap_compare, explorer(), steps, WIDE)


def test_create_form_80x24_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_pane(pilot, app, "idps", "identity-providers")
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "providerType", "OpenIdConnect")
        await pilot.press("ctrl+s")

    assert shoot(snap_compare, explorer(), steps, SMALL)


def test_edit_dialog_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane: Any = await open_pane(pilot, app, "idps", "identity-providers")
        pane.table.move_cursor(row=row_where(pane, id="Facebook-OAUTH"))
        await pilot.press("E")

    assert shoot(snap_compare, explorer(), steps, WIDE)
