"""A create whose answer is lost: the client says so, and the lookup tells whether it happened."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.connection import open_demo
from b2c_tui.graph import GraphClient, NetworkError, OutcomeUnknownError
from b2c_tui.graph.validation import build_local_account

PASSWORD = "Str0ng!Passw0rd"


class LosesAnswers(httpx.AsyncBaseTransport):
    """Forwards to the demo tenant; for POST /users the connection drops after Graph acted
    (``after=True``) or before the request left (``after=False``)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, after: bool) -> None:
        self.inner = inner
        self.after = after
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/users"):
            self.posts += 1
            if not self.after:
                raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
            response = await self.inner.handle_async_request(request)
            await response.aread()
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                            request=request)
        return await self.inner.handle_async_request(request)


def client_over(conn, *, after: bool) -> tuple[GraphClient, LosesAnswers]:
    transport = LosesAnswers(httpx.ASGITransport(app=conn.emulator.asgi), after=after)
    client = GraphClient.create(None, graph_url="https://graph.microsoft.com",
                                transport=transport)
    return client, transport


async def test_dropped_create_is_outcome_unknown_and_the_user_is_found() -> None:
    conn = open_demo(users=20, throttling=False)
    client, transport = client_over(conn, after=True)
    body = build_local_account(conn.tenant, display_name="Dropped Dora",
                               email="dora.dropped@example.com", password=PASSWORD)
    try:
        assert await client.users.find_by_sign_in_name("dora.dropped@example.com") is None
        with pytest.raises(OutcomeUnknownError) as info:
            await client.users.create(body)
        assert transport.posts == 1  # not resent blindly
        assert "refused" not in str(info.value).lower()
        found = await client.users.find_by_sign_in_name("dora.dropped@example.com")
        assert found is not None and found["displayName"] == "Dropped Dora"
        # The older form still answers a list.
        listed = await client.users.find_by_sign_in_name(conn.tenant, "dora.dropped@example.com")
        assert [u["id"] for u in listed] == [found["id"]]
    finally:
        await client.aclose()
        await conn.aclose()


async def test_a_create_that_never_left_is_not_found() -> None:
    conn = open_demo(users=20, throttling=False)
    client, transport = client_over(conn, after=False)
    body = build_local_account(conn.tenant, display_name="Never Nils",
                               email="nils.never@example.com", password=PASSWORD)
    try:
        with pytest.raises(NetworkError) as info:
            await client.users.create(body)
        assert not isinstance(info.value, OutcomeUnknownError)
        assert transport.posts > 1  # it never left, so it was safe to try again
        assert await client.users.find_by_sign_in_name("nils.never@example.com") is None
    finally:
        await client.aclose()
        await conn.aclose()


async def test_lookup_with_an_explicit_issuer_and_select() -> None:
    conn = open_demo(users=20, throttling=False)
    try:
        users = conn.client.users
        first = next(u for u in await users.list(select=["id", "identities"], top=20).collect()
                     if any(i.get("signInType") == "emailAddress" for i in u["identities"]))
        email = next(i["issuerAssignedId"] for i in first["identities"]
                     if i["signInType"] == "emailAddress")
        found = await users.find_by_sign_in_name(email, issuer=conn.tenant, select=["id"])
        assert found == {"id": first["id"]}
        assert await users.local_issuer() == conn.tenant
    finally:
        await conn.aclose()
