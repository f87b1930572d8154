"""The policy keys pane (``:keys``) through Pilot on the demo tenant (fixed clock): keys with
their state and days to expiry (glyphs and colours), no secret anywhere, the detail view, every
key workflow (new keyset, generate, secret, certificate, PKCS#12 with a wrong and a right
password, rotation, delete naming the policies), key health leading to its keyset, Graph's
refusal in the dialog, and read-only."""

from __future__ import annotations

import csv
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input

from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen
from b2c_tui.tui.panes.keys import KeysPane
from b2c_tui.tui.panes.keys.forms import KeyDialog, RotationDialog
from b2c_tui.tui.panes.keys.health import KeyHealthScreen
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.policies import certificate
from tests.helpers.policies_pane import make_recorded_app, notes, open_pane, refuse, row_of
from tests.helpers.users_pane import fill, screen_text

SIZE = (160, 40)
PRIVATE = ("k", "d", "p", "q", "dp", "dq", "qi")
SIGNING = "B2C_1A_TokenSigningKeyContainer"
GOOGLE = "B2C_1A_GoogleSecret"
REST_CERT = "B2C_1A_RestApiClientCertificate"


async def open_keys(pilot: Any, app: Any) -> KeysPane:
    pane = await open_pane(pilot, app, "keys")
    assert isinstance(pane, KeysPane)
    return pane


def rows(pane: KeysPane) -> list[dict[str, Any]]:
    return [pane.records[pane.table.row_key(r)] for r in range(pane.table.row_count)]


def first_row(pane: KeysPane, keyset: str) -> int:
    return next(r for r in range(pane.table.row_count)
                if pane.records[pane.table.row_key(r)]["keyset"] == keyset)


def keyset_keys(app: Any, keyset: str) -> list[Any]:
    stored = app.context.connection.emulator.store.identity.keysets.get(keyset)
    return [] if stored is None else list(stored.keys)


async def new_keyset_from_file(pilot: Any, app: Any, keyset: str, path: Path) -> Any:
    """``n``, then a new keyset whose key is the certificate at ``path``; the dialog."""
    await pilot.press("n")
    await settle(pilot, app)
    return await save(pilot, app, {"keyset": keyset, "path": str(path)}, kind="certificate")


def valid_certificate(tmp_path: Path, name: str, **options: Any) -> Path:
    """A certificate (or, with ``password``, a PFX) valid from yesterday for a year."""
    return certificate(tmp_path, name, starts=FIXED_NOW - timedelta(days=1),
                       ends=FIXED_NOW + timedelta(days=365), **options)


async def save(pilot: Any, app: Any, values: dict[str, str], kind: str | None = None) -> Any:
    dialog = app.screen
    assert isinstance(dialog, KeyDialog | RotationDialog), type(dialog)
    if kind is not None:
        dialog.query_one("#field-kind").value = kind  # type: ignore[attr-defined]
        await settle(pilot, app)
    fill(dialog, values)
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    return dialog


async def test_keys_with_state_days_and_glyphs_and_no_secret_anywhere(tmp_path: Path) -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        listed = rows(pane)
        assert len(listed) == 7
        signing = [r for r in listed if r["keyset"] == SIGNING]
        assert [r["state"] for r in signing] == ["✗ expired", "● active"]
        google = next(r for r in listed if r["keyset"] == GOOGLE)
        assert google["state"] == "⚠ active" and google["days"] == 7
        assert next(r for r in listed if r["keyset"] == REST_CERT)["state"] == "✗ expired"
        for record in listed:
            for key in [record, *record["keys"]]:
                assert set(key).isdisjoint(PRIVATE)
        # Colour follows what the cell says (and the glyph says it without colour).
        tones = pane.table.tones
        assert tones["days"]("7") == "warning" and tones["days"]("-3") == "error"
        assert tones["days"]("165") is None
        assert tones["state"]("✗ expired") == "error" and tones["state"]("● active") == \
            "success"
        text = screen_text(app)
        assert "⚠ active" in text and "✗ expired" in text
        assert "6 keyset(s), 7 key(s) · ✗ 1 error(s)" in text
        # An export is the view: public facts only.
        out = tmp_path / "keys.csv"
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        dialog.query_one("#field-path").value = str(out)  # type: ignore[attr-defined]
        dialog.query_one("#field-scope").value = "loaded"  # type: ignore[attr-defined]
        dialog.action_save()  # type: ignore[attr-defined]
        await settle(pilot, app)
        exported = list(csv.reader(out.open(encoding="utf-8")))
        assert exported[0] == [c.label for c in pane.frame.columns]
        assert len(exported) == 8 and not any("secret" in c.lower() or "private" in c.lower()
                                              for c in exported[0])


