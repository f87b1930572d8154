"""Pilot helpers: a small deterministic demo tenant (fixed clock), and waiting for workers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from b2c_tui.connection import Connection, open_demo
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.tui.app import B2CApp

FIXED_NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def demo_connection(users: int = 300, *, read_only: bool = False, **kw: object) -> Connection:
    """A demo tenant with throttling off and a clock that never moves."""
    return open_demo(users=users, seed=7, read_only=read_only, throttling=False,
                     clock=ManualClock(FIXED_NOW), **kw)  # type: ignore[arg-type]


async def settle(pilot: object, app: B2CApp) -> None:
    """Wait until every worker has finished and the screen has refreshed (never sleeps)."""
    for _ in range(100):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        if not any(worker.is_running for worker in app.workers):
            return


async def go_to(pilot: Any, app: B2CApp, typed: str) -> None:
    """``:typed`` then Enter, as a person opens a pane (settled before, between and after)."""
    await settle(pilot, app)
    await pilot.press("colon")
    await settle(pilot, app)
    await pilot.press(*typed, "enter")
    await settle(pilot, app)
