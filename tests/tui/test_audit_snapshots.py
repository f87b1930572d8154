"""SVG snapshots of the audit log pane (seeded demo tenant, fixed clock, b2c-dark): the list
wide and at 80x24, a filter Graph only partly answers, the detail view, the quick filters and
the merged view with archived history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.audit_pane import spread, write_archive
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.users_pane import no_blink

WIDE, SMALL = (140, 36), (80, 24)


def _shoot(snap_compare: Any, app: B2CApp, size: tuple[int, int], steps: Any = None) -> bool:
    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        await pilot.press("colon", *"audit", "enter")
        await settle(pilot, app)
        app.pane("audit").table.focus()  # type: ignore[union-attr]
        await settle(pilot, app)
        if steps is not None:
            await steps(pilot, app)
            await settle(pilot, app)
        no_blink(app.screen)
        await settle(pilot, app)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_pane_snapshot(snap_compare, make_app) -> None:
    assert _shoot(snap_compare, make_app(), WIDE)


def test_pane_80x24_snapshot(snap_compare, make_app) -> None:
    assert _shoot(snap_compare, make_app(), SMALL)


def test_filtered_snapshot(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        app.pane("audit").apply_filter("result:failure policy:B2C_1A_signup_signin")  # type: ignore[union-attr]

    assert _shoot(snap_compare, make_app(), WIDE, steps)


def test_detail_snapshot(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = app.pane("audit")
        pane.apply_filter('activity:"Update user"')  # type: ignore[union-attr]
        await settle(pilot, app)
        table = pane.table  # type: ignore[union-attr]
        row = next(r for r in range(table.row_count)
                   if pane.records[table.row_key(r)]["targetResources"][0]  # type: ignore[union-attr]
                   .get("modifiedProperties"))
        table.move_cursor(row=row)
        await pilot.press("enter")

    assert _shoot(snap_compare, make_app(), WIDE, steps)


def test_quick_filter_snapshot(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await pilot.press("f")

    assert _shoot(snap_compare, make_app(), SMALL, steps)


def test_merged_snapshot(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = app.pane("audit")
        old = spread(30, FIXED_NOW - timedelta(days=9), timedelta(minutes=3), prefix="OLD",
                     category="Key", activity="Get key container active key")
        write_archive(pane.archive, old)  # type: ignore[union-attr]
        pane.read_archive_summary()  # type: ignore[union-attr]
        pane.source = "both"  # type: ignore[union-attr]
        pane.apply_filter("category:Key")  # type: ignore[union-attr]

    assert _shoot(snap_compare, make_app(), WIDE, steps)
