"""What a tenant dashboard looks for, seeded in the demo tenant (by option where it would
change what the default demo shows)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from emu_support import client_for, make

from b2c_tui.emulator import Emulator
from b2c_tui.emulator.clock import parse_iso
from b2c_tui.emulator.directory.app_records import EXTENSIONS_APP_NAME

DAY = 86_400


async def _get(emu: Emulator, url: str) -> Any:
    async with client_for(emu) as client:
        reply = await client.get(url)
    assert reply.status_code == 200, reply.text
    return reply.json()


async def test_keys_expired_and_expiring_and_a_user_about_to_be_purged_by_default() -> None:
    emu = make(users=200)
    now = emu.clock()
    keysets = (await _get(emu, "/beta/trustFramework/keySets"))["value"]
    ends = [key["exp"] - now.timestamp() for ks in keysets for key in ks["keys"] if "exp" in key]
    assert any(end < 0 for end in ends), "a key has expired"
    assert any(0 < end <= 30 * DAY for end in ends), "a key expires within 30 days"
    deleted = (await _get(emu, "/v1.0/directory/deletedItems/microsoft.graph.user"))["value"]
    purges = [parse_iso(u["deletedDateTime"]) + timedelta(days=30) - now for u in deleted]
    assert any(timedelta(0) < left <= timedelta(days=7) for left in purges)
    apps = (await _get(emu, "/v1.0/applications?$select=displayName,passwordCredentials"))["value"]
    assert EXTENSIONS_APP_NAME in {a["displayName"] for a in apps}
    assert all(a["passwordCredentials"] == [] for a in apps)  # the default demo is unchanged


async def test_health_findings_add_app_credentials_expiring_soon_and_expired() -> None:
    emu = make(users=200, health_findings=True)
    now = emu.clock()
    apps = (await _get(
        emu, "/v1.0/applications?$select=displayName,passwordCredentials,keyCredentials"))["value"]
    secrets = [(a["displayName"], c) for a in apps for c in a["passwordCredentials"]]
    certificates = [(a["displayName"], c) for a in apps for c in a["keyCredentials"]]

    def left(credential: dict[str, Any]) -> timedelta:
        return parse_iso(credential["endDateTime"]) - now

    assert any(timedelta(0) < left(c) <= timedelta(days=30) for _, c in secrets)
    assert any(left(c) < timedelta(0) for _, c in secrets)
    assert any(timedelta(0) < left(c) <= timedelta(days=30) for _, c in certificates)
    assert all(c["secretText"] is None and c["hint"] for _, c in secrets)  # never the secret
    assert all(c["type"] == "AsymmetricX509Cert" and c["key"] is None for _, c in certificates)


async def test_a_tenant_without_its_b2c_extensions_app() -> None:
    emu = make(users=50, extensions_app=False)
    with_app = make(users=50)
    names = {a["displayName"] for a in (await _get(emu, "/v1.0/applications"))["value"]}
    assert EXTENSIONS_APP_NAME not in names and "Contoso Web" in names
    assert emu.store.users.ext_prefix == with_app.store.users.ext_prefix  # names keep their app
    found = (await _get(emu, "/v1.0/applications?$filter=startswith(displayName,'b2c-ext')"))
    assert found["value"] == []
