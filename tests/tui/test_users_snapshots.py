"""SVG snapshots of the user workflows (seeded demo tenant, fixed clock, b2c-dark, 120x36).

Regenerate with ``pytest tests/tui/test_users_snapshots.py --snapshot-update`` and look at the
result before accepting it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Input

from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import settle
from tests.helpers.users_pane import (
    fill,
    first_users,
    local_sign_in,
    no_blink,
    open_users,
    put_cursor_on,
)

SIZE = (120, 36)
Steps = Callable[[Any, B2CApp], Awaitable[None]]


async def _on_user_with_extensions(pilot: Any, app: B2CApp) -> dict[str, Any]:
    """Put the cursor on the first local account that carries extension attributes."""
    pane = await open_users(pilot, app)
    extensions = await pane.extension_attributes()
    keys = tuple(a.key for a in extensions)
    users = await first_users(app, 40, select=keys)
    user = next(u for u in users if local_sign_in(u) and sum(bool(u.get(k)) for k in keys) >= 2)
    await put_cursor_on(pilot, app, pane, user["id"])
    return user


def _shoot(snap_compare: Any, app: B2CApp, steps: Steps) -> bool:
    async def run_before(pilot: Any) -> None:
        await steps(pilot, app)
        await settle(pilot, app)
        no_blink(app.screen)
        await settle(pilot, app)

    return bool(snap_compare(app, terminal_size=SIZE, run_before=run_before))


def test_detail_view(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _on_user_with_extensions(pilot, app)
        await pilot.press("enter")

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_create_dialog_with_graph_error(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_users(pilot, app)
        taken = next(s for s in map(local_sign_in, await first_users(app, 40)) if s and "@" in s)
        await pilot.press("n")
        await settle(pilot, app)
        fill(app.screen, {"sign_in": taken, "display_name": "Copy Cat", "given_name": "Copy",
                          "surname": "Cat", "password": "Correct-Horse-9"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        field = app.screen.query_one("#field-display_name", Input)
        field.focus()
        field.cursor_position = len(field.value)

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_edit_dialog(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _on_user_with_extensions(pilot, app)
        await pilot.press("E")
        await settle(pilot, app)
        field = app.screen.query_one("#field-display_name", Input)
        field.cursor_position = len(field.value)

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_delete_confirmation(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _on_user_with_extensions(pilot, app)
        await pilot.press("d")

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_bulk_delete_confirmation(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_users(pilot, app)
        for _ in range(7):
            await pilot.press("space", "down")
        await pilot.press("D")

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_password_reset_dialog(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _on_user_with_extensions(pilot, app)
        await pilot.press("p")

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_column_chooser(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_users(pilot, app)
        await pilot.press("c")

    assert _shoot(snap_compare, make_app(users=40), steps)


def test_find_user_prompt(snap_compare, make_app) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await open_users(pilot, app)
        await pilot.press("f", *"Zo")

    assert _shoot(snap_compare, make_app(users=40), steps)
