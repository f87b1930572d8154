"""A 1,000,000-user tenant: instant creation, cheap pages anywhere, cheap prefix queries."""

from __future__ import annotations

import time

import pytest
from emu_support import client_for

from b2c_tui.emulator import Emulator, ManualClock, create_emulator
from b2c_tui.emulator.odata import encode_token

MILLION = 1_000_000


@pytest.fixture(scope="module")
def big() -> Emulator:
    start = time.perf_counter()
    emu = create_emulator(users=MILLION, throttling=False, clock=ManualClock())
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"creating a 1M-user tenant took {elapsed:.2f}s"
    return emu


def test_million_user_tenant_counts(big: Emulator) -> None:
    assert big.store.users.live_count() == MILLION - 3  # three seeded deleted users
    assert big.store.quota_total >= big.store.quota_used()


async def test_page_from_the_middle(big: Emulator) -> None:
    users = big.store.users
    async with client_for(big) as client:
        start = time.perf_counter()
        token = encode_token({"o": 500_000})
        body = (await client.get(f"/v1.0/users?$top=999&$skiptoken={token}")).json()
        elapsed = time.perf_counter() - start
        assert len(body["value"]) == 999
        assert body["value"][0]["id"] == users.get(500_000)["id"]  # type: ignore[index]
        follow = (await client.get(body["@odata.nextLink"])).json()
        assert follow["value"][0]["id"] == users.get(500_999)["id"]  # type: ignore[index]
        one = users.get(765_432)
        assert one is not None
        got = await client.get(f"/v1.0/users/{one['userPrincipalName']}")
        assert got.json()["id"] == one["id"]
    assert elapsed < 0.5


@pytest.mark.parametrize(
    ("prop", "prefix"),
    [
        ("displayName", "Łu"),
        ("userPrincipalName", "3fa"),
        ("mail", "maria.garcia1"),
        ("givenName", "Ólaf"),
        ("surname", "O'C"),
    ],
)
async def test_prefix_queries_are_fast_at_a_million(big: Emulator, prop: str, prefix: str) -> None:
    escaped = prefix.replace("'", "''")
    async with client_for(big) as client:
        start = time.perf_counter()
        response = await client.get(
            "/v1.0/users",
            params={
                "$filter": f"startswith({prop},'{escaped}')",
                "$select": f"id,{prop}",
                "$top": 100,
            },
        )
        elapsed = time.perf_counter() - start
    body = response.json()
    assert response.status_code == 200
    assert body["value"], prop
    assert all(u[prop].casefold().startswith(prefix.casefold()) for u in body["value"])
    assert elapsed < 0.5, f"{prop} prefix query took {elapsed:.3f}s"


async def test_sorted_and_identity_queries_at_a_million(big: Emulator) -> None:
    user = big.store.users.get(987_654)
    assert user is not None
    ident = user["identities"][0]
    async with client_for(big) as client:
        start = time.perf_counter()
        ordered = (await client.get("/v1.0/users?$orderby=userPrincipalName&$top=999")).json()
        found = (
            await client.get(
                "/v1.0/users",
                params={
                    "$filter": (
                        f"identities/any(c:c/issuerAssignedId eq '{ident['issuerAssignedId']}'"
                        f" and c/issuer eq '{ident['issuer']}')"
                    )
                },
            )
        ).json()
        elapsed = time.perf_counter() - start
    upns = [u["userPrincipalName"] for u in ordered["value"]]
    assert upns == sorted(upns)
    assert [u["id"] for u in found["value"]] == [user["id"]]
    assert elapsed < 1.0


async def test_full_scan_filters_answer_short_pages_with_next_link(big: Emulator) -> None:
    async with client_for(big) as client:
        start = time.perf_counter()
        body = (await client.get("/v1.0/users?$filter=creationType eq 'Invitation'")).json()
        elapsed = time.perf_counter() - start
    assert body["value"] == [] and "@odata.nextLink" in body  # an empty page may carry a link
    assert elapsed < 1.0
