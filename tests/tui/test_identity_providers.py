"""The identity providers pane (``:idps``): every kind listed, secrets never shown, the types
Graph offers in the create form, write-only secrets on edit, built-in ones read-only, delete
confirmed, Graph's refusal in the dialog, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen, SpecForm
from b2c_tui.tui.panes.identity_providers import (
    BUILT_IN_NOTE,
    IdentityProvidersPane,
    _editable,
)
from tests.helpers.identity_panes import (
    SIZE,
    Spy,
    choices,
    choose,
    explorer,
    notes,
    open_pane,
    write_actions,
)
from tests.helpers.kit_panes import cursor_to, loaded_keys, row_where
from tests.helpers.pilot import settle
from tests.helpers.users_pane import fill, screen_text


async def open_idps(pilot: Any, app: Any) -> IdentityProvidersPane:
    pane = await open_pane(pilot, app, "idps", "identity-providers")
    assert isinstance(pane, IdentityProvidersPane)
    return pane


async def test_lists_every_kind_without_secrets() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        listed = await app.context.client.identity_providers.list(version="beta").collect()
        assert sorted(loaded_keys(pane)) == sorted(p["id"] for p in listed)
        kinds = {pane.table.row_texts(r)[2] for r in range(pane.table.row_count)}
        assert kinds == {"Built-in", "Social", "OpenID Connect"}
        text = screen_text(app)
        assert "GitHub für Zoë's Team" in text and "coming" not in text.lower()
        assert "******" not in text and "secret" not in text.lower()
        assert "clientSecret" not in {c.key for c in pane.table.columns}


async def test_detail_masks_the_secret_and_says_how_to_replace_it() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        pane.table.move_cursor(row=row_where(pane, id="Google-OAUTH"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Google-OAUTH" in text and "Client id" in text
        assert "write-only: never shown" in text and "******" not in text
        assert app.screen.record is not None and app.screen.record["clientSecret"] == "******"


async def test_create_offers_the_types_graph_offers_then_their_form() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        spy = Spy(app.context.client.identity_providers, "create")
        await pilot.press("n")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, SpecForm)
        offered = await app.context.client.identity_providers.available_provider_types()
        assert choices(picker, "providerType") == offered
        choose(picker, "providerType", "Amazon")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm) and form is not picker
        assert "Amazon" in screen_text(app)
        fill(form, {"displayName": "Amazon", "clientId": "amzn1.application-oa2-client.1",
                    "clientSecret": "s3cr3t-value"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        body = spy.calls[0][0]
        assert body["@odata.type"] == "#microsoft.graph.socialIdentityProvider"
        assert body["identityProviderType"] == "Amazon" and "providerType" not in body
        assert "Amazon-OAUTH" in loaded_keys(pane)
        assert "s3cr3t-value" not in screen_text(app)


async def test_create_an_openid_connect_provider_with_its_claims() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "providerType", "OpenIdConnect")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"displayName": "Contoso", "clientId": "c1", "clientSecret": "x",
                    "metadataUrl": "https://login.contoso.com/.well-known/openid-configuration",
                    "scope": "openid profile", "claim_userId": "sub",
                    "claim_displayName": "name"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0], screen_text(app)
        created = next(r for r in pane.records.values() if r.get("displayName") == "Contoso")
        assert created["claimsMapping"] == {"userId": "sub", "displayName": "name"}


async def test_the_form_refuses_before_sending_and_graph_refusal_keeps_the_input() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        await open_idps(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "providerType", "OpenIdConnect")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"displayName": "Bad", "clientId": "c1", "scope": "profile",
                    "metadataUrl": "http://example.com/x", "claim_userId": "sub",
                    "claim_displayName": "name"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        text = screen_text(app)
        assert app.screen is form and "must contain openid" in text
        assert "well-known/openid-configuration" in text
        form.dismiss(None)
        await settle(pilot, app)
        # Google is configured already: Graph refuses, the dialog shows it and keeps the input.
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "providerType", "Google")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"displayName": "Google again", "clientId": "g2", "clientSecret": "x"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and not form.saving
        assert "Graph refused" in screen_text(app) and "already exists" in screen_text(app)
        assert form.query_one("#field-clientId").value == "g2"  # type: ignore[attr-defined]


async def test_edit_never_shows_the_secret_and_keeps_it_unless_a_new_one_is_typed() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        spy = Spy(app.context.client.identity_providers, "update")
        pane.table.move_cursor(row=row_where(pane, id="Facebook-OAUTH"))
        await pilot.press("E")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        assert form.query_one("#field-clientSecret").value == ""  # type: ignore[attr-defined]
        fill(form, {"displayName": "Facebook login"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert spy.calls[-1][:2] == ("Facebook-OAUTH", {
            "@odata.type": "#microsoft.graph.socialIdentityProvider",
            "displayName": "Facebook login"})
        pane.table.move_cursor(row=row_where(pane, id="Facebook-OAUTH"))
        await pilot.press("E")
        await settle(pilot, app)
        fill(app.screen, {"clientSecret": "rotated-secret"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert spy.calls[-1][1]["clientSecret"] == "rotated-secret"
        assert "displayName" not in spy.calls[-1][1]
        assert "rotated-secret" not in screen_text(app)


async def test_built_in_providers_cannot_be_changed() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        await cursor_to(pilot, app, pane, id="EmailPassword-OAUTH")
        assert pane.check_action("edit", ()) is None and pane.check_action("delete", ()) is None
        assert BUILT_IN_NOTE in pane.status_note()
        for key in ("E", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]


async def test_delete_confirms_naming_the_provider_and_its_id() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        pane.table.move_cursor(row=row_where(pane, id="GitHub-OAUTH"))
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert "GitHub für Zoë's Team" in text and "GitHub-OAUTH" in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert "GitHub-OAUTH" not in loaded_keys(pane)
        left = await app.context.client.identity_providers.list(version="beta").collect()
        assert "GitHub-OAUTH" not in {p["id"] for p in left}


async def test_filter_narrows_the_loaded_rows() -> None:
    app = explorer()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*"oauth", "enter")
        await settle(pilot, app)
        assert set(loaded_keys(pane)) == {"EmailPassword-OAUTH", "EmailOtpSignup-OAUTH",
                                     "Facebook-OAUTH", "Google-OAUTH", "Microsoft-OAUTH",
                                     "GitHub-OAUTH"}
        assert "loaded rows" in pane.status_note()


async def test_apple_key_is_read_from_its_file(tmp_path: Path) -> None:
    app = explorer()
    key = tmp_path / "AuthKey.p8"
    key.write_text("-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMG\n-----END PRIVATE KEY-----\n")
    async with app.run_test(size=SIZE) as pilot:
        await open_idps(pilot, app)
        spy = Spy(app.context.client.identity_providers, "create")
        await pilot.press("n")
        await settle(pilot, app)
        choose(app.screen, "providerType", "AppleManaged")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen
        fill(form, {"displayName": "Apple", "developerId": "TEAM1", "serviceId": "com.app",
                    "keyId": "K1", "certificateData": str(tmp_path / "missing.p8")})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and "Cannot read" in screen_text(app)
        fill(form, {"certificateData": str(key)})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert spy.calls[0][0]["certificateData"].startswith("-----BEGIN PRIVATE KEY")
        assert "MIGTAgEAMBMG" not in screen_text(app)


async def test_read_only_hides_every_write() -> None:
    app = explorer(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_idps(pilot, app)
        await cursor_to(pilot, app, pane, id="Google-OAUTH")
        assert not write_actions(app) & {"create", "edit", "delete"}
        for key in ("n", "E", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        assert sum("opened read-only" in n for n in notes(app)) == 3


def test_the_edit_form_reads_claims_only_from_a_mapping() -> None:
    # claimsMapping as Graph sends it becomes fields of their own; anything else is ignored
    # (it used to be iterated with .items() before the type was looked at).
    assert _editable({"id": "x", "claimsMapping": {"userId": "sub"}})["claim_userId"] == "sub"
    assert _editable({"id": "x", "claimsMapping": ["sub"]}) == {"id": "x",
                                                               "claimsMapping": ["sub"]}
