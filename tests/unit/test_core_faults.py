"""The core under faults: throttling waited out, storms bounded, drops retried, typed errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from b2c_tui.graph import GraphCore, NetworkError, RetryPolicy
from b2c_tui.graph.errors import (
    NotFoundError,
    ServiceUnavailableError,
    ThrottledError,
)
from b2c_tui.graph.retry import parse_retry_after

from .fakes import FakeSleep, PagedUsers, drop, error


def core_for(handler, sleep=None, **kw) -> GraphCore:
    sleep = sleep or FakeSleep()
    return GraphCore(None, transport=httpx.MockTransport(handler), sleep=sleep,
                     clock=sleep.clock, **kw)


async def test_run_of_429_with_retry_after_is_waited_out() -> None:
    server = PagedUsers(5, page_size=10)
    for n in (1, 2, 3):
        server.faults[n] = lambda r: error(429, "TooManyRequests", headers={"Retry-After": "2.128"})
    sleep = FakeSleep()
    core = core_for(server, sleep)
    items = await core.pages("/users").collect()
    assert len(items) == 5
    assert sleep.waits == [2.128, 2.128, 2.128]
    assert core.stats.throttled == 3


async def test_503_storm_ends_in_typed_error_within_bound() -> None:
    calls = 0

    def storm(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return error(503, "ServiceUnavailable", request_id=f"rid-{calls}")

    sleep = FakeSleep()
    core = core_for(storm, sleep, retry=RetryPolicy(max_attempts=5, max_total_seconds=60))
    with pytest.raises(ServiceUnavailableError) as info:
        await asyncio.wait_for(core.get_json("/users"), timeout=5)
    err = info.value
    assert calls == 5 and err.attempts == 5
    assert err.status == 503 and err.code == "ServiceUnavailable" and err.request_id == "rid-5"
    assert err.date == "2026-11-22T00:00:00"
    assert len(sleep.waits) == 4 and all(0 < w <= 30 for w in sleep.waits)
    # Exponential: later waits are (on average) longer; with equal jitter the ceiling doubles.
    assert sleep.waits[3] > sleep.waits[0]


async def test_total_time_bound_stops_early() -> None:
    sleep = FakeSleep()
    core = core_for(lambda r: error(429, "TooManyRequests", headers={"Retry-After": "40"}), sleep,
                    retry=RetryPolicy(max_attempts=50, max_total_seconds=100))
    with pytest.raises(ThrottledError) as info:
        await core.get_json("/users")
    # Two 40 s waits fit in 100 s; a third would end at 120 s, past the bound.
    assert sleep.waits == [40.0, 40.0]
    assert info.value.attempts == 3 and info.value.retry_after == 40


async def test_429_without_retry_after_backs_off_exponentially() -> None:
    # Conditional access answers 429 with no Retry-After at all.
    server = PagedUsers(1)
    for n in (1, 2, 3, 4):
        server.faults[n] = lambda r: error(429, "TooManyRequests")
    sleep = FakeSleep()
    core = core_for(server, sleep, retry=RetryPolicy(base_delay=1.0, max_delay=30))
    assert len(await core.pages("/identity/conditionalAccess/policies").collect()) == 1
    assert len(sleep.waits) == 4
    for attempt, wait in enumerate(sleep.waits, 1):
        ceiling = min(30, 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling


async def test_dropped_connection_mid_paging_loses_and_repeats_nothing() -> None:
    server = PagedUsers(95, page_size=10)
    server.faults[4] = drop  # the 4th request (page 4) drops
    server.faults[7] = drop
    core = core_for(server)
    items = await core.pages("/users").collect()
    ids = [u["id"] for u in items]
    assert ids == [f"{i:08d}" for i in range(95)]
    # The dropped requests were resent to the very same nextLink.
    assert server.calls[3] == server.calls[4]
    assert server.calls[6] == server.calls[7]


async def test_persistent_drop_is_a_network_error_not_a_hang() -> None:
    core = core_for(drop, retry=RetryPolicy(max_attempts=3))
    with pytest.raises(NetworkError) as info:
        await core.get_json("/users")
    assert info.value.attempts == 3


async def test_post_is_not_resent_after_a_drop_that_may_have_reached_the_server() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return drop(request)

    core = core_for(handler)
    with pytest.raises(NetworkError):
        await core.send_json("POST", "/users", {"displayName": "x"})
    assert len(calls) == 1


async def test_error_body_becomes_typed_error_with_ids() -> None:
    core = core_for(lambda r: error(404, "Request_ResourceNotFound", "Resource 'x' does not exist",
                                    request_id="abc"))
    with pytest.raises(NotFoundError) as info:
        await core.get_json("/users/x")
    err = info.value
    assert (err.status, err.code, err.request_id) == (404, "Request_ResourceNotFound", "abc")
    assert "Resource 'x' does not exist" in str(err) and "abc" in str(err)


async def test_401_refreshes_the_token_once() -> None:
    class Tokens:
        def __init__(self) -> None:
            self.calls: list[bool] = []

        async def token(self, *, force_refresh: bool = False) -> str:
            self.calls.append(force_refresh)
            return "fresh" if force_refresh else "stale"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer stale":
            return error(401, "InvalidAuthenticationToken")
        return httpx.Response(200, json={"id": "1"})

    tokens = Tokens()
    core = GraphCore(tokens, transport=httpx.MockTransport(handler))
    assert await core.get_json("/users/1") == {"id": "1"}
    assert tokens.calls == [False, True]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.128", 2.128), ("0", 0.0), ("17", 17.0), (" 3 ", 3.0), ("junk", None), (None, None),
     ("-4", 0.0)],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after("Sun, 22 Nov 2026 00:00:10 GMT", now=1795305600.0) == 10.0
