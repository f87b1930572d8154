"""The array serializer of generated users matches the reference loop byte for byte."""

from __future__ import annotations

import random

import orjson
import pytest
from emu_support import client_for, make
from hypothesis import given, settings
from hypothesis import strategies as st

from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.emulator.users.directory import DEFAULT_ORDER
from b2c_tui.emulator.users.json_writer import BLOCK, DefaultJsonWriter

MILLION = 1_000_000


@pytest.fixture(scope="module")
def big() -> Emulator:
    return create_emulator(users=MILLION, throttling=False)


def reference(emu: Emulator, start: int, stop: int) -> bytes:
    return b",".join(emu.store.users.gen.default_json_batch(start, stop))


def test_pages_match_the_reference_loop(big: Emulator) -> None:
    writer = DefaultJsonWriter(big.store.users.gen)
    ranges = [(0, 999), (999, 1998), (0, 1), (1, 2), (MILLION - 1, MILLION)]
    ranges += [(MILLION - 999, MILLION)]
    ranges += [(BLOCK - 1, BLOCK), (BLOCK - 500, BLOCK + 499), (3 * BLOCK - 1, 3 * BLOCK + 1)]
    ranges += [(500_000, 500_999), (987_654, 987_655), (9_999_000, 9_999_999)]  # past count
    rng = random.Random(7)
    for _ in range(60):  # in no particular order, so blocks are computed and dropped
        start = rng.randrange(MILLION)
        ranges.append((start, min(MILLION, start + rng.choice((1, 2, 47, 48, 999, 2500)))))
    for start, stop in ranges:
        assert writer.page(start, stop) == reference(big, start, stop), (start, stop)


@settings(max_examples=60, deadline=None)
@given(start=st.integers(0, MILLION - 1), length=st.integers(1, 1200))
def test_any_range_matches_the_reference_loop(big: Emulator, start: int, length: int) -> None:
    stop = min(MILLION, start + length)
    assert big.store.users.writer.page(start, stop) == reference(big, start, stop)


def test_single_users_match_in_any_order(big: Emulator) -> None:
    gen = big.store.users.gen
    ordinals = [0, 1, 42, 17, MILLION - 1, 999_999, 123_456, 5, 5, 8 * BLOCK + 3]
    ordinals += random.Random(3).sample(range(MILLION), 200)
    made = DefaultJsonWriter(gen).many(ordinals)
    assert made == [gen.default_json(o) for o in ordinals]
    assert DefaultJsonWriter(gen).many([]) == []


@pytest.mark.parametrize(
    ("seed", "tenant"),
    [(2, "x.onmicrosoft.com"), (99, "a-much-longer-tenant-name-b2c.onmicrosoft.com")],
)
def test_other_seeds_and_tenant_names(seed: int, tenant: str) -> None:
    emu = create_emulator(seed=seed, users=50_000, tenant=tenant, throttling=False)
    writer = DefaultJsonWriter(emu.store.users.gen)
    for start, stop in [(0, 999), (12_345, 13_344), (49_999, 50_000), (7, 8)]:
        assert writer.page(start, stop) == reference(emu, start, stop)
    page = orjson.loads(b"[" + writer.page(100, 200) + b"]")
    assert [list(user) for user in page] == [list(DEFAULT_ORDER)] * 100


async def test_listing_around_changed_and_deleted_users() -> None:
    """Runs of generated users between changed ones (short runs too) list as before."""
    emu = make(users=3000)
    users = emu.store.users
    for ordinal in (10, 11, 40, 100, 101, 102, 1500, 2999):
        users.delete(ordinal)
    for ordinal in (60, 61, 1000, 1047, 1048):
        users.update(ordinal, {"displayName": f"Changed {ordinal}"})
    expected = [
        orjson.loads(users.default_json(o, users.get(o)))
        for o in range(users.next_ordinal)
        if users.get(o) is not None
    ]
    listed: list[dict[str, object]] = []
    async with client_for(emu) as client:
        url: str | None = "/v1.0/users?$top=999"
        while url:
            body = (await client.get(url)).json()
            listed += body["value"]
            url = body.get("@odata.nextLink")
    assert listed == expected
    assert [u["displayName"] for u in listed if str(u["displayName"]).startswith("Changed")] == [
        "Changed 60",
        "Changed 61",
        "Changed 1000",
        "Changed 1047",
        "Changed 1048",
    ]
