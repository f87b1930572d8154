"""One change sent by its own request, journaled first (the explorer's single deletes)."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
import pytest

from b2c_tui.changes import Change, Journal, send_journaled
from b2c_tui.changes.journal import FILE_NAME
from b2c_tui.connection import open_demo
from b2c_tui.graph import GraphClient, ReadOnlyError
from b2c_tui.graph.errors import NotFoundError, OutcomeUnknownError

TENANT = "contosob2c.onmicrosoft.com"


def journal_in(tmp_path: Path) -> Journal:
    return Journal(tmp_path / FILE_NAME, tenant=TENANT, profile="demo")


def on_disk(journal: Journal) -> dict[str, str]:
    """Each entry's latest state as written to the file."""
    states: dict[str, str] = {}
    for line in journal.path.read_bytes().splitlines():
        record = orjson.loads(line)
        states[record["id"]] = "pending" if record["type"] == "entry" else record["state"]
    return states


async def test_the_delete_is_on_disk_as_pending_before_its_request(tmp_path) -> None:
    demo = open_demo(users=10, throttling=False)
    journal = journal_in(tmp_path)
    inner = httpx.ASGITransport(app=demo.emulator.asgi)
    seen: list[dict[str, str]] = []

    class Watching(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "DELETE":
                seen.append(on_disk(journal))
            return await inner.handle_async_request(request)

    client = GraphClient.create(None, graph_url="https://graph.microsoft.com",
                                transport=Watching())
    try:
        [user] = await client.users.list(select=["id", "displayName"], top=1).collect(1)
        answer, entry = await send_journaled(
            client, journal, Change.delete("user", user["id"], display_name=user["displayName"]),
            lambda: client.users.delete(user["id"]))
        with pytest.raises(NotFoundError):
            await client.users.get(user["id"])
    finally:
        await client.aclose()
        await demo.aclose()
    assert answer is None and seen == [{entry.id: "pending"}]
    assert journal.get(entry.id).state == "done"
    assert journal.get(entry.id).display_name == user["displayName"]


async def test_a_refusal_is_journaled_as_failed_with_graphs_message(tmp_path) -> None:
    demo = open_demo(users=10, throttling=False)
    journal = journal_in(tmp_path)
    missing = "00000000-0000-0000-0000-00000000dead"
    try:
        with pytest.raises(NotFoundError):
            await send_journaled(demo.client, journal, Change.delete("user", missing),
                                 lambda: demo.client.users.delete(missing))
    finally:
        await demo.aclose()
    [entry] = journal.entries()
    assert entry.state == "failed" and entry.code and entry.message


async def test_read_only_refuses_before_anything_is_journaled(tmp_path) -> None:
    demo = open_demo(users=10, throttling=False, read_only=True)
    journal = journal_in(tmp_path)
    called = []

    async def call() -> None:
        called.append(True)

    try:
        with pytest.raises(ReadOnlyError):
            await send_journaled(demo.client, journal, Change.delete("user", "x" * 8), call)
    finally:
        await demo.aclose()
    assert not called and not journal.path.exists()


async def test_a_lost_answer_is_checked_against_the_tenant(tmp_path) -> None:
    demo = open_demo(users=10, throttling=False)
    journal = journal_in(tmp_path)
    client = demo.client
    [user, other] = await client.users.list(select=["id"], top=2).collect(2)

    async def deleted_but_answer_lost() -> None:
        await client.users.delete(user["id"])
        raise OutcomeUnknownError("the connection dropped", method="DELETE", url="/users")

    async def lost_before_applied() -> None:
        raise OutcomeUnknownError("the connection dropped", method="DELETE", url="/users")

    try:
        answer, entry = await send_journaled(client, journal, Change.delete("user", user["id"]),
                                             deleted_but_answer_lost)
        assert answer is None and journal.get(entry.id).state == "done"
        with pytest.raises(OutcomeUnknownError):
            await send_journaled(client, journal, Change.delete("user", other["id"]),
                                 lost_before_applied)
    finally:
        await demo.aclose()
    assert [e.state for e in journal.entries()] == ["done", "not_applied"]
