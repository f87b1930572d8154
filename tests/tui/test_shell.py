"""The shell: demo tenant on screen, navigation, `:` jump, help, read-only, production mark."""

from __future__ import annotations

import pytest
from textual.widgets import ContentSwitcher, Static

from b2c_tui.tui.kit.base import ComingPane
from b2c_tui.tui.panes.users import UsersPane
from b2c_tui.tui.screens.help import HelpScreen
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.pilot import settle


async def test_opens_on_demo_tenant_and_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        status = app.query_one(StatusLine)
        assert status.mode == "demo"
        assert "DEMO" in str(status.render())
        assert "contosob2c.onmicrosoft.com" in str(status.render())
        pane = app.pane("users")
        assert isinstance(pane, UsersPane)
        assert pane.table.row_count > 0


async def test_colon_jumps_to_a_pane_by_name_or_alias(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("colon")
        await pilot.press(*"keys")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.current_pane == "keysets"
        await pilot.press("colon", *"nonsense", "enter")
        await settle(pilot, app)
        assert app.current_pane == "keysets"  # unknown names change nothing


async def test_coming_panes_say_so(make_app) -> None:
    from b2c_tui.tui.registry import PANES

    coming = next((p for p in PANES if p.pane is None), None)
    if coming is None:
        pytest.skip("every pane is built")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        app.show_pane(coming.id)
        await settle(pilot, app)
        pane = app.pane(coming.id)
        assert isinstance(pane, ComingPane)
        assert app.query_one(ContentSwitcher).current == pane.id
        text = str(pane.query_one(".coming", Static).render())
        assert "Coming: this pane is not built yet" in text
        assert coming.title in text


async def test_help_lists_bindings_with_ids(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for binding_id in ("app.goto", "app.filter", "users.find", "table.sort"):
            assert binding_id in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, HelpScreen)


async def test_every_app_binding_has_an_id(make_app) -> None:
    from b2c_tui.tui.screens.help import binding_sections

    app = make_app()
    for _, bindings in binding_sections(type(app), own_only=True):
        for binding in bindings:
            assert binding.id, f"binding {binding.key} -> {binding.action} has no id"


async def test_read_only_is_shown(make_app) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        assert "READ-ONLY" in str(app.query_one(StatusLine).render())
        assert app.context.client.read_only


async def test_switching_tenant_rebuilds_every_pane_on_the_new_connection(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        old_connection = app.context.connection
        old_pane = app.pane("users")
        app.action_switch_profile("")  # '' opens the demo tenant (the palette's choice)
        await settle(pilot, app)
        assert app.context.connection is not old_connection
        pane = app.pane("users")
        assert isinstance(pane, UsersPane) and pane is not old_pane
        assert pane.table.row_count > 0
        assert app.current_pane == "users"
        assert any(n.message.startswith("Opened") for n in app._notifications)


async def test_footer_follows_enabled_actions_without_rebuilding_for_nothing(make_app) -> None:
    from b2c_tui.tui.widgets.footer import BindingsFooter

    def bulk_delete_enabled() -> bool:
        [item] = [i for i in footer.items if i.action == "bulk_delete"]
        return item.enabled

    app = make_app(50)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        footer = app.query_one(BindingsFooter)
        assert not bulk_delete_enabled()  # nothing selected yet
        before = footer.updates
        await pilot.press("down", "down", "pagedown", "home")
        app.pane("users").refresh_bindings()  # bindings asked again, nothing changed
        await settle(pilot, app)
        assert footer.updates == before
        await pilot.press("space")  # a selection enables bulk delete
        await settle(pilot, app)
        assert footer.updates == before + 1
        assert bulk_delete_enabled()
