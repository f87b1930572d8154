"""The core under faults: throttling waited out, storms bounded, drops retried, typed errors."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest

from b2c_tui.graph import (
    BatchRequest,
    GraphCore,
    NetworkError,
    OutcomeUnknownError,
    RetryEvent,
    RetryPolicy,
)
from b2c_tui.graph.errors import (
    GraphError,
    NotFoundError,
    ServiceUnavailableError,
    ThrottledError,
)
from b2c_tui.graph.retry import parse_retry_after
from tests.helpers.fake_graph import FakeSleep, PagedUsers, drop, error


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


# -- connections that cannot be made: reported in seconds, every retry announced --------------

def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def unresolvable(request: httpx.Request) -> httpx.Response:
    try:
        raise socket.gaierror(-2, "Name or service not known")
    except socket.gaierror as cause:
        raise httpx.ConnectError(str(cause), request=request) from cause


@pytest.mark.parametrize(("handler", "reason"), [(refused, "connection refused"),
                                                 (unresolvable, "host not found")])
async def test_unreachable_graph_is_reported_within_seconds(handler, reason) -> None:
    sleep = FakeSleep()
    events: list[RetryEvent] = []
    core = core_for(handler, sleep)
    core.add_listener(events.append)
    with pytest.raises(NetworkError) as info:
        await core.get_json("/users")
    policy = core.retry
    assert sum(sleep.waits) <= policy.max_connect_seconds  # not the 120 s budget
    assert 2 <= info.value.attempts < policy.max_attempts
    assert reason in str(info.value) and "graph.microsoft.com" in str(info.value)
    assert info.value.reason == reason
    # Every wait was announced, in order, with its attempt, reason and delay.
    assert [e.attempt for e in events] == list(range(1, info.value.attempts))
    assert [e.delay for e in events] == sleep.waits
    assert all(e.reason == reason and e.status is None and e.network for e in events)


async def test_a_real_refused_port_is_classified() -> None:
    with socket.socket() as sock:  # a port nobody listens on: bind, note it, close
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleep = FakeSleep()
    core = GraphCore(None, graph_url=f"http://127.0.0.1:{port}", sleep=sleep, clock=sleep.clock)
    with pytest.raises(NetworkError) as info:
        await core.get_json("/users")
    await core.aclose()
    assert info.value.reason == "connection refused"
    assert sum(sleep.waits) <= core.retry.max_connect_seconds


async def test_a_connection_that_comes_back_is_retried_and_announced() -> None:
    server = PagedUsers(3)
    server.faults[1] = refused
    server.faults[2] = refused
    sleep = FakeSleep()
    events: list[RetryEvent] = []
    core = core_for(server, sleep)
    core.add_listener(events.append)
    assert len(await core.pages("/users").collect()) == 3
    assert [(e.attempt, e.reason) for e in events] == [(1, "connection refused"),
                                                       (2, "connection refused")]


async def test_throttling_is_announced_with_its_reason() -> None:
    server = PagedUsers(1)
    server.faults[1] = lambda r: error(429, "TooManyRequests", headers={"Retry-After": "3"})
    server.faults[2] = lambda r: error(503, "ServiceUnavailable", headers={"Retry-After": "1"})
    events: list[RetryEvent] = []
    core = core_for(server)
    core.add_listener(events.append)
    await core.pages("/users").collect()
    assert [(e.status, e.delay, e.attempt, e.reason) for e in events] == [
        (429, 3.0, 1, "throttled (429)"), (503, 1.0, 2, "service unavailable (503)")]
    assert events[0].throttled and not events[1].throttled


# -- a change whose answer was lost ---------------------------------------------------------

@pytest.mark.parametrize("fault", [
    drop,
    lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("timed out", request=r)),
])
async def test_a_dropped_create_is_outcome_unknown_and_not_resent(fault) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return fault(request)

    core = core_for(handler)
    with pytest.raises(OutcomeUnknownError) as info:
        await core.send_json("POST", "/users", {"displayName": "x"})
    assert len(calls) == 1
    err = info.value
    assert isinstance(err, NetworkError) and isinstance(err, GraphError)
    assert err.status is None and err.code == "OutcomeUnknown"
    text = str(err)
    assert "dropped before Graph answered" in text and "may" in text
    assert "refused" not in text.lower()


async def test_a_create_that_never_connected_is_resent() -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        if len(attempts) == 1:
            return refused(request)
        return httpx.Response(201, json={"id": "new"})

    assert await core_for(handler).send_json("POST", "/users", {}) == {"id": "new"}
    assert attempts == ["POST", "POST"]


async def test_a_dropped_batch_of_reads_is_resent_but_a_batch_of_changes_is_not() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return drop(request)
        body = json.loads(request.content)
        return httpx.Response(200, json={"responses": [
            {"id": r["id"], "status": 200, "body": {"id": r["url"]}} for r in body["requests"]]})

    core = core_for(handler)
    results = await core.batch([BatchRequest("GET", "/users/a"), BatchRequest("GET", "/users/b")])
    assert [r.status for r in results] == [200, 200] and len(calls) == 2
    calls.clear()
    with pytest.raises(OutcomeUnknownError):
        await core.batch([BatchRequest("PATCH", "/users/a", body={"displayName": "n"})])
    assert len(calls) == 1