async def test_detail_view_shows_the_keyset_and_public_json_only() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        pane.table.move_cursor(row=first_row(pane, SIGNING))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Keys of the keyset" in text and '"kid"' in text and "●" in text
        assert '"k"' not in text and '"d"' not in text


async def test_new_keyset_with_a_generated_rsa_key_is_created_then_keyed() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, KeyDialog)
        assert not dialog.query_one("#row-secret").display  # only what the kind needs
        await save(pilot, app, {"keyset": "ApiSigning", "exp": "2027-11-01"})
        assert app.screen is app.screen_stack[0]
        posts = [path for method, path in recorder.writes() if method == "POST"]
        assert posts == ["/beta/trustFramework/keySets",
                         "/beta/trustFramework/keySets/B2C_1A_ApiSigning/generateKey"]
        created = [r for r in rows(pane) if r["keyset"] == "B2C_1A_ApiSigning"]
        assert len(created) == 1 and created[0]["kty"] == "RSA"
        assert created[0]["exp"].startswith("2027-11-01")
        assert pane.records[pane.table.row_key(pane.table.cursor_row)]["keyset"] == \
            "B2C_1A_ApiSigning"  # the cursor follows the new keyset


async def test_upload_a_secret_never_shows_or_logs_it(caplog: Any) -> None:
    app, _ = make_recorded_app()
    secret = "s3cr3t-value-9f2c"
    with caplog.at_level(logging.DEBUG):
        async with app.run_test(size=SIZE) as pilot:
            pane = await open_keys(pilot, app)
            await pilot.press("n")
            await settle(pilot, app)
            dialog = app.screen
            dialog.query_one("#field-kind").value = "secret"  # type: ignore[attr-defined]
            await settle(pilot, app)
            assert dialog.query_one("#field-secret", Input).password  # masked
            await save(pilot, app, {"keyset": "B2C_1A_PartnerSecret", "secret": secret})
            assert app.screen is app.screen_stack[0]
            created = [r for r in rows(pane) if r["keyset"] == "B2C_1A_PartnerSecret"]
            assert created and created[0]["kty"] == "oct"
            assert secret not in screen_text(app)
            assert all(secret not in n for n in notes(app))
    assert secret not in caplog.text


async def test_rsa_cannot_join_a_keyset_of_secrets_nothing_is_sent() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        pane.table.move_cursor(row=first_row(pane, GOOGLE))
        await pilot.press("a")
        await settle(pilot, app)
        dialog = await save(pilot, app, {}, kind="generate:RSA")
        assert app.screen is dialog
        assert "does not mix RSA and oct keys" in " ".join(screen_text(app).split())
        assert recorder.writes() == []


