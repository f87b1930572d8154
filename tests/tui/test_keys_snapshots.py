"""SVG snapshots of the policy keys pane and its screens (seeded demo tenant, fixed clock,
b2c-dark)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.policies import certificate
from tests.helpers.policies_pane import make_recorded_app, open_pane
from tests.helpers.users_pane import fill

WIDE = (140, 32)
SMALL = (80, 24)


def _row(pane: Any, keyset: str) -> int:
    return next(r for r in range(pane.table.row_count)
                if pane.records[pane.table.row_key(r)]["keyset"] == keyset)


def test_pane_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()
    assert snap_compare(app, terminal_size=WIDE, run_before=lambda p: open_pane(p, app, "keys"))


def test_pane_80x24_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()
    assert snap_compare(app, terminal_size=SMALL,
                        run_before=lambda p: open_pane(p, app, "keys"))


def test_detail_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await open_pane(pilot, app, "keys")
        pane.table.move_cursor(row=_row(pane, "B2C_1A_TokenSigningKeyContainer"))
        await pilot.press("enter")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_health_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await open_pane(pilot, app, "keys")
        await pilot.press("h")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


def test_pfx_wrong_password_snapshot(snap_compare: Any, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The PFX is opened locally first: a wrong password is said beside the field, nothing
    is sent, what was typed stays."""
    monkeypatch.chdir(tmp_path)
    certificate(tmp_path, "api", starts=FIXED_NOW - timedelta(days=1),
                ends=FIXED_NOW + timedelta(days=365), password="right")
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await open_pane(pilot, app, "keys")
        await pilot.press("n")
        await settle(pilot, app)
        app.screen.query_one("#field-kind").value = "pkcs12"  # type: ignore[attr-defined]
        await settle(pilot, app)
        fill(app.screen, {"keyset": "B2C_1A_ApiClient", "path": "api.pfx",
                          "password": "wrong"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(110, 36), run_before=run_before)


def test_rotation_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await open_pane(pilot, app, "keys")
        pane.table.move_cursor(row=_row(pane, "B2C_1A_TokenEncryptionKeyContainer"))
        await pilot.press("R")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(110, 36), run_before=run_before)


def test_delete_confirmation_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await open_pane(pilot, app, "keys")
        pane.table.move_cursor(row=_row(pane, "B2C_1A_TokenSigningKeyContainer"))
        await pilot.press("d")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(110, 30), run_before=run_before)
