"""SVG snapshots of inline edits (seeded demo tenant, fixed clock, b2c-dark): the users table
with pending edits (✎) and one Graph refused (✗), and the review screen; wide and 80x24.

Regenerate with ``python scripts/update_screenshots.py`` and look at the result first.
"""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.inline import cursor_to, edit_cell
from tests.helpers.kit_panes import loaded_keys
from tests.helpers.pilot import settle
from tests.helpers.users_pane import no_blink, open_users

WIDE = (120, 36)
SMALL = (80, 24)
COLUMNS = ["displayName", "userPrincipalName", "accountEnabled", "signInName"]


async def pending_edits(pilot: Any, app: B2CApp) -> None:
    """Three edits pending and one refused by Graph (a UPN another user has)."""
    pane = await open_users(pilot, app)
    pane.set_columns(COLUMNS)
    await settle(pilot, app)
    keys = loaded_keys(pane)
    taken = (await app.context.client.users.get(keys[0], select=["userPrincipalName"]))[
        "userPrincipalName"]
    await edit_cell(pilot, app, pane, keys[2], "userPrincipalName", taken)
    await pilot.press("ctrl+s", "y")  # refused: stays pending, marked ✗
    await settle(pilot, app)
    await edit_cell(pilot, app, pane, keys[1], "displayName", "Megan Bowen-Smith")
    await edit_cell(pilot, app, pane, keys[4], "accountEnabled")
    await edit_cell(pilot, app, pane, keys[6], "displayName", "Dr. Sophie Weiß")
    await cursor_to(pilot, app, pane, keys[6], "displayName")
    app.clear_notifications()
    await settle(pilot, app)


def shoot(snap_compare: Any, make_app: Any, size: tuple[int, int], review: bool) -> bool:
    app = make_app(users=60)

    async def run_before(pilot: Any) -> None:
        await pending_edits(pilot, app)
        if review:
            await pilot.press("v")
            await settle(pilot, app)
        no_blink(app.screen)
        await settle(pilot, app)

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


def test_table_with_pending_edits(snap_compare, make_app) -> None:
    assert shoot(snap_compare, make_app, WIDE, review=False)


def test_table_with_pending_edits_80x24(snap_compare, make_app) -> None:
    assert shoot(snap_compare, make_app, SMALL, review=False)


def test_review_screen(snap_compare, make_app) -> None:
    assert shoot(snap_compare, make_app, WIDE, review=True)


def test_review_screen_80x24(snap_compare, make_app) -> None:
    assert shoot(snap_compare, make_app, SMALL, review=True)
