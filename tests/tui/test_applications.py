"""The applications pane (``:apps``): the list with its ``$batch`` joins (counted), expiring
credentials marked, the detail view, registering apps as B2C needs them, client secrets
(shown once, never kept), deletes, Graph's refusals in the dialogs, and read-only."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.dialogs.export import ExportRequest
from b2c_tui.tui.kit import DetailScreen, SpecForm
from b2c_tui.tui.panes.applications import ApplicationsPane
from b2c_tui.tui.panes.applications.listing import PAGE_SIZE
from b2c_tui.tui.panes.applications.pane import KEEP_EXTENSIONS
from b2c_tui.tui.panes.applications.secrets import ONCE, SecretOnceDialog
from tests.helpers.kit_panes import RequestLog, cursor_to, loaded_keys, open_pane
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.users_pane import fill, screen_text

SIZE = (200, 45)


def iso(days: float) -> str:
    return (FIXED_NOW + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def open_apps(pilot: Any, app: B2CApp) -> ApplicationsPane:
    pane = await open_pane(pilot, app, "apps")
    assert isinstance(pane, ApplicationsPane)
    return pane


async def app_named(app: B2CApp, name: str) -> dict[str, Any]:
    apps = await app.context.client.applications.list().collect()
    return next(a for a in apps if a["displayName"] == name)


def cell(pane: ApplicationsPane, row: int, label: str) -> str:
    labels = [c.label for c in pane.table.columns]
    return pane.table.row_texts(row)[labels.index(label)]


async def test_lists_apps_with_principals_grants_and_marked_credentials(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        api = app.context.client.applications
        web = await app_named(app, "Contoso Web")
        mobile = await app_named(app, "Contoso Mobile")
        await api.add_password(web["id"], display_name="soon", end=iso(12))
        await api.add_password(mobile["id"], display_name="fine", end=iso(200))
        pane = await open_apps(pilot, app)
        listed = await api.list().collect()
        assert pane.table.row_count == len(listed)
        row = [pane.table.row_key(r) for r in range(pane.table.row_count)].index(web["id"])
        assert cell(pane, row, "Secrets / certificates") == "⚠ secret ends in 12 days"
        assert cell(pane, row, "Principal") == "enabled"
        assert cell(pane, row, "Granted") == "openid offline_access"
        assert cell(pane, row, "Platforms") == "web"
        row = loaded_keys(pane).index(mobile["id"])
        assert cell(pane, row, "Secrets / certificates") == "1 secret"
        assert "coming" not in screen_text(app).lower()


async def test_an_expired_secret_is_marked_expired(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        api = app.context.client.applications
        web = await app_named(app, "Contoso Web")
        # Made 400 days ago for a year: it ended 35 days ago.
        app.context.connection.emulator.clock.set(FIXED_NOW - timedelta(days=400))
        await api.add_password(web["id"], end=iso(-35))
        app.context.connection.emulator.clock.set(FIXED_NOW)
        pane = await open_apps(pilot, app)
        row = loaded_keys(pane).index(web["id"])
        assert cell(pane, row, "Secrets / certificates") == "✗ secret ended 35 days ago"


async def test_the_joins_cost_one_batch_per_page_not_one_request_per_app(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        api = app.context.client.applications
        for n in range(2 * PAGE_SIZE + 5 - len(await api.list().collect())):
            await api.create({"displayName": f"Extra app {n:02}"})  # no service principal
        log = RequestLog(app)
        pane = await open_apps(pilot, app)
        while pane.table.has_more:  # scroll to the end: every page
            pane.fetch_next()
            await settle(pilot, app)
        assert pane.table.row_count == 2 * PAGE_SIZE + 5
        pages = log.count("GET", "/applications")
        assert pages == 3
        assert log.count("POST", "/$batch") == pages  # the service principals, a page each
        assert log.count("GET", "/oauth2PermissionGrants") == 1  # once per listing
        assert log.count("GET", "/servicePrincipals") == 0  # never one per app
        assert len(log.sent) == 2 * pages + 1
        extra = [r for r in range(pane.table.row_count)
                 if cell(pane, r, "Name").startswith("Extra app")]
        assert extra and all(cell(pane, r, "Principal") == "none" for r in extra)


async def test_filter_is_sent_to_graph_by_name_prefix_and_client_id(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        web = await app_named(app, "Contoso Web")
        log = RequestLog(app)
        pane.apply_filter("Contoso")
        await settle(pilot, app)
        assert {pane.records[k]["displayName"] for k in loaded_keys(pane)} == {
            "Contoso Web", "Contoso Mobile", "Contoso API"}
        assert log.count("GET", "/applications") == 1
        pane.apply_filter(web["appId"])
        await settle(pilot, app)
        assert loaded_keys(pane) == [web["id"]]


async def test_detail_view_shows_credentials_masked_and_the_grants(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        web = await app_named(app, "Contoso Web")
        added = await app.context.client.applications.add_password(
            web["id"], display_name="prod", end=iso(12))
        pane = await open_apps(pilot, app)
        await cursor_to(pilot, app, pane, id=web["id"])
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "prod" in text and f"{added['hint']}•••" in text
        assert "⚠ expires in 12 days" in text and added["keyId"] in text
        assert added["secretText"] not in text
        assert "Microsoft Graph" in text and "openid offline_access" in text  # the grant
        assert "https://jwt.ms" in text and '"appId"' in text
        assert "@joined" not in text  # the raw JSON is what Graph sent
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def _register(pilot: Any, app: B2CApp, values: dict[str, str], kind: str) -> SpecForm:
    await pilot.press("n")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, SpecForm)
    fill(dialog, values)
    dialog.query_one("#field-kind").value = kind  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    return dialog


async def test_register_a_web_app_with_its_principal_and_sign_in_consent(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        before = pane.table.row_count
        await _register(pilot, app, {"displayName": "Orders web",
                                     "redirectUris": "https://orders.example/auth"}, "web")
        assert app.screen is app.screen_stack[0]
        assert pane.table.row_count == before + 1
        created = await app_named(app, "Orders web")
        assert created["web"]["redirectUris"] == ["https://orders.example/auth"]
        assert created["signInAudience"] == "AzureADandPersonalMicrosoftAccount"
        assert created["api"]["requestedAccessTokenVersion"] == 2
        api = app.context.client.applications
        sp = await api.get_service_principal_by_app_id(created["appId"])
        grants = await api.list_permission_grants().collect()
        assert [g["scope"] for g in grants if g["clientId"] == sp["id"]] == [
            "openid offline_access"]
        row = loaded_keys(pane).index(created["id"])
        assert cell(pane, row, "Granted") == "openid offline_access"


async def test_register_an_api_with_scopes(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await open_apps(pilot, app)
        await _register(pilot, app, {
            "displayName": "Orders API", "scopes": "orders.read orders.write",
            "identifierUri": "https://contosob2c.onmicrosoft.com/orders"}, "api")
        assert app.screen is app.screen_stack[0]
        created = await app_named(app, "Orders API")
        assert created["identifierUris"] == ["https://contosob2c.onmicrosoft.com/orders"]
        scopes = created["api"]["oauth2PermissionScopes"]
        assert [s["value"] for s in scopes] == ["orders.read", "orders.write"]
        assert all(s["isEnabled"] and s["id"] for s in scopes)


async def test_the_form_refuses_what_graph_would_before_sending(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await open_apps(pilot, app)
        log = RequestLog(app)
        dialog = await _register(pilot, app, {"displayName": "No redirect"}, "spa")
        assert app.screen is dialog and log.sent == []
        assert "redirect URI" in str(dialog.query_one("#error-redirectUris").render())
        fill(dialog, {"redirectUris": "http://orders.example/cb"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "https" in str(dialog.query_one("#error-redirectUris").render())
        assert log.sent == []


async def test_graph_refusal_is_shown_beside_the_field_and_the_input_kept(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await open_apps(pilot, app)
        taken = "https://contosob2c.onmicrosoft.com/api"  # Contoso API's App ID URI
        dialog = await _register(pilot, app, {"displayName": "Copy", "scopes": "x.read",
                                              "identifierUri": taken}, "api")
        assert app.screen is dialog and not dialog.saving
        assert dialog.query_one("#field-identifierUri").value == taken  # type: ignore
        assert "identifierUris" in str(dialog.query_one("#error-identifierUri").render())
        assert "Graph refused" in screen_text(app)


async def test_a_new_secret_is_shown_once_copied_and_kept_nowhere(
        make_app, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        api_app = await cursor_to(pilot, app, pane, displayName="Contoso API")
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("a")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        fill(form, {"displayName": "ci deploy"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, SecretOnceDialog)
        shown = screen_text(app)
        assert ONCE.split(":")[0] in shown
        stored = (await app.context.client.applications.get(api_app["id"]))[
            "passwordCredentials"]
        assert len(stored) == 1 and stored[0]["secretText"] is None
        secret = str(dialog.query_one("#secret-value").render()).strip()
        assert secret.startswith(stored[0]["hint"]) and len(secret) >= 16 and secret in shown
        await pilot.press("escape")  # not copied yet: it asks again
        await settle(pilot, app)
        assert app.screen is dialog and "Not copied yet" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, app)
        assert copied == [secret]
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        # Nowhere else: the list, its records, an export, the logs.
        row = loaded_keys(pane).index(api_app["id"])
        assert cell(pane, row, "Secrets / certificates") == "1 secret"
        assert secret not in repr(pane.records) and secret not in screen_text(app)
        out = tmp_path / "apps.csv"
        result = await pane.run_export(ExportRequest(out, whole=True)).wait()
        assert result.ok and api_app["id"] in out.read_text()
        assert secret not in out.read_text()
        assert secret not in caplog.text


async def test_remove_a_secret_confirms_with_its_key_id(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        api = app.context.client.applications
        web = await app_named(app, "Contoso Web")
        keep = await api.add_password(web["id"], display_name="keep", end=iso(300))
        drop = await api.add_password(web["id"], display_name="drop", end=iso(100))
        pane = await open_apps(pilot, app)
        await cursor_to(pilot, app, pane, id=web["id"])
        await pilot.press("X")
        await settle(pilot, app)
        chooser = app.screen
        assert isinstance(chooser, SpecForm)
        chooser.query_one("#field-keyId").value = drop["keyId"]  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert drop["keyId"] in text and "drop" in text and drop["secretText"] not in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        left = (await api.get(web["id"]))["passwordCredentials"]
        assert [c["keyId"] for c in left] == [keep["keyId"]]


async def test_delete_confirms_naming_the_app_and_its_id(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        mobile = await cursor_to(pilot, app, pane, displayName="Contoso Mobile")
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert "Contoso Mobile" in text and mobile["id"] in text and "Deleted items" in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert mobile["id"] not in loaded_keys(pane)
        deleted = await app.context.client.deleted_items.list("application").collect()
        assert mobile["id"] in {d["id"] for d in deleted}


async def test_the_extensions_app_is_not_deleted_from_here(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        row = next(r for r in range(pane.table.row_count)
                   if cell(pane, r, "Name").startswith("b2c-extensions-app"))
        pane.table.move_cursor(row=row)
        await settle(pilot, app)
        assert pane.check_action("delete", ()) is None
        assert KEEP_EXTENSIONS in pane.status_note()
        await pilot.press("d")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def test_read_only_hides_every_write_and_says_why(make_app) -> None:
    app = make_app(users=5, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_apps(pilot, app)
        await cursor_to(pilot, app, pane, displayName="Contoso Web")
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"create", "delete", "add_secret", "remove_secret"}
        for key in ("n", "d", "a", "X"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        notes = [n.message for n in app._notifications]
        assert any("Read-only" in n and "Add secret" in n for n in notes)



async def test_tenant_text_is_shown_literally(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        evil = "[bold]Evil[/bold] \x1b]0;pwned\x07app"
        created = await app.context.client.applications.create({"displayName": evil})
        await app.context.client.applications.add_password(
            created["id"], display_name="[red]x[/red]\x1b[2J", end=iso(100))
        pane = await open_apps(pilot, app)
        await cursor_to(pilot, app, pane, id=created["id"])
        text = screen_text(app)
        assert "[bold]Evil[/bold]" in text and "\x1b" not in text
        await pilot.press("enter")
        await settle(pilot, app)
        text = screen_text(app)
        assert "[bold]Evil[/bold]" in text and "[red]x[/red]" in text and "\x1b" not in text
