"""SVG snapshots of the applications pane (seeded demo tenant, fixed clock, b2c-dark): the
list with expiring credentials marked, the detail view, the new secret shown once, the
create form with Graph's refusal; 120x36 and 80x24."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from b2c_tui.tui.app import B2CApp
from tests.helpers.kit_panes import cursor_to, open_pane
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.snapshots import shoot
from tests.helpers.users_pane import fill

SIZE = (120, 36)
SMALL = (80, 24)


def _iso(days: int) -> str:
    return (FIXED_NOW + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _apps(pilot: Any, app: B2CApp) -> Any:
    """The pane over a tenant whose Contoso Web secret ends in 12 days and whose Contoso
    API has a secret for the year and a certificate-free record."""
    await settle(pilot, app)
    api = app.context.client.applications
    apps = {a["displayName"]: a for a in await api.list().collect()}
    await api.add_password(apps["Contoso Web"]["id"], display_name="production",
                           end=_iso(12))
    await api.add_password(apps["Contoso API"]["id"], display_name="ci deploy",
                           end=_iso(180))
    return await open_pane(pilot, app, "apps")


def test_pane(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await _apps(pilot, app)
        await cursor_to(pilot, app, pane, displayName="Contoso Web")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_pane_80x24(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _apps(pilot, app)

    assert shoot(snap_compare, make_app(users=5), steps, SMALL)


def test_detail_view(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await _apps(pilot, app)
        await cursor_to(pilot, app, pane, displayName="Contoso Web")
        await pilot.press("enter")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_secret_shown_once(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        pane = await _apps(pilot, app)
        await cursor_to(pilot, app, pane, displayName="Contoso Mobile")
        await pilot.press("a")
        await settle(pilot, app)
        fill(app.screen, {"displayName": "release pipeline"})
        await pilot.press("ctrl+s")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)


def test_create_dialog_with_graph_error(snap_compare: Any, make_app: Any) -> None:
    async def steps(pilot: Any, app: B2CApp) -> None:
        await _apps(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        fill(app.screen, {"displayName": "Orders API", "scopes": "orders.read",
                          "identifierUri": "https://contosob2c.onmicrosoft.com/api"})
        app.screen.query_one("#field-kind").value = "api"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")

    assert shoot(snap_compare, make_app(users=5), steps, SIZE)
