"""The change journal on its own: the file, its permissions, secrets, damaged lines, lookups."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from b2c_tui import paths
from b2c_tui.changes import MARKER, Change, Journal, JournalError, Mark
from b2c_tui.changes.journal import FILE_NAME

UID = "00000000-0000-0000-0000-0000000000a1"
PASSWORD = "Sup3r!Secret#Passw0rd"
SECRET_TEXT = "app-client-secret-value~Zq8"
JWK_D = "private-exponent-d-value-xyz"
JWK_K = "symmetric-key-k-value-abc"


def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "j" / FILE_NAME, tenant="contoso.onmicrosoft.com", profile="dev",
                   clock=lambda: "2026-12-01T10:00:00Z")


def test_entries_are_recorded_pending_then_marked(tmp_path: Path) -> None:
    j = journal(tmp_path)
    change = Change.update("user", UID, {"displayName": "New"}, old={"displayName": "Old"},
                           display_name="Old")
    [entry] = j.record([change], commit="c1")
    assert (entry.state, entry.op, entry.kind, entry.path) == ("pending", "update", "user",
                                                               f"/users/{UID}")
    assert (entry.old, entry.new, entry.profile, entry.tenant) == (
        {"displayName": "Old"}, {"displayName": "New"}, "dev", "contoso.onmicrosoft.com")
    assert j.pending() == [entry]
    j.mark([Mark(entry.id, "failed", "Graph said no", "Request_BadRequest")])
    [again] = j.entries()
    assert (again.state, again.message, again.code) == ("failed", "Graph said no",
                                                       "Request_BadRequest")
    assert j.pending() == []
    # Append-only: the first line is still there, untouched.
    lines = j.path.read_text().splitlines()
    assert len(lines) == 2 and '"type":"entry"' in lines[0] and '"type":"state"' in lines[1]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_file_is_private_to_the_user(tmp_path: Path) -> None:
    j = journal(tmp_path)
    old = os.umask(0o022)
    try:
        j.record([Change.delete("user", UID)])
    finally:
        os.umask(old)
    assert stat.S_IMODE(j.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(j.path.parent.stat().st_mode) == 0o700
    j.path.chmod(0o644)  # loosened by hand: the next write tightens it again
    j.mark([Mark(j.entries()[0].id, "done")])
    assert stat.S_IMODE(j.path.stat().st_mode) == 0o600


def test_nothing_secret_is_written(tmp_path: Path) -> None:
    j = journal(tmp_path)
    j.record([
        Change.update("user", UID, {
            "passwordProfile": {"password": PASSWORD, "forceChangePasswordNextSignIn": False},
            "displayName": "Kept",
        }, old={"displayName": "Before"}),
        Change.update("application", UID, {
            "passwordCredentials": [{"displayName": "ci", "secretText": SECRET_TEXT}],
            "keyCredentials": [{"key": "TUlJQ0...", "type": "AsymmetricX509Cert"}],
        }),
        Change.update("keyset", "B2C_1A_Key", {"keys": [
            {"kty": "RSA", "n": "public-modulus", "e": "AQAB", "d": JWK_D, "use": "sig"},
            {"kty": "oct", "k": JWK_K},
        ]}, path="/trustFramework/keySets/B2C_1A_Key"),
        Change.update("user", UID, {"extension_abc_note": f"client_secret is {SECRET_TEXT}",
                                    "password": PASSWORD}),
    ])
    text = j.path.read_text()
    for secret in (PASSWORD, SECRET_TEXT, JWK_D, JWK_K, "TUlJQ0"):
        assert secret not in text.replace(f"client_secret is {SECRET_TEXT}", "")
    assert text.count(MARKER) >= 6
    first, second, third, _ = j.entries()
    assert first.new["displayName"] == "Kept" and first.new["passwordProfile"] == MARKER
    assert second.new["passwordCredentials"] == MARKER
    assert third.new["keys"][0]["n"] == "public-modulus" and third.new["keys"][0]["d"] == MARKER


def test_a_line_torn_by_a_crash_is_skipped(tmp_path: Path) -> None:
    j = journal(tmp_path)
    [kept] = j.record([Change.delete("user", UID, display_name="Kept")])
    with j.path.open("ab") as handle:
        handle.write(b'{"v":1,"type":"entry","id":"torn","time":"2026')  # no newline: torn
    assert [e.id for e in j.entries()] == [kept.id]
    [later] = j.record([Change.delete("user", UID)])  # appending after it still works
    assert [e.id for e in j.entries()] == [kept.id, later.id]


def test_lookup_by_prefix(tmp_path: Path) -> None:
    j = journal(tmp_path)
    entries = j.record([Change.delete("user", f"{UID[:-1]}{n}") for n in range(3)])
    assert j.get(entries[1].id[:12]) == entries[1]
    assert j.get(entries[2].id.upper()) == entries[2]
    with pytest.raises(JournalError, match="No journal entry"):
        j.get("ffffffffffff")
    with pytest.raises(JournalError, match="at least 4"):
        j.get("ab")


def test_the_journal_lives_in_the_tenants_data_folder() -> None:
    real = Journal.for_tenant("contoso.onmicrosoft.com", profile="dev")
    demo = Journal.for_tenant("contoso.onmicrosoft.com", demo=True)
    assert real.path == paths.tenant_dir("journal", "contoso.onmicrosoft.com") / FILE_NAME
    assert demo.path != real.path and demo.path.parent.parent == real.path.parent.parent


def test_a_change_must_say_what_and_where() -> None:
    with pytest.raises(ValueError, match="at least one property"):
        Change.update("user", UID, {})
    with pytest.raises(ValueError, match="give the object's path"):
        Change.update("widget", UID, {"a": 1})
    with pytest.raises(ValueError, match="cannot be restored"):
        Change.restore("keyset", UID)
    assert Change.update("user", "a#EXT#@x", {"a": 1}).resource_path == "/users/a%23EXT%23@x"


async def test_a_connection_hands_out_its_tenants_journal() -> None:
    from b2c_tui.connection import open_demo

    conn = open_demo(users=5)
    try:
        journal = conn.journal()
        assert journal.path == Journal.for_tenant(conn.tenant, demo=True).path
        assert journal.tenant == conn.tenant and journal.profile is None
    finally:
        await conn.aclose()


def test_an_apple_providers_private_key_is_not_written(tmp_path: Path) -> None:
    """An edit of an Apple identity provider (the explorer's :idps) may carry its .p8 key."""
    j = journal(tmp_path)
    key = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----"
    [entry] = j.record([Change.update(
        "identity provider", "Apple-Managed-OIDC",
        {"@odata.type": "#microsoft.graph.appleManagedIdentityProvider", "keyId": "K1",
         "certificateData": key},
        path="/identity/identityProviders/Apple-Managed-OIDC")])
    assert "MIGTAgEAMBMGByqGSM49" not in j.path.read_text()
    assert entry.new["certificateData"] == MARKER and entry.new["keyId"] == "K1"
