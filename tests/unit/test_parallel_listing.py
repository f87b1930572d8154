"""Partitioned (parallel) listing of users: the plan, splitting, budget and back-off, and that it
lists exactly the users a sequential listing lists."""

from __future__ import annotations

import asyncio
import random
import re
import string
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2c_tui.graph import GraphCore
from b2c_tui.graph.errors import GraphError
from b2c_tui.graph.parallel import (
    PartitionedUsers,
    RequestBudget,
    list_users_parallel,
    partitioned_pages,
)
from b2c_tui.graph.partitions import (
    GROUP_SIZE,
    PARTITION_CHARACTERS,
    Partition,
    plan_partitions,
    split_partition,
)
from tests.helpers.fake_graph import FakeSleep, error

_PREFIX = re.compile(r"startswith\(userPrincipalName,'((?:[^']|'')*)'\)")


class FilteredUsers:
    """``/users`` with ``startswith(userPrincipalName, ...)`` filters (joined with ``or``),
    ``$top`` and ``$skiptoken`` paging; unfiltered pages in ``order``. Records every request;
    ``refuse_or`` answers 400 to a filter with ``or``; ``faults`` maps a call number to a
    response."""

    def __init__(self, upns: list[str], *, order: str = "shuffled", refuse_or: bool = False,
                 refuse: str = "", seed: int = 3) -> None:
        self.users = [{"id": str(uuid.UUID(int=random.Random(f"{seed}:{i}").getrandbits(128))),
                       "userPrincipalName": upn} for i, upn in enumerate(upns)]
        if order == "sorted":
            self.users.sort(key=lambda u: u["userPrincipalName"].lower())
        else:
            random.Random(seed).shuffle(self.users)
        self.refuse_or, self.refuse = refuse_or, refuse
        self.calls: list[str] = []
        self.filters: list[str | None] = []
        self.faults: dict[int, Any] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(str(request.url))
        if len(self.calls) in self.faults:
            return self.faults[len(self.calls)](request)
        query = {k: v[0] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}
        text = query.get("$filter")
        self.filters.append(text)
        if text and " or " in text and self.refuse_or:
            return error(400, "Request_UnsupportedQuery", "Unsupported query.")
        rows = self.users
        if text:
            prefixes = [p.replace("''", "'").lower() for p in _PREFIX.findall(text)]
            assert prefixes, text
            if any(c in p for p in prefixes for c in self.refuse):
                return error(400, "Request_BadRequest", "Invalid filter clause.")
            rows = [u for u in rows
                    if u["userPrincipalName"].lower().startswith(tuple(prefixes))]
        top = int(query.get("$top", "100"))
        start = int(query.get("$skiptoken", "0"))
        body: dict[str, Any] = {"value": rows[start:start + top]}
        if start + top < len(rows):
            params = {k: v for k, v in query.items() if k != "$skiptoken"}
            params["$skiptoken"] = str(start + top)
            body["@odata.nextLink"] = str(httpx.URL(str(request.url).split("?")[0],
                                                    params=params))
        return httpx.Response(200, json=body)


