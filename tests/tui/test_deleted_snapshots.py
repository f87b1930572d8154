"""SVG snapshots of the deleted items pane (seeded demo tenant, fixed clock, b2c-dark): the
list with days left (the last week marked), a refused restore among a selection's results,
the typed-count confirmation; 120x36 and 80x24."""

from __future__ import annotations

from typing import Any

from b2c_tui.graph.validation_users import build_local_account
from b2c_tui.tui.app import B2CApp
from tests.helpers.kit_panes import loaded_keys, open_pane
from tests.helpers.pilot import settle
from tests.helpers.snapshots import shoot

SIZE = (120, 36)
SMALL = (80, 24)
USERS = 300


async def _deleted(pilot: Any, app: B2CApp) -> Any:
    """The pane, with an application (and its service principal) deleted too."""
    await settle(pilot, app)
    apps = await app.context.client.applications.list().collect()
    mobile = next(a for a in apps if a["displayName"] == "Contoso Mobile")
    await app.context.client.applications.delete(mobile["id"])
    return await open_pane(pilot, app, "deleted")


def test_pane(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _deleted(pilot, app)

    assert shoot(snap_compare, make_app(USERS), steps, SIZE)


def test_pane_80x24(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _deleted(pilot, app)

    assert shoot(snap_compare, make_app(USERS), steps, SMALL)


def test_restore_results_with_a_refusal(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await _deleted(pilot, app)
        deleted = app.context.connection.emulator.store.deleted
        _first, email = next(
            (key, i["issuerAssignedId"]) for key in loaded_keys(pane)
            for i in deleted.get(key).record.get("identities") or ()
            if i["signInType"] == "emailAddress")
        await app.context.client.users.create(build_local_account(
            app.context.tenant, display_name="Newcomer", email=email,
            password="Str0ng!Passw0rd"))
        for key in loaded_keys(pane)[:3]:
            pane.table.move_cursor(row=loaded_keys(pane).index(key))
            await pilot.press("space")
        await pilot.press("u")

    assert shoot(snap_compare, make_app(USERS), steps, SIZE)


def test_delete_for_good_confirmation(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _deleted(pilot, app)
        await pilot.press("ctrl+a")
        await pilot.press("D")

    assert shoot(snap_compare, make_app(USERS), steps, SIZE)
