"""The authentication methods policy pane (``:auth-policy``): one object shown beside its
JSON, edited as checkboxes and saved with one PATCH holding all three switches, Graph's
refusal in the dialog, exported as one row, read-only, and said plainly elsewhere."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from b2c_tui.graph.errors import GraphError
from b2c_tui.tui.dialogs.export import ExportDialog
from b2c_tui.tui.kit import SpecForm
from b2c_tui.tui.panes.auth_policy import AuthPolicyPane
from tests.helpers.identity_panes import (
    SIZE,
    Spy,
    choose,
    explorer,
    notes,
    open_pane,
    write_actions,
)
from tests.helpers.pilot import settle
from tests.helpers.users_pane import fill, screen_text

SWITCHES = ("isEmailPasswordAuthenticationEnabled", "isUserNameAuthenticationEnabled",
            "isPhoneOneTimePasswordAuthenticationEnabled")


async def open_policy(pilot: Any, app: Any) -> AuthPolicyPane:
    pane = await open_pane(pilot, app, "auth-policy", "auth-policy")
    assert isinstance(pane, AuthPolicyPane)
    return pane


async def test_shows_the_three_switches_and_the_json() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policy(pilot, app)
        policy = await app.context.client.b2c_auth_methods_policy.get()
        assert pane.record is not None and all(pane.record[k] == policy[k] for k in SWITCHES)
        text = screen_text(app)
        assert re.search(r"✓ on +Email and password", text)
        assert re.search(r"✗ off +User name and password", text)
        assert '"isUserNameAuthenticationEnabled": false' in text
        assert "coming" not in text.lower()


async def test_edit_saves_all_three_switches_with_one_patch() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policy(pilot, app)
        spy = Spy(app.context.client.b2c_auth_methods_policy, "update")
        await pilot.press("E")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        choose(form, "isUserNameAuthenticationEnabled", True)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert spy.calls == [({"isEmailPasswordAuthenticationEnabled": True,
                               "isUserNameAuthenticationEnabled": True,
                               "isPhoneOneTimePasswordAuthenticationEnabled": True},)]
        assert (await app.context.client.b2c_auth_methods_policy.get())[
            "isUserNameAuthenticationEnabled"] is True
        assert pane.record is not None and pane.record["isUserNameAuthenticationEnabled"]
        assert re.search(r"✓ on +User name and password", screen_text(app))


async def test_nothing_changed_is_said_in_the_form() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        await open_policy(pilot, app)
        spy = Spy(app.context.client.b2c_auth_methods_policy, "update")
        await pilot.press("E")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, SpecForm) and "Nothing changed" in screen_text(app)
        assert spy.calls == []


async def test_graph_refusal_is_shown_in_the_dialog() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        await open_policy(pilot, app)
        policy = app.context.client.b2c_auth_methods_policy

        async def refused(patch: Any) -> None:
            # What Graph answers a profile without Policy.ReadWrite.AuthenticationMethod.
            raise GraphError("Insufficient privileges to complete the operation.", status=403,
                             code="Authorization_RequestDenied")

        policy.update = refused  # type: ignore[method-assign]
        await pilot.press("E")
        await settle(pilot, app)
        form = app.screen
        choose(form, "isPhoneOneTimePasswordAuthenticationEnabled", False)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and not form.saving
        text = screen_text(app)
        assert "Graph refused the change (403 Authorization_RequestDenied)" in text
        assert "Insufficient privileges" in text
        assert form.query_one(  # type: ignore[attr-defined]
            "#field-isPhoneOneTimePasswordAuthenticationEnabled").value is False


async def test_export_writes_the_policy_as_one_row(tmp_path: Path) -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        await open_policy(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        target = tmp_path / "policy.csv"
        fill(dialog, {"path": str(target)})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        rows = list(csv.reader(target.open(encoding="utf-8")))
        assert rows == [["Email + password", "User name + password", "Phone one-time code"],
                        ["true", "false", "true"]]


async def test_read_only_shows_it_and_refuses_the_edit() -> None:
    app = explorer(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policy(pilot, app)
        assert pane.record is not None
        assert "edit" not in write_actions(app)
        await pilot.press("E")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert any("opened read-only" in n for n in notes(app))


async def test_an_external_id_tenant_is_told_plainly() -> None:
    app = explorer(tenant_type="CIAM")
    async with app.run_test(size=SIZE) as pilot:
        spy = Spy(app.context.client.b2c_auth_methods_policy, "get")
        pane = await open_policy(pilot, app)
        assert pane.record is None and spy.calls == []
        assert "exists only in Azure AD B2C tenants" in screen_text(app)
        assert "edit" not in write_actions(app)