async def test_certificate_upload_and_a_pfx_with_a_wrong_then_right_password(
        tmp_path: Path) -> None:
    cer = valid_certificate(tmp_path, "api-client")
    pfx = valid_certificate(tmp_path, "api-pfx", password="right-pass")
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        await new_keyset_from_file(pilot, app, "B2C_1A_ApiCert", cer)
        assert app.screen is app.screen_stack[0]
        assert [r["kty"] for r in rows(pane) if r["keyset"] == "B2C_1A_ApiCert"] == ["RSA"]
        await pilot.press("n")
        await settle(pilot, app)
        writes = len(recorder.writes())
        dialog = await save(pilot, app, {"keyset": "B2C_1A_ApiPfx", "path": str(pfx),
                                         "password": "wrong-pass"}, kind="pkcs12")
        assert app.screen is dialog and len(recorder.writes()) == writes  # nothing sent
        error = dialog.query_one("#error-password")
        assert error.has_class("-shown") and "password" in str(error.render()).lower()
        assert dialog.query_one("#field-path", Input).value == str(pfx)  # input kept
        fill(dialog, {"password": "right-pass"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert any(r["keyset"] == "B2C_1A_ApiPfx" for r in rows(pane))
        assert all("right-pass" not in n for n in notes(app))


async def test_graph_refusal_is_shown_in_the_dialog_and_the_empty_keyset_removed() -> None:
    app, recorder = make_recorded_app()
    recorder.rules.append(refuse("POST", "/generateKey", 400,
                                 "The key options are not valid for this keyset.",
                                 code="BadRequest"))
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = await save(pilot, app, {"keyset": "B2C_1A_Refused"})
        assert app.screen is dialog and not dialog.saving
        text = " ".join(screen_text(app).split())
        assert "not valid for this keyset" in text and "deleted again" in text
        assert dialog.query_one("#field-keyset", Input).value == "B2C_1A_Refused"
        assert app.context.connection.emulator.store.identity.keysets.get(
            "B2C_1A_Refused") is None


async def test_guided_rotation_explains_and_stages_a_future_key() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        pane.table.move_cursor(row=first_row(pane, "B2C_1A_TokenEncryptionKeyContainer"))
        await pilot.press("R")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, RotationDialog)
        text = " ".join(screen_text(app).split())
        assert "Until then nothing changes" in text and "activates the new key" in text
        assert dialog.plan.spec.nbf is not None and dialog.plan.spec.nbf > FIXED_NOW
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        states = [r["state"] for r in rows(pane)
                  if r["keyset"] == "B2C_1A_TokenEncryptionKeyContainer"]
        assert sorted(states) == sorted(["● active", "◌ not yet valid"])


async def test_delete_names_the_policies_that_use_the_keyset() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        pane.table.move_cursor(row=first_row(pane, SIGNING))
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = " ".join(screen_text(app).split())
        assert SIGNING in text and "B2C_1A_TrustFrameworkBase" in text
        assert "cannot be restored" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert recorder.writes() == []
        pane.table.move_cursor(row=first_row(pane, "B2C_1A_AADAppSecret"))
        await pilot.press("d")
        await settle(pilot, app)
        assert "No policy refers to it" in " ".join(screen_text(app).split())
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        assert recorder.writes() == [("DELETE", "/beta/trustFramework/keySets/"
                                                "B2C_1A_AADAppSecret")]
        assert all(r["keyset"] != "B2C_1A_AADAppSecret" for r in rows(pane))


async def test_health_lists_findings_and_each_leads_to_its_keyset() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, KeyHealthScreen)
        found = {(p.rule, p.keyset_id) for p in screen.items}
        assert ("keyset-no-active-key", REST_CERT) in found
        assert ("key-expiring", GOOGLE) in found and ("keyset-unused", GOOGLE) in found
        assert screen.items[0].severity == "error"
        index = next(i for i, p in enumerate(screen.items) if p.keyset_id == GOOGLE)
        screen.query_one("#key-health-list").highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert pane.records[pane.table.row_key(pane.table.cursor_row)]["keyset"] == GOOGLE


async def test_health_offers_to_create_a_keyset_policies_need() -> None:
    app, _ = make_recorded_app()
    store = app.context.connection.emulator.store.identity.keysets
    store.pop("B2C_1A_FacebookSecret")
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, KeyHealthScreen)
        index = next(i for i, p in enumerate(screen.items) if p.rule == "keyset-missing")
        assert "B2C_1A_Social_TrustFrameworkBase" in screen.items[index].policies
        screen.query_one("#key-health-list").highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, KeyDialog)
        assert dialog.query_one("#field-keyset", Input).value == "B2C_1A_FacebookSecret"


async def test_read_only_hides_every_key_write() -> None:
    app, recorder = make_recorded_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        pane.table.move_cursor(row=row_of(pane, pane.table.row_key(0)))
        await settle(pilot, app)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"create", "add_key", "rotate", "delete"}
        assert "health" in actions
        for key in ("n", "a", "R", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        assert sum("Read-only" in n for n in notes(app)) == 4
        assert recorder.writes() == []


async def test_the_key_file_is_opened_off_the_event_loop(tmp_path: Path, monkeypatch) -> None:
    """Reading and opening a certificate or PFX (file I/O, PKCS#12 key derivation) happens in
    a thread: the UI keeps drawing meanwhile."""
    import threading

    from b2c_tui.tui.panes.keys import flows

    cer = valid_certificate(tmp_path, "api-thread")
    threads: list[threading.Thread] = []
    real = flows.plan_add_key

    def plan(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(flows, "plan_add_key", plan)
    app, _recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_keys(pilot, app)
        await new_keyset_from_file(pilot, app, "B2C_1A_ApiThread", cer)
        assert app.screen is app.screen_stack[0]
        assert any(r["keyset"] == "B2C_1A_ApiThread" for r in rows(pane))
    assert threads and all(t is not threading.main_thread() for t in threads)
