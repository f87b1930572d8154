"""Application client secrets (addPassword / removePassword), App ID URI uniqueness, and the
client's ``$batch`` join of service principals, against the demo tenant."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from b2c_tui.emulator import Emulator, ManualClock, create_emulator
from b2c_tui.graph import GraphClient
from b2c_tui.graph.errors import GraphError
from b2c_tui.graph.redact import MASK, redact

GRAPH = "https://graph.microsoft.com"


def _tenant() -> tuple[Emulator, GraphClient, list[tuple[str, str]]]:
    emu = create_emulator(users=5, throttling=False, clock=ManualClock())
    sent: list[tuple[str, str]] = []

    async def record(request: httpx.Request) -> None:
        sent.append((request.method, request.url.path))

    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.asgi),  # type: ignore[arg-type]
                             event_hooks={"request": [record]})
    return emu, GraphClient.create(None, graph_url=GRAPH, http=http), sent


async def _app(client: GraphClient, name: str) -> dict[str, Any]:
    apps = await client.applications.list().collect()
    return next(a for a in apps if a["displayName"] == name)


async def test_a_new_secret_is_returned_once_and_never_read_back() -> None:
    emu, client, _ = _tenant()
    app = await _app(client, "Contoso Web")
    added = await client.applications.add_password(app["id"], display_name="ci",
                                                   end="2027-03-01T00:00:00Z")
    secret = added["secretText"]
    assert isinstance(secret, str) and len(secret) >= 16
    assert added["hint"] == secret[:3] and added["displayName"] == "ci"
    assert added["endDateTime"] == "2027-03-01T00:00:00Z"
    again = await client.applications.get(app["id"])
    stored = [c for c in again["passwordCredentials"] if c["keyId"] == added["keyId"]]
    assert stored and stored[0]["secretText"] is None
    assert secret not in json.dumps(again)
    # The tenant's audit names the key, never the value.
    assert secret not in json.dumps(emu.store.audit_log.entries, default=str)
    # The client registered the value with the redactor: a log line cannot carry it.
    assert redact(f"got {secret} back") == f"got {MASK} back"


async def test_remove_password_removes_it_and_an_unknown_key_is_refused() -> None:
    _, client, _ = _tenant()
    app = await _app(client, "Contoso API")
    added = await client.applications.add_password(app["id"])
    await client.applications.remove_password(app["id"], added["keyId"])
    assert (await client.applications.get(app["id"]))["passwordCredentials"] == []
    with pytest.raises(GraphError) as refused:
        await client.applications.remove_password(app["id"], added["keyId"])
    assert refused.value.status == 400 and added["keyId"] in refused.value.message


async def test_a_secret_must_end_after_it_starts() -> None:
    _, client, _ = _tenant()
    app = await _app(client, "Contoso API")
    with pytest.raises(GraphError) as refused:
        await client.applications.add_password(app["id"], end="2000-01-01T00:00:00Z")
    assert refused.value.status == 400 and "endDateTime" in refused.value.message


async def test_an_app_id_uri_belongs_to_one_application() -> None:
    _, client, _ = _tenant()
    api = await _app(client, "Contoso API")
    uri = api["identifierUris"][0]
    with pytest.raises(GraphError) as refused:
        await client.applications.create({"displayName": "Copy", "identifierUris": [uri]})
    assert refused.value.status == 400 and "identifierUris" in refused.value.message
    web = await _app(client, "Contoso Web")
    with pytest.raises(GraphError):
        await client.applications.update(web["id"], {"identifierUris": [uri.upper()]})
    await client.applications.update(api["id"], {"identifierUris": [uri]})  # its own: fine


async def test_service_principals_of_many_apps_take_one_batch_per_twenty() -> None:
    _, client, sent = _tenant()
    apps = await client.applications.list().collect()
    ids = [a["appId"] for a in apps]
    for n in range(25 - len(ids)):  # more apps than one batch holds, some without a principal
        ids.append((await client.applications.create({"displayName": f"Extra {n}"}))["appId"])
    sent.clear()
    found = await client.applications.service_principals_of(ids, select=["id", "appId"])
    assert len(found) == 25
    assert [p["appId"] for p in found if p is not None] == ids[:len(apps)]
    assert found[len(apps):] == [None] * (25 - len(apps))
    assert sent == [("POST", "/v1.0/$batch")] * 2
