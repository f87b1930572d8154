"""A 1,000,000-user tenant: instant creation, cheap pages anywhere, cheap prefix queries.

"Cheap" is asserted as work done, not as time: each test counts the users the generator
derives (:meth:`UserGenerator.record` and :meth:`UserGenerator.make_id`) and the users the
default-JSON writer serializes, and bounds them far below the tenant's size. Timings are in
benchmarks/ (``bench_emulator_serve``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from emu_support import client_for

from b2c_tui.emulator import Emulator, ManualClock, create_emulator
from b2c_tui.emulator.odata import encode_token
from b2c_tui.emulator.users.generator import UserGenerator
from b2c_tui.emulator.users.json_writer import BLOCK, DefaultJsonWriter

MILLION = 1_000_000
#: Users a request may derive: one scan window of a filter Graph evaluates server-side
#: (a short page with a next link after that), never the whole tenant.
SCAN_WINDOW = 20_000


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts generator calls by name while a test runs."""
    counts: Counter[str] = Counter()
    for name in ("record", "make_id"):
        original = getattr(UserGenerator, name)

        def counting(self: UserGenerator, *args: Any, _name: str = name,
                     _original: Any = original) -> Any:
            counts[_name] += 1
            return _original(self, *args)

        monkeypatch.setattr(UserGenerator, name, counting)
    fill = DefaultJsonWriter._fill

    def counting_fill(self: DefaultJsonWriter, run: Any, ordinals: Any) -> Any:
        counts["written"] += len(ordinals)
        return fill(self, run, ordinals)

    monkeypatch.setattr(DefaultJsonWriter, "_fill", counting_fill)
    yield counts


@pytest.fixture(scope="module")
def big() -> Emulator:
    return create_emulator(users=MILLION, throttling=False, clock=ManualClock())


def test_creating_a_million_user_tenant_derives_almost_nobody(derived: Counter[str]) -> None:
    emu = create_emulator(users=MILLION, throttling=False, clock=ManualClock())
    assert emu.store.users.live_count() == MILLION - 3
    assert 0 < derived["record"] < 1_000  # the seeded admins and fixtures only


def test_million_user_tenant_counts(big: Emulator) -> None:
    assert big.store.users.live_count() == MILLION - 3  # three seeded deleted users
    assert big.store.quota_total >= big.store.quota_used()


async def test_page_from_the_middle(big: Emulator, derived: Counter[str]) -> None:
    users = big.store.users
    async with client_for(big) as client:
        token = encode_token({"o": 500_000})
        body = (await client.get(f"/v1.0/users?$top=999&$skiptoken={token}")).json()
        assert len(body["value"]) == 999
        assert body["value"][0]["id"] == users.get(500_000)["id"]  # type: ignore[index]
        follow = (await client.get(body["@odata.nextLink"])).json()
        served = derived["record"] + derived["make_id"] + derived["written"]
        assert follow["value"][0]["id"] == users.get(500_999)["id"]  # type: ignore[index]
        one = users.get(765_432)
        assert one is not None
        got = await client.get(f"/v1.0/users/{one['userPrincipalName']}")
        assert got.json()["id"] == one["id"]
    # Two default pages come from one or two serialized blocks around them, not the tenant.
    assert 0 < served <= 2 * BLOCK


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
async def test_prefix_queries_are_cheap_at_a_million(
    big: Emulator, derived: Counter[str], prop: str, prefix: str
) -> None:
    escaped = prefix.replace("'", "''")
    async with client_for(big) as client:
        response = await client.get(
            "/v1.0/users",
            params={
                "$filter": f"startswith({prop},'{escaped}')",
                "$select": f"id,{prop}",
                "$top": 100,
            },
        )
    body = response.json()
    assert response.status_code == 200
    assert body["value"], prop
    assert all(u[prop].casefold().startswith(prefix.casefold()) for u in body["value"])
    assert derived["record"] < SCAN_WINDOW, f"{prop} prefix query derived {derived}"


async def test_sorted_and_identity_queries_at_a_million(
    big: Emulator, derived: Counter[str]
) -> None:
    user = big.store.users.get(987_654)
    assert user is not None
    ident = user["identities"][0]
    derived.clear()
    async with client_for(big) as client:
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
    upns = [u["userPrincipalName"] for u in ordered["value"]]
    assert upns == sorted(upns)
    assert [u["id"] for u in found["value"]] == [user["id"]]
    assert derived.total() < SCAN_WINDOW  # neither sorted nor searched a million users


async def test_full_scan_filters_answer_short_pages_with_next_link(
    big: Emulator, derived: Counter[str]
) -> None:
    async with client_for(big) as client:
        body = (await client.get("/v1.0/users?$filter=creationType eq 'Invitation'")).json()
    assert body["value"] == [] and "@odata.nextLink" in body  # an empty page may carry a link
    assert 0 < derived["record"] <= SCAN_WINDOW  # one window scanned, not the tenant


def test_id_nibble_table_is_each_value_written_low_nibble_first() -> None:
    from b2c_tui.emulator.users.generator import _REV16

    assert len(_REV16) == 1 << 16
    for value in (0, 1, 0x00FF, 0x0100, 0x1234, 0xABCD, 0xFFFF):
        assert _REV16[value] == f"{value:04x}"[::-1]
