"""Paging (verbatim nextLink, prefetch, cancel) and $batch (chunks, dependsOn, inner 429s)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from b2c_tui.graph import BatchRequest, GraphCore, ReadOnlyError
from b2c_tui.graph.batch import plan_batches
from tests.helpers.fake_graph import FakeSleep, PagedUsers


def core_for(handler, **kw) -> GraphCore:
    sleep = FakeSleep()
    return GraphCore(None, transport=httpx.MockTransport(handler), sleep=sleep,
                     clock=sleep.clock, **kw)


async def test_next_link_is_followed_verbatim() -> None:
    server = PagedUsers(25, page_size=10)
    core = core_for(server)
    pages = [p async for p in core.pages("/users", params={"$top": "10", "$select": "id"})]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert server.calls[0] == "https://graph.microsoft.com/v1.0/users?$top=10&$select=id"
    assert server.calls[1] == "https://graph.microsoft.com/v1.0/users?$top=10&$skiptoken=10"
    assert not pages[-1].has_more


async def test_empty_page_with_next_link_is_not_the_end() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if len(calls) == 1:
            return httpx.Response(200, json={"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=a"})
        return httpx.Response(200, json={"value": [{"id": "1"}]})

    assert await core_for(handler).pages("/users").collect() == [{"id": "1"}]


async def test_next_page_is_prefetched_while_caller_works() -> None:
    release = asyncio.Event()
    started: list[str] = []

    async def slow_page(request: httpx.Request) -> httpx.Response:
        started.append(str(request.url))
        if "skiptoken" in str(request.url):
            await release.wait()
            return httpx.Response(200, json={"value": [{"id": "2"}]})
        return httpx.Response(200, json={"value": [{"id": "1"}],
                                         "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"})

    core = GraphCore(None, transport=httpx.MockTransport(slow_page))
    pages = core.pages("/users")
    first = await pages.__anext__()
    assert first.items == [{"id": "1"}]
    for _ in range(20):  # let the prefetch task reach the transport
        await asyncio.sleep(0)
    assert len(started) == 2, "page 2 should be requested before the caller asks for it"
    release.set()
    second = await pages.__anext__()
    assert second.items == [{"id": "2"}]
    await pages.aclose()


async def test_prefetch_off_waits_for_the_caller_and_turning_it_on_asks_at_once() -> None:
    server = PagedUsers(25, page_size=10)
    core = core_for(server)
    pages = core.pages("/users", params={"$top": "10"})
    pages.prefetch = False  # e.g. until the first page is on screen
    first = await pages.__anext__()
    for _ in range(20):
        await asyncio.sleep(0)
    assert len(first.items) == 10 and len(server.calls) == 1  # nothing asked ahead
    pages.prefetch = True
    for _ in range(20):
        await asyncio.sleep(0)
    assert len(server.calls) == 2  # the next page, requested at once
    rest = [p async for p in pages]
    assert [len(p.items) for p in rest] == [10, 5] and len(server.calls) == 3


async def test_aclose_cancels_the_prefetch_in_flight() -> None:
    cancelled = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if "skiptoken" in str(request.url):
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                cancelled.set()
                raise
        return httpx.Response(200, json={"value": [{"id": "1"}],
                                         "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"})

    core = GraphCore(None, transport=httpx.MockTransport(handler))
    pages = core.pages("/users")
    await pages.__anext__()
    await asyncio.sleep(0.01)
    await asyncio.wait_for(pages.aclose(), 1)
    assert cancelled.is_set()
    with pytest.raises(StopAsyncIteration):
        await pages.__anext__()


class BatchServer:
    """A $batch endpoint: answers inner requests through ``inner``; records batches."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.batches: list[list[dict]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/$batch")
        payload = json.loads(request.content)
        self.batches.append(payload["requests"])
        responses = [self.inner(r, len(self.batches)) for r in payload["requests"]]
        return httpx.Response(200, json={"responses": list(reversed(responses))})


async def test_batch_chunks_by_20_and_returns_request_order() -> None:
    server = BatchServer(lambda r, n: {"id": r["id"], "status": 204, "headers": {}, "body": None})
    core = core_for(server)
    requests = [BatchRequest("DELETE", f"/users/u{i}") for i in range(45)]
    results = await core.batch(requests)
    assert [len(b) for b in server.batches] == [20, 20, 5]
    assert [r.request.url for r in results] == [f"/users/u{i}" for i in range(45)]
    assert all(r.ok for r in results)