def guid_upns(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{uuid.UUID(int=rng.getrandbits(128))}@contoso.onmicrosoft.com" for _ in range(n)]


def name_upns(n: int, seed: int = 2) -> list[str]:
    """Names: most start with s, j or m; a few with $, ' or _ (rare first characters)."""
    rng = random.Random(seed)
    firsts = "sssssssjjjjmmmabcdklnprtw"
    upns = [f"{rng.choice(firsts)}{rng.choice('aeiou')}{rng.choice('lnrst')}.{i}@contoso.com"
            for i in range(n)]
    return [*upns, "$admin@contoso.com", "o'neil@contoso.com", "_svc@contoso.com"]


async def sequential_ids(core: GraphCore, top: int) -> list[str]:
    pages = core.pages("/users", params={"$select": "id,userPrincipalName", "$top": str(top)})
    return [u["id"] async for u in pages.items()]


async def partitioned_ids(listing: PartitionedUsers) -> list[str]:
    return [u["id"] async for page in listing for u in page.items]


def listing(core: GraphCore, top: int, **options: Any) -> PartitionedUsers:
    url = core.url("/users", params={"$select": "id,displayName", "$top": str(top)})
    return PartitionedUsers(core, url, **options)


# -- the plan -------------------------------------------------------------------------------

def matching(plan: list[Partition], upn: str) -> list[Partition]:
    return [p for p in plan if any(upn.lower().startswith(prefix) for prefix in p.prefixes)]


UPN_TEXT = st.text(alphabet=st.sampled_from(string.printable[:94]), min_size=4, max_size=12)


@settings(max_examples=150, deadline=None)
@given(sample=st.lists(UPN_TEXT, max_size=300), probes=st.lists(UPN_TEXT, min_size=1,
                                                                 max_size=20),
       target=st.integers(1, 64))
def test_a_plan_covers_every_upn_exactly_once(sample: list[str], probes: list[str],
                                              target: int) -> None:
    plan = plan_partitions(sample, target)
    for upn in [*probes, *sample]:
        assert len(matching(plan, upn)) == 1, upn


@settings(max_examples=100, deadline=None)
@given(page=st.lists(UPN_TEXT, max_size=60), probes=st.lists(UPN_TEXT, min_size=1, max_size=20),
       first=st.sampled_from(PARTITION_CHARACTERS))
def test_a_split_covers_its_partition_exactly(page: list[str], probes: list[str],
                                              first: str) -> None:
    parent = Partition((first,), None, 1)
    page = [first + upn for upn in page]
    children = split_partition(parent, page)
    for upn in [first + p for p in probes] + page:
        assert len(matching(children, upn)) == 1
    group = Partition(tuple(PARTITION_CHARACTERS[:GROUP_SIZE]), 0.0, 1)
    assert [c.prefixes for c in split_partition(group, [])] == [(c,) for c in group.prefixes]


def test_guid_upns_plan_sixteen_partitions_and_probe_the_rest_in_groups() -> None:
    plan = plan_partitions(guid_upns(999), 16)
    singles = [p for p in plan if not p.is_group]
    assert sorted(p.prefixes[0] for p in singles) == sorted("0123456789abcdef")
    groups = [p for p in plan if p.is_group]
    assert all(len(g.prefixes) <= GROUP_SIZE for g in groups)
    assert len(groups) == -(-(len(PARTITION_CHARACTERS) - 16) // GROUP_SIZE)
    assert plan[-len(groups):] == groups  # the expected-empty groups go last
    assert "$" in PARTITION_CHARACTERS and "'" in PARTITION_CHARACTERS


def test_a_big_prefix_in_the_sample_is_split_and_listed_first() -> None:
    plan = plan_partitions(name_upns(999), 16)
    singles = [p.prefixes[0] for p in plan if not p.is_group]
    assert "s" not in singles and {"sa", "se", "si", "so", "su"} <= set(singles)
    shares = [p.share for p in plan if not p.is_group]
    assert shares == sorted(shares, reverse=True)  # biggest first
    assert max(shares) <= 1.5 / 16


def test_a_sorted_sample_says_nothing_so_every_first_character_is_probed_alone() -> None:
    plan = plan_partitions(sorted(guid_upns(999)), 16)
    assert [p.prefixes for p in plan] == [(c,) for c in PARTITION_CHARACTERS]
    assert all(p.share is None for p in plan)


def test_a_first_character_outside_the_alphabet_gets_its_own_partition() -> None:
    plan = plan_partitions([*guid_upns(50), "\u00e9lodie@contoso.com"], 16)
    assert len(matching(plan, "\u00e9mile@contoso.com")) == 1


# -- listing --------------------------------------------------------------------------------

@pytest.mark.parametrize(("upns", "order", "concurrency", "splits"), [
    (guid_upns(3000), "shuffled", 8, False),
    (name_upns(3000), "shuffled", 8, False),  # the sample splits "s" in the plan
    (guid_upns(3000), "sorted", 8, False),  # 16 big partitions: enough for 8 at once
    (guid_upns(3000), "sorted", 32, True),  # 16 big ones for 32: split as they show up
    (name_upns(2000), "sorted", 32, True),
])
async def test_partitioned_listing_lists_exactly_the_sequential_users(
        upns: list[str], order: str, concurrency: int, splits: bool) -> None:
    server = FilteredUsers(upns, order=order)
    core = GraphCore(None, transport=httpx.MockTransport(server))
    expected = await sequential_ids(core, 40)
    assert len(expected) == len(upns)
    users = listing(core, 40, concurrency=concurrency)
    ids = await partitioned_ids(users)
    assert len(ids) == len(set(ids))  # no duplicates
    assert set(ids) == set(expected)  # no loss
    status = users.status()
    assert status.partitions > 16 and status.done == status.partitions and status.active == 0
    assert (status.splits > 0) is splits
    assert core.stats.listeners == []


async def test_the_plan_lists_the_biggest_partitions_first() -> None:
    server = FilteredUsers(name_upns(3000))
    core = GraphCore(None, transport=httpx.MockTransport(server))
    await partitioned_ids(listing(core, 500, concurrency=1))
    firsts = [f for f, url in zip(server.filters, server.calls, strict=True)
              if f is not None and "skiptoken" not in url]
    assert _PREFIX.findall(firsts[0]) == ["s"]  # names starting with s are the most
    assert " or " in firsts[-1]  # the expected-empty groups come last


async def test_a_tenant_of_one_page_takes_one_request() -> None:
    server = FilteredUsers(guid_upns(40))
    core = GraphCore(None, transport=httpx.MockTransport(server))
    users = listing(core, 50)
    assert len(await partitioned_ids(users)) == 40
    assert len(server.calls) == 1 and users.status().partitions == 0
    assert "userPrincipalName" in parse_qs(urlsplit(server.calls[0]).query)["$select"][0]


async def test_grouped_prefixes_refused_by_graph_are_probed_one_by_one() -> None:
    server = FilteredUsers(name_upns(1500), refuse_or=True)
    core = GraphCore(None, transport=httpx.MockTransport(server))
    ids = await partitioned_ids(listing(core, 50, concurrency=4))
    assert set(ids) == {u["id"] for u in server.users} and len(ids) == len(set(ids))
    refused = [f for f in server.filters if f and " or " in f]
    assert len(refused) <= 4  # after the first refusals, groups are not sent any more


async def test_prefixes_graph_refuses_are_skipped_only_if_no_upn_can_hold_them() -> None:
    server = FilteredUsers(name_upns(1200), refuse_or=True, refuse="%\\`")
    core = GraphCore(None, transport=httpx.MockTransport(server))
    ids = await partitioned_ids(listing(core, 100, concurrency=4))
    assert sorted(ids) == sorted(u["id"] for u in server.users)
    server = FilteredUsers(name_upns(1200), refuse_or=True, refuse="$")
    core = GraphCore(None, transport=httpx.MockTransport(server))
    with pytest.raises(GraphError, match="Request_BadRequest"):  # "$admin@..." exists
        await partitioned_ids(listing(core, 100, concurrency=4))


async def test_throttling_pauses_and_slows_the_budget_and_nothing_is_lost() -> None:
    server = FilteredUsers(guid_upns(2000))
    for call in (4, 5, 9):
        server.faults[call] = lambda request: error(429, "TooManyRequests",
                                                    headers={"Retry-After": "3"})
    sleep = FakeSleep()
    core = GraphCore(None, transport=httpx.MockTransport(server), sleep=sleep,
                     clock=sleep.clock)
    budget = RequestBudget(units_per_10s=8000, clock=sleep.clock, sleep=sleep)
    users = listing(core, 100, concurrency=4, budget=budget)
    ids = await partitioned_ids(users)
    assert set(ids) == {u["id"] for u in server.users} and len(ids) == len(set(ids))
    assert budget.throttled == 3 and users.status().throttled == 3
    assert budget.requests_per_second < budget.full_rate  # backed off, recovering
    assert "backing off" in users.status().budget


def test_the_budget_paces_requests_and_recovers_after_a_throttle() -> None:
    sleep = FakeSleep()
    budget = RequestBudget(units_per_10s=100, share=1.0, clock=sleep.clock, sleep=sleep)

    async def take(n: int) -> None:
        for _ in range(n):
            await budget.acquire()

    asyncio.run(take(30))  # 10 a second, one second of burst: 20 more take 2 s
    assert sleep.now == pytest.approx(2.0, abs=0.01)
    budget.throttle(5.0)
    assert budget.requests_per_second == 5.0
    start = sleep.now
    asyncio.run(take(1))
    assert sleep.now - start >= 5.0  # paused for Retry-After
    sleep.now += 60  # a quiet minute: back to the full rate
    asyncio.run(take(1))
    assert budget.requests_per_second == budget.full_rate == 10.0


async def test_an_error_in_one_partition_reaches_the_consumer_and_stops_the_others() -> None:
    server = FilteredUsers(guid_upns(3000))
    server.faults[6] = lambda request: error(403, "Authorization_RequestDenied", "No.")
    core = GraphCore(None, transport=httpx.MockTransport(server))
    users = listing(core, 50, concurrency=4)
    with pytest.raises(GraphError, match="Authorization_RequestDenied"):
        await partitioned_ids(users)
    calls = len(server.calls)
    await asyncio.sleep(0.05)
    assert len(server.calls) == calls  # nothing keeps listing in the background
    assert core.stats.listeners == []


async def test_closing_the_listing_cancels_the_requests_in_flight() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()
    inner = FilteredUsers(guid_upns(3000))

    async def handler(request: httpx.Request) -> httpx.Response:
        if "filter" not in str(request.url):
            return inner(request)
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("never answered")

    core = GraphCore(None, transport=httpx.MockTransport(handler))
    users = listing(core, 50, concurrency=4)
    first = await anext(users)
    assert len(first.items) == 50
    await asyncio.wait_for(started.wait(), 2)
    await users.aclose()
    assert cancelled.is_set()
    with pytest.raises(StopAsyncIteration):
        await anext(users)


def test_only_a_whole_unsorted_users_listing_is_partitioned() -> None:
    core = GraphCore(None, transport=httpx.MockTransport(FilteredUsers([])))
    assert partitioned_pages(core.pages("/users", params={"$top": "999"})) is not None
    for params in ({"$filter": "startswith(displayName,'a')"}, {"$orderby": "displayName"},
                   {"$search": '"displayName:a"'}):
        assert partitioned_pages(core.pages("/users", params=params)) is None
    assert partitioned_pages(core.pages("/applications")) is None
    assert partitioned_pages(core.pages("/users", headers={"ConsistencyLevel": "eventual"})) \
        is None
    assert partitioned_pages([]) is None


async def test_a_started_or_closed_listing_is_not_taken_over() -> None:
    core = GraphCore(None, transport=httpx.MockTransport(FilteredUsers(name_upns(30))))
    pages = core.pages("/users", params={"$top": "10"}, headers={"X-Test": "1"})
    first = pages.unstarted_request()
    assert first is not None and first.source is core and first.headers == {"X-Test": "1"}
    assert first.url == "https://graph.microsoft.com/v1.0/users?$top=10"
    await anext(pages)
    assert pages.unstarted_request() is None
    assert partitioned_pages(pages) is None
    await pages.aclose()
    closed = core.pages("/users")
    await closed.aclose()
    assert closed.unstarted_request() is None
    assert partitioned_pages(closed) is None


async def test_list_users_parallel_keeps_its_interface() -> None:
    server = FilteredUsers(name_upns(1200))
    core = GraphCore(None, transport=httpx.MockTransport(server))
    batches = [b async for b in list_users_parallel(core, top=100, concurrency=4)]
    ids = [u["id"] for b in batches for u in b]
    assert sorted(ids) == sorted(u["id"] for u in server.users)
    fixed = [b async for b in list_users_parallel(core, top=100, partitions=["s", "j"])]
    assert {u["userPrincipalName"][0] for b in fixed for u in b} == {"s", "j"}
