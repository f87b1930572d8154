"""Find-user against the demo tenant: every kind of identifier finds the user it names."""

from __future__ import annotations

import pytest

from b2c_tui.connection import open_demo
from b2c_tui.graph.find_user import plan_user_search
from b2c_tui.graph.paging import ChainedPages

SELECT = ["id", "displayName", "userPrincipalName", "identities"]


async def find(conn, text: str) -> list[dict]:
    search = plan_user_search(text, conn.tenant)
    its = [conn.client.users.list(q, top=None) for q in search.queries(SELECT)]
    return await (ChainedPages(its) if len(its) > 1 else its[0]).collect()


@pytest.fixture
async def conn():
    c = open_demo(users=400, seed=3, throttling=False)
    yield c
    await c.aclose()


async def sample(conn, sign_in_type: str) -> dict:
    async for page in conn.client.users.list(select=SELECT):
        for user in page.items:
            if any(i["signInType"] == sign_in_type for i in user.get("identities", [])):
                return user
    raise AssertionError(f"no {sign_in_type} user in the demo tenant")


async def test_each_identifier_kind_finds_its_user(conn) -> None:
    email_user = await sample(conn, "emailAddress")
    username_user = await sample(conn, "userName")
    email = next(i["issuerAssignedId"] for i in email_user["identities"]
                 if i["signInType"] == "emailAddress")
    username = next(i["issuerAssignedId"] for i in username_user["identities"]
                    if i["signInType"] == "userName")
    cases = {
        email: email_user["id"],
        username: username_user["id"],
        email_user["id"]: email_user["id"],
        email_user["userPrincipalName"]: email_user["id"],
        email_user["displayName"][:4]: email_user["id"],
    }
    for text, expected in cases.items():
        found = await find(conn, text)
        assert expected in {u["id"] for u in found}, text


async def test_phone_sign_in_user_is_found(conn) -> None:
    from b2c_tui.graph.validation import build_local_account

    body = build_local_account(conn.tenant, display_name="Phone Person", username="phoneperson",
                               password="Str0ng!Passw0rd")
    body["identities"].append({"signInType": "phoneNumber", "issuer": conn.tenant,
                               "issuerAssignedId": "+12065550199"})
    created = await conn.client.users.create(body)
    found = await find(conn, "+1 206 555 0199")
    assert [u["id"] for u in found] == [created["id"]]