async def test_inner_429_is_retried_after_its_retry_after() -> None:
    def inner(r: dict, batch_no: int) -> dict:
        if r["url"] == "/users/u3" and batch_no == 1:
            return {"id": r["id"], "status": 429, "headers": {"Retry-After": "3"},
                    "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}}
        return {"id": r["id"], "status": 204, "headers": {}, "body": None}

    server = BatchServer(inner)
    sleep = FakeSleep()
    core = GraphCore(None, transport=httpx.MockTransport(server), sleep=sleep, clock=sleep.clock)
    results = await core.batch([BatchRequest("DELETE", f"/users/u{i}") for i in range(5)])
    assert all(r.ok for r in results)
    assert sleep.waits == [3.0]
    assert [r["url"] for r in server.batches[1]] == ["/users/u3"]


async def test_depends_on_keeps_groups_together_and_failed_dependency_reports_424() -> None:
    def inner(r: dict, batch_no: int) -> dict:
        if r["id"] == "a":
            return {"id": "a", "status": 400, "headers": {},
                    "body": {"error": {"code": "Request_BadRequest", "message": "bad"}}}
        if "a" in r.get("dependsOn", []):
            return {"id": r["id"], "status": 424, "headers": {}, "body": None}
        return {"id": r["id"], "status": 200, "headers": {}, "body": {"ok": r["id"]}}

    server = BatchServer(inner)
    core = core_for(server)
    requests = [BatchRequest("GET", f"/users/x{i}") for i in range(19)]
    requests += [BatchRequest("POST", "/users", body={"a": 1}, id="a"),
                 BatchRequest("PATCH", "/users/b", body={"b": 1}, id="b", depends_on=["a"])]
    results = await core.batch(requests)
    # 21 requests: a and b must travel together, so 19 + 2 cannot be split between them.
    assert any({"a", "b"} <= {r["id"] for r in batch} for batch in server.batches)
    by_id = {r.id: r for r in results}
    assert by_id["a"].status == 400 and by_id["a"].error.code == "Request_BadRequest"
    assert by_id["b"].status == 424
    assert server.batches[0][0]["method"] == "GET"
    wire_b = next(r for batch in server.batches for r in batch if r["id"] == "b")
    assert wire_b["dependsOn"] == ["a"] and wire_b["headers"]["Content-Type"] == "application/json"


def test_plan_refuses_unknown_dependency_and_oversized_groups() -> None:
    with pytest.raises(ValueError, match="unknown id"):
        plan_batches([BatchRequest("GET", "/a", id="1", depends_on=["nope"])])
    chain = [BatchRequest("GET", f"/u{i}", id=str(i), depends_on=[str(i - 1)] if i else [])
             for i in range(21)]
    with pytest.raises(ValueError, match="depend on each other"):
        plan_batches(chain)


async def test_batch_of_changes_is_refused_read_only_but_reads_pass() -> None:
    server = BatchServer(lambda r, n: {"id": r["id"], "status": 200, "headers": {}, "body": {}})
    core = core_for(server, read_only=True)
    with pytest.raises(ReadOnlyError):
        await core.batch([BatchRequest("DELETE", "/users/x")])
    assert server.batches == []
    results = await core.batch([BatchRequest("GET", "/users/x")])
    assert results[0].ok


class SlowBody(httpx.AsyncByteStream):
    """A body whose head arrives at once and whose rest waits for ``release``."""

    def __init__(self, head: bytes, rest: bytes, release: asyncio.Event) -> None:
        self.head, self.rest, self.release = head, rest, release

    async def __aiter__(self):
        yield self.head
        await self.release.wait()
        yield self.rest


async def test_next_page_is_requested_as_soon_as_its_link_arrives() -> None:
    """Graph writes @odata.nextLink before value: the next request need not wait for the
    rest of a large page to download and decode."""
    release = asyncio.Event()
    requested: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if "skiptoken" in str(request.url):
            return httpx.Response(200, json={"value": [{"id": "2"}]})
        head = (b'{"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=n",'
                b'"value":[')
        return httpx.Response(200, stream=SlowBody(head, b'{"id":"1"}]}', release))

    core = GraphCore(None, transport=httpx.MockTransport(handler))
    pages = core.pages("/users")
    first = asyncio.ensure_future(pages.__anext__())
    for _ in range(50):
        await asyncio.sleep(0)
        if len(requested) == 2:
            break
    assert len(requested) == 2, "page 2 should be requested while page 1 is still arriving"
    release.set()
    assert (await first).items == [{"id": "1"}]
    assert (await pages.__anext__()).items == [{"id": "2"}]
    with pytest.raises(StopAsyncIteration):
        await pages.__anext__()
    assert len(requested) == 2  # the early request was used, not sent twice


async def test_inner_requests_throttled_again_back_off_until_all_pass() -> None:
    """A write budget of 20 a second: each throttled inner request is told to retry after one
    slot (0.05 s), but the 19 resent together compete for it. Honouring Retry-After alone
    would get one through per round and give up after the attempt budget."""
    sleep = FakeSleep()
    rate = 20.0
    state = {"tokens": 1.0, "stamp": 0.0}

    def handler(request: httpx.Request) -> httpx.Response:
        now = sleep.now
        state["tokens"] = min(rate, state["tokens"] + (now - state["stamp"]) * rate)
        state["stamp"] = now
        answers = []
        for item in json.loads(request.content)["requests"]:
            if state["tokens"] >= 1:
                state["tokens"] -= 1
                answers.append({"id": item["id"], "status": 204})
            else:
                wait = (1 - state["tokens"]) / rate
                answers.append({"id": item["id"], "status": 429,
                                "headers": {"Retry-After": f"{wait:.3f}"}})
        return httpx.Response(200, json={"responses": answers})

    core = GraphCore(None, transport=httpx.MockTransport(handler), sleep=sleep,
                     clock=sleep.clock)
    results = await core.batch([BatchRequest("PATCH", f"/users/{i}", body={"a": i})
                                for i in range(20)])
    assert [r.status for r in results] == [204] * 20
    assert len(sleep.waits) < core.retry.max_attempts
    assert sleep.waits[0] == pytest.approx(0.05)  # the first wait is what Graph asked
