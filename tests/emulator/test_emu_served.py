"""Serving over real loopback: plain HTTP, HTTPS with msal, msgraph-sdk, dropped sockets."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.emulator.server import profile_toml, run_in_thread


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Emulator, str]]:
    emu = create_emulator(users=2500, throttling=False)
    base_url, stop = run_in_thread(emu)
    yield emu, base_url
    stop()


def test_pages_over_loopback_follow_next_links(served: tuple[Emulator, str]) -> None:
    emu, base_url = served
    assert base_url.startswith("http://127.0.0.1:")
    ids: list[str] = []
    with httpx.Client() as client:
        url: str | None = f"{base_url}/v1.0/users?$top=999&$select=id"
        while url:
            body = client.get(url).json()
            ids.extend(u["id"] for u in body["value"])
            url = body.get("@odata.nextLink")
            assert url is None or url.startswith(f"{base_url}/v1.0/users?$top=999&$select=id&")
    assert len(ids) == len(set(ids)) == emu.store.users.live_count()


def test_served_drops_close_the_socket(served: tuple[Emulator, str]) -> None:
    emu, base_url = served
    try:
        emu.faults.configure(drop_rate=1.0, path="/organization")
        with httpx.Client() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                client.get(f"{base_url}/v1.0/organization")
            emu.faults.drop_mid_body = True
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                client.get(f"{base_url}/v1.0/organization")
            assert client.get(f"{base_url}/v1.0/users?$top=1").status_code == 200
    finally:
        emu.faults.reset()


async def test_msgraph_sdk_lists_pages_and_parses_errors() -> None:
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph import GraphServiceClient
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder
    from msgraph.graph_request_adapter import GraphRequestAdapter
    from msgraph_core import GraphClientFactory, PageIterator

    # kiota parses slowly (~10 ms a user): a small tenant keeps this test quick
    emu = create_emulator(users=130, throttling=False)
    base_url, stop = run_in_thread(emu)
    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient())
    try:
        adapter = GraphRequestAdapter(AnonymousAuthenticationProvider(), client=http)
        adapter.base_url = f"{base_url}/v1.0"
        client = GraphServiceClient(request_adapter=adapter)
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
            select=["id", "displayName", "identities"], top=50
        )
        config = RequestConfiguration(query_parameters=params)
        page = await client.users.get(request_configuration=config)
        assert page is not None and page.value and page.value[0].identities
        ids: list[str] = []

        def collect(user: Any) -> bool:
            ids.append(user.id)
            return True

        await PageIterator(page, adapter).iterate(collect)
        assert len(ids) == len(set(ids)) == emu.store.users.live_count()
        with pytest.raises(ODataError) as caught:
            await client.users.by_user_id("00000000-0000-4000-8000-000000000000").get()
        assert caught.value.error is not None
        assert caught.value.error.code == "Request_ResourceNotFound"
    finally:
        await http.aclose()
        stop()


def test_https_with_msal_token_and_required_auth(tmp_path: Path) -> None:
    import msal
    import requests

    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    ca_path, cert_path, key_path = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    leaf.cert_chain_pems[0].write_to_path(str(cert_path))
    leaf.private_key_pem.write_to_path(str(key_path))
    emu = create_emulator(users=50, require_auth=True)
    base_url, stop = run_in_thread(emu, certfile=str(cert_path), keyfile=str(key_path))
    try:
        assert base_url.startswith("https://127.0.0.1:")
        assert f'client_id = "{emu.client_id}"' in profile_toml(emu, base_url)
        session = requests.Session()
        session.trust_env = False  # this machine sets REQUESTS_CA_BUNDLE
        session.verify = str(ca_path)
        app = msal.ConfidentialClientApplication(
            emu.client_id,
            client_credential=emu.client_secret,
            authority=f"{base_url}/{emu.tenant_domain}",
            http_client=session,
            instance_discovery=False,
        )
        result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
        assert "access_token" in result, result
        context = ssl.create_default_context(cafile=str(ca_path))
        with httpx.Client(verify=context) as client:
            anonymous = client.get(f"{base_url}/v1.0/users?$top=1")
            assert anonymous.status_code == 401
            assert anonymous.json()["error"]["code"] == "InvalidAuthenticationToken"
            headers = {"Authorization": f"Bearer {result['access_token']}"}
            ok = client.get(f"{base_url}/v1.0/users?$top=1", headers=headers)
            assert ok.status_code == 200, ok.text
            forged = client.get(
                f"{base_url}/v1.0/users?$top=1", headers={"Authorization": "Bearer not.a.token"}
            )
            assert forged.status_code == 401
            created = client.post(
                f"{base_url}/v1.0/applications", headers=headers, json={"displayName": "via msal"}
            )
            assert created.status_code == 201
        session.close()
        entry = emu.store.audit_log.entries[-1]
        assert entry["activityDisplayName"] == "Add application"
        assert entry["initiatedBy"]["app"]["appId"] == emu.client_id
    finally:
        stop()


async def test_the_in_process_demo_tenant_asks_for_no_token() -> None:
    from b2c_tui.connection import open_demo

    connection = open_demo(users=30, throttling=False)
    try:
        assert connection.emulator.require_auth is False
        async for page in connection.client.users.list(select=["id"]):
            assert page.items
            break
    finally:
        await connection.aclose()
