"""SVG snapshots of the users pane and the help screen (deterministic demo tenant)."""

from __future__ import annotations

from tests.helpers.pilot import settle

SIZE = (130, 36)


def test_users_pane_snapshot(snap_compare, make_app) -> None:
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await pilot.press("down", "down")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen_snapshot(snap_compare, make_app) -> None:
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_goto_prompt_snapshot(snap_compare, make_app) -> None:
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await pilot.press("colon", "k", "e")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# -- 80x24, the smallest terminal the explorer supports (issue 10) ---------------------------
SMALL = (80, 24)


def test_users_pane_80x24_snapshot(snap_compare, make_app) -> None:
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await pilot.press("down")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_create_dialog_80x24_snapshot(snap_compare, make_app) -> None:
    from textual.widgets import Input

    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        app.pane("users").table.focus()
        await pilot.press("n")
        await settle(pilot, app)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_help_screen_80x24_snapshot(snap_compare, make_app) -> None:
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
