"""Leaving the keys or the policies pane cancels the reads it started (a key health report, a
lint): their result would otherwise open over the pane the user went to. Writes are not
cancelled (they finish and report)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.worker import WorkerState

from b2c_tui.tui.panes.keys.flows import KeyFlows
from b2c_tui.tui.panes.policies.reads import ReadFlows
from tests.helpers.policies import STARTER
from tests.helpers.policies_pane import make_recorded_app, open_pane
from tests.helpers.users_pane import fill

SIZE = (160, 40)


@pytest.mark.parametrize(("pane_name", "flows", "method", "key", "group"), [
    ("keys", KeyFlows, "_health", "h", "keys-read"),
    ("policies", ReadFlows, "_lint", "l", "policies-read"),
])
async def test_leaving_the_pane_cancels_its_reads(monkeypatch: pytest.MonkeyPatch,
                                                  pane_name: str, flows: type, method: str,
                                                  key: str, group: str) -> None:
    started = asyncio.Event()

    async def never_ends(self: Any, *args: Any) -> None:
        started.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(flows, method, never_ends)
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_pane(pilot, app, pane_name)
        await pilot.press(key)
        if pane_name == "policies":  # the lint asks for a folder first
            await pilot.pause()
            fill(app.screen, {"folder": str(STARTER / "LocalAccounts")})
            await pilot.press("ctrl+s")
        await asyncio.wait_for(started.wait(), 5)
        reads = [w for w in app.workers if w.group == group]
        assert reads and all(w.is_running for w in reads)
        while app.screen is not app.screen_stack[0]:  # close the dialog: the read goes on
            await pilot.press("escape")
            await pilot.pause()
        assert all(w.is_running for w in reads)
        await pilot.press("colon")
        await pilot.pause()
        await pilot.press(*"users", "enter")
        for _ in range(50):
            await pilot.pause()
            if all(w.state == WorkerState.CANCELLED for w in reads):
                break
        assert app.current_pane == "users"
        assert [w.state for w in reads] == [WorkerState.CANCELLED] * len(reads)
