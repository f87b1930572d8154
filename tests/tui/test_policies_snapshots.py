"""SVG snapshots of the custom policies pane and its screens (seeded demo tenant, fixed clock,
b2c-dark). Folders are relative to a temporary working directory and backups are named by a
fixed clock, so every snapshot is the same on every machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from b2c_tui.tui.panes.policies.forms import CompareDialog, LintDialog, UploadDialog
from tests.helpers.pilot import settle
from tests.helpers.policies_pane import (
    EXTENSIONS,
    SIGNUP,
    changed_pack,
    edit_file,
    fixed_backup_clock,
    make_recorded_app,
    open_pane,
    row_of,
    submit_form,
)

WIDE = (160, 40)
SMALL = (80, 24)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``LocalAccounts`` (relative to the working directory) with two changes."""
    monkeypatch.chdir(tmp_path)
    fixed_backup_clock(monkeypatch)
    changed_pack(tmp_path)
    return "LocalAccounts"


async def _policies(pilot: Any, app: Any) -> Any:
    return await open_pane(pilot, app, "policies")


def test_tree_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()
    assert snap_compare(app, terminal_size=WIDE, run_before=lambda p: _policies(p, app))


def test_tree_80x24_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda p: _policies(p, app))


def test_viewer_search_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*"SelfAsserted-LocalAccountSignin-Email", "enter")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_before)


def test_viewer_definition_in_base_snapshot(snap_compare: Any) -> None:
    """From the relying party's journey reference into the base policy (enter)."""
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await _policies(pilot, app)
        pane.table.move_cursor(row=row_of(pane, SIGNUP))
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        await pilot.press(*"17:45", "enter")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_before)


def test_viewer_uses_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await _policies(pilot, app)
        pane.table.move_cursor(row=row_of(pane, EXTENSIONS))
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*'Id="login-NonInteractive"', "enter")
        await settle(pilot, app)
        await pilot.press("right", "right", "right", "right", "right", "u")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_before)


def test_diff_snapshot(snap_compare: Any, folder: str) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "f", CompareDialog, {"folder": folder})

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_diff_80x24_snapshot(snap_compare: Any, folder: str) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "f", CompareDialog, {"folder": folder})

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_lint_snapshot(snap_compare: Any, folder: str) -> None:
    edit_file(Path(folder) / "SignUpOrSignin.xml", "B2C_1A_TrustFrameworkExtensions",
              "B2C_1A_NoSuchBase")
    edit_file(Path(folder) / "TrustFrameworkExtensions.xml", 'ClaimTypeReferenceId="client_id"',
              'ClaimTypeReferenceId="client_nowhere"')
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "l", LintDialog, {"folder": folder})

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


def test_dry_run_snapshot(snap_compare: Any, folder: str) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": folder, "settings": ""})

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_upload_refused_by_graph_snapshot(snap_compare: Any, folder: str) -> None:
    """Stopped at the relying party: Graph's message, the line it points to, what was done."""
    app, recorder = make_recorded_app()

    def refuse_rp(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT" and SIGNUP in request.url.path:
            return httpx.Response(400, json={"error": {
                "code": "AADB2C", "message": "Validation failed: 1 validation error(s) found "
                "in policy \"B2C_1A_SIGNUP_SIGNIN\": Line 16, column 4: the element "
                "'RelyingParty' has invalid child content."}})
        return None

    recorder.rules.append(refuse_rp)

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": folder})
        await pilot.press("U")
        await settle(pilot, app)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        app.screen.query_one("#policy-upload-list").highlighted = 5  # type: ignore[attr-defined]
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_backups_snapshot(snap_compare: Any, folder: str) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        await _policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": folder})
        await pilot.press("U")
        await settle(pilot, app)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


def test_delete_confirmation_snapshot(snap_compare: Any) -> None:
    app, _ = make_recorded_app()

    async def run_before(pilot: Any) -> None:
        pane = await _policies(pilot, app)
        pane.table.move_cursor(row=row_of(pane, EXTENSIONS))
        await pilot.press("d")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)
