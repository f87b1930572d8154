"""Filtered user pages from the columnar index: the same bytes as the per-user reference."""

from __future__ import annotations

from urllib.parse import quote

import orjson
import pytest
from emu_support import local_account, make

from b2c_tui.emulator import Emulator
from b2c_tui.emulator.http import Request, Response
from b2c_tui.emulator.odata import parse_query
from b2c_tui.emulator.users.index import plan
from b2c_tui.emulator.users.listing import UserLister
from b2c_tui.emulator.users.schema import USER_SPEC

SELECT = (
    "id,displayName,givenName,surname,userPrincipalName,mail,otherMails,identities,"
    "creationType,accountEnabled,createdDateTime,userType"
)
FILTERS = [
    "startswith(userPrincipalName,'3')",
    "startswith(userPrincipalName,'A1')",
    "startswith(userPrincipalName,'{hex8}')",  # a whole first group of an id
    "startswith(userPrincipalName,'{hex10}')",  # more than hex: every candidate checked
    "startswith(userPrincipalName,'z')",  # no generated id starts so: an empty listing
    "startswith(displayName,'a')",
    "startswith(displayName,'Zo')",
    "startswith(givenName,'chlo')",
    "surname in ('Smith','O''Connor')",
    "startswith(displayName,'a') or startswith(userPrincipalName,'b')",
    "startswith(displayName,'a') and accountEnabled eq false",
]


def _pages(lister: UserLister, query: str) -> list[bytes]:
    """Every page of a listing, as the bytes a client receives."""
    bodies: list[bytes] = []
    qs: str | None = query
    while qs is not None:
        request = Request("GET", "/users", query_string=qs)
        response: Response = lister.page(request, parse_query(request, USER_SPEC))
        bodies.append(response.body)
        link = orjson.loads(response.body).get("@odata.nextLink")
        qs = link.split("?", 1)[1] if link else None
    return bodies


def _compare(emu: Emulator, query: str) -> int:
    fast = UserLister(emu.store.users)
    reference = UserLister(emu.store.users, reference=True)
    expected = _pages(reference, query)
    assert _pages(fast, query) == expected  # cold: built from the index and the arrays
    assert _pages(fast, query) == expected  # warm: from the page cache
    return sum(len(orjson.loads(body)["value"]) for body in expected)


@pytest.fixture(scope="module")
def tenant() -> Emulator:
    return make(users=60_000)


@pytest.mark.parametrize("expr", FILTERS)
@pytest.mark.parametrize("select", ["", f"&$select={SELECT}"])
def test_filtered_pages_are_the_reference_bytes(tenant: Emulator, expr: str, select: str) -> None:
    user_id = tenant.store.users.get(100)["id"]  # type: ignore[index]
    expr = expr.format(hex8=user_id[:8].upper(), hex10=user_id[:10])
    listed = _compare(tenant, f"$top=999&$filter={quote(expr)}{select}")
    assert listed > 0 or "'z'" in expr


def test_the_prefixes_a_partitioned_listing_uses_are_exact(tenant: Emulator) -> None:
    users = tenant.store.users
    for expr in ("startswith(userPrincipalName,'3')", "startswith(displayName,'zo')"):
        request = Request("GET", "/users", query_string=f"$filter={quote(expr)}")
        source = plan(parse_query(request, USER_SPEC).filter, users.gen, users.base_count)
        assert source is not None and source.exact


async def test_changed_and_created_users_are_still_checked() -> None:
    emu = make(users=20_000)
    users = emu.store.users
    first_3 = next(o for o in range(20, 2000) if users.get(o)["userPrincipalName"].startswith("3"))
    users.update(first_3, {"userPrincipalName": f"renamed@{emu.tenant_domain}"})
    users.update(first_3 + 1, {"displayName": "Zoltan Renamed"})
    from emu_support import client_for

    async with client_for(emu) as client:
        made = await client.post("/v1.0/users", json=local_account(
            "made@example.com", userPrincipalName=f"3made@{emu.tenant_domain}"))
        assert made.status_code == 201
    for expr in ("startswith(userPrincipalName,'3')", "startswith(displayName,'zo')"):
        for select in ("", "&$select=id,userPrincipalName,displayName"):
            _compare(emu, f"$top=500&$filter={quote(expr)}{select}")
