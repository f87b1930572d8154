"""SVG snapshot of the user-flow attributes pane (seeded demo tenant, b2c-dark, 120x36)."""

from __future__ import annotations

from typing import Any

from tests.helpers.pilot import settle

SIZE = (120, 36)


def test_pane_snapshot(snap_compare: Any, make_app: Any) -> None:
    app = make_app()

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        app.show_pane("attributes")
        await settle(pilot, app)
        app.pane("attributes").table.focus()  # type: ignore[union-attr]
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
