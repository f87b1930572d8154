"""SVG snapshots of the tenant dashboard as the explorer opens (seeded demo tenant arranged
to show every health finding, fixed clock, b2c-dark), wide and at 80x24."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import demo_connection, settle


def _app() -> B2CApp:
    return B2CApp(demo_connection(300, health_findings=True), theme="b2c-dark")


def _shoot(snap_compare: Any, size: tuple[int, int]) -> bool:
    app = _app()

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_dashboard_snapshot(snap_compare) -> None:
    assert _shoot(snap_compare, (140, 40))


def test_dashboard_80x24_snapshot(snap_compare) -> None:
    assert _shoot(snap_compare, (80, 24))
