"""Microsoft's own Graph SDK (msgraph-sdk) talks to the demo tenant over loopback: proof that
the twin speaks real Graph, paging and authentication-method shapes included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from b2c_tui.emulator import create_emulator
from b2c_tui.emulator.server import run_in_thread


@pytest.fixture(scope="module")
def served():
    emu = create_emulator(users=5000, seed=11, throttling=False)
    base_url, stop = run_in_thread(emu)
    yield emu, base_url
    stop()


async def sdk_client(base_url: str, http: httpx.AsyncClient) -> Any:
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from msgraph import GraphServiceClient
    from msgraph.graph_request_adapter import GraphRequestAdapter

    adapter = GraphRequestAdapter(AnonymousAuthenticationProvider(), client=http)
    adapter.base_url = f"{base_url}/v1.0"
    return GraphServiceClient(request_adapter=adapter), adapter


async def test_msgraph_sdk_lists_all_5000_users_following_its_own_paging(served) -> None:
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder
    from msgraph_core import GraphClientFactory, PageIterator

    emu, base_url = served
    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient())
    try:
        client, adapter = await sdk_client(base_url, http)
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
            select=["id", "displayName"], top=999)
        page = await client.users.get(
            request_configuration=RequestConfiguration(query_parameters=params))
        assert page is not None and page.odata_next_link, "the first page must link onwards"
        ids: list[str] = []

        def collect(user: Any) -> bool:
            ids.append(user.id)
            return True

        await PageIterator(page, adapter).iterate(collect)
        assert len(ids) == len(set(ids)) == emu.store.users.live_count() >= 4990
    finally:
        await http.aclose()


async def test_msgraph_sdk_reads_a_users_phone_methods(served) -> None:
    from msgraph_core import GraphClientFactory

    _, base_url = served
    async with httpx.AsyncClient() as plain:
        # Find a user that has phone methods, with a plain request.
        users = (await plain.get(f"{base_url}/v1.0/users?$select=id&$top=200")).json()["value"]
        target = None
        for user in users:
            r = await plain.get(f"{base_url}/v1.0/users/{user['id']}/authentication/phoneMethods")
            if r.json()["value"]:
                target, expected = user["id"], r.json()["value"]
                break
        assert target, "the demo tenant seeds phone methods"
    http = GraphClientFactory.create_with_default_middleware(client=httpx.AsyncClient())
    try:
        client, _ = await sdk_client(base_url, http)
        result = await client.users.by_user_id(target).authentication.phone_methods.get()
        got = {(m.id, m.phone_number, m.phone_type.value if m.phone_type else None)
               for m in result.value}
        assert got == {(m["id"], m["phoneNumber"], m["phoneType"]) for m in expected}
    finally:
        await http.aclose()
