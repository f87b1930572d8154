"""Taking an SVG snapshot after some steps (settled, no cursor blink)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import settle
from tests.helpers.users_pane import no_blink

Steps = Callable[[Any, B2CApp], Awaitable[None]]


def shoot(snap_compare: Any, app: B2CApp, steps: Steps, size: tuple[int, int]) -> bool:
    """Run ``steps`` on ``app``, settle, stop the cursor blinking, and compare."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        await steps(pilot, app)
        await settle(pilot, app)
        no_blink(app.screen)
        await settle(pilot, app)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))
