"""SVG snapshots of the authentication methods policy pane (one object, and its form)."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.identity_panes import explorer, open_pane
from tests.helpers.snapshots import shoot

WIDE, SMALL = (120, 36), (80, 24)


async def on_policy(pilot: Any, app: B2CApp) -> None:
    await open_pane(pilot, app, "auth-policy", "auth-policy")


def test_pane_snapshot(snap_compare: Any) -> None:
    assert shoot(snap_compare, explorer(), on_policy, WIDE)


def test_pane_80x24_snapshot(snap_compare: Any) -> None:
    assert shoot(snap_compare, explorer(), on_policy, SMALL)


def test_edit_dialog_80x24_snapshot(snap_compare: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await on_policy(pilot, app)
        await pilot.press("E")

    assert shoot(snap_compare, explorer(), steps, SMALL)
