"""Commit, reconcile and undo against the in-process demo tenant (throttling on)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from b2c_tui.changes import CannotUndoError, Change, Journal, commit, reconcile, undo
from b2c_tui.changes.journal import FILE_NAME
from b2c_tui.connection import Connection, open_demo
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.graph import GraphClient, ReadOnlyError

PASSWORD = "N3w!Passw0rd-journal"


class Demo:
    """A demo tenant whose clock the client's retry waits move (no real sleeping)."""

    def __init__(self, users: int = 300, *, read_only: bool = False) -> None:
        self.clock = ManualClock()
        self.sleeps: list[float] = []
        self.conn: Connection = open_demo(users=users, throttling=True, clock=self.clock,
                                          sleep=self.sleep, read_only=read_only)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    @property
    def client(self) -> GraphClient:
        return self.conn.client


@pytest.fixture
async def demo():
    d = Demo()
    yield d
    await d.conn.aclose()


def journal_in(tmp_path: Path) -> Journal:
    return Journal(tmp_path / FILE_NAME, tenant="contosob2c.onmicrosoft.com", profile="demo")


async def users_of(client: GraphClient, n: int) -> list[dict[str, Any]]:
    return await client.users.list(select=["id", "displayName", "accountEnabled"],
                                   top=999).collect(n)


def rename(user: dict[str, Any], suffix: str = " (checked)") -> Change:
    return Change.update("user", user["id"], {"displayName": user["displayName"] + suffix},
                         old={"displayName": user["displayName"]},
                         display_name=user["displayName"])


async def test_commit_hundreds_of_changes_with_throttling_and_one_refusal(demo, tmp_path):
    client = demo.client
    users = await users_of(client, 300)
    apps = await client.applications.list(select=["id", "displayName", "notes"]).collect()
    changes = [rename(u) for u in users]
    refused = Change.update("user", users[7]["id"], {"bogusProperty": "x"},
                            old={"bogusProperty": None}, display_name=users[7]["displayName"])
    changes.insert(150, refused)
    # 70 writes to applications: past Graph's 60 a minute, so some inner requests get 429.
    changes += [Change.update("application", a["id"], {"notes": f"round {r}"},
                              old={"notes": None if r == 0 else f"round {r - 1}"},
                              display_name=a["displayName"])
                for r in range(10) for a in apps]
    journal = journal_in(tmp_path)
    posts: list[int] = []

    def count(event: Any) -> None:
        posts.append(event.attempt)

    client.core.add_listener(count)
    results = await commit(client, changes, journal, chunk_size=len(apps))

    assert [r.change for r in results] == changes  # one result per change, in order
    states = Counter(r.state for r in results)
    assert states == {"done": len(changes) - 1, "failed": 1}
    [bad] = [r for r in results if not r.ok]
    assert bad.change is refused and bad.status == 400 and bad.code == "Request_BadRequest"
    assert "bogusProperty" in (bad.message or "")
    # Throttled inner requests were waited out (Retry-After honoured), none lost.
    assert client.core.stats.throttled > 0 and demo.sleeps and posts
    # The tenant holds every change exactly as committed.
    now = {u["id"]: u["displayName"] for u in await users_of(client, 300)}
    assert all(now[u["id"]] == u["displayName"] + " (checked)" for u in users)
    for app in apps:
        assert (await client.applications.get(app["id"], select=["notes"]))["notes"] == "round 9"
    # The journal has each change once, with the same outcome, and nothing pending.
    entries = journal.entries()
    assert len(entries) == len(changes) and not journal.pending()
    assert [e.id for e in entries] == [r.entry_id for r in results]
    assert [e.state for e in entries] == [r.state for r in results]
    failed = next(e for e in entries if e.state == "failed")
    assert failed.code == "Request_BadRequest" and "bogusProperty" in (failed.message or "")
    assert len({e.commit for e in entries}) == 1


async def test_each_chunk_is_journaled_and_fsynced_before_it_is_sent(tmp_path, monkeypatch):
    import b2c_tui.changes.journal as journal_module

    synced: list[int] = []
    real_fsync = journal_module.os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(journal_module.os, "fsync", fsync)
    demo = Demo(users=60)
    users = await users_of(demo.client, 45)
    journal = journal_in(tmp_path)
    seen: list[tuple[int, int, int]] = []  # (changes in the batch, pending on disk, fsyncs)
    inner = httpx.ASGITransport(app=demo.conn.emulator.asgi)

    class Watching(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/$batch"):
                body = orjson.loads(request.content)
                on_disk = [orjson.loads(line) for line in journal.path.read_bytes().splitlines()]
                states = {r["id"]: "pending" for r in on_disk if r["type"] == "entry"}
                states.update({r["id"]: r["state"] for r in on_disk if r["type"] == "state"})
                pending = sum(1 for s in states.values() if s == "pending")
                seen.append((len(body["requests"]), pending, len(synced)))
            return await inner.handle_async_request(request)

    client = GraphClient.create(None, graph_url="https://graph.microsoft.com",
                                transport=Watching())
    try:
        results = await commit(client, [rename(u) for u in users], journal)
    finally:
        await client.aclose()
        await demo.conn.aclose()
    assert all(r.ok for r in results)
    assert [n for n, _, _ in seen] == [20, 20, 5]
    # When each batch left, exactly its own changes were on disk as pending, after an fsync.
    assert [p for _, p, _ in seen] == [20, 20, 5]
    assert all(fsyncs > 0 for _, _, fsyncs in seen)
    assert [f for _, _, f in seen] == sorted({f for _, _, f in seen})  # new fsyncs each time


async def test_read_only_refuses_before_anything_is_journaled(tmp_path):
    demo = Demo(users=20, read_only=True)
    users = await users_of(demo.client, 3)
    journal = journal_in(tmp_path)
    with pytest.raises(ReadOnlyError):
        await commit(demo.client, [rename(u) for u in users], journal)
    assert not journal.path.exists()
    await demo.conn.aclose()


async def test_undo_an_update_and_not_twice(demo, tmp_path):
    client = demo.client
    [user] = await users_of(client, 1)
    journal = journal_in(tmp_path)
    [result] = await commit(client, [Change.update(
        "user", user["id"], {"displayName": "Renamed", "accountEnabled": False},
        old={"displayName": user["displayName"], "accountEnabled": True})], journal)
    assert result.ok
    reverted = await undo(client, journal, result.entry_id[:8])
    assert reverted.state == "done" and reverted.undoes == result.entry_id
    back = await client.users.get(user["id"], select=["displayName", "accountEnabled"])
    assert (back["displayName"], back["accountEnabled"]) == (user["displayName"], True)
    assert journal.get(result.entry_id).state == "undone"
    with pytest.raises(CannotUndoError, match="already undone"):
        await undo(client, journal, result.entry_id)


async def test_undo_refuses_a_change_overwritten_since(demo, tmp_path):
    client = demo.client
    [user] = await users_of(client, 1)
    journal = journal_in(tmp_path)
    [result] = await commit(client, [rename(user, " v2")], journal)
    await client.users.update(user["id"], {"displayName": "Someone else's edit"})
    with pytest.raises(CannotUndoError, match="changed since") as info:
        await undo(client, journal, result.entry_id)
    assert "Someone else's edit" in str(info.value)
    now = await client.users.get(user["id"], select=["displayName"])
    assert now["displayName"] == "Someone else's edit"  # nothing was sent
    assert len(journal.entries()) == 1


async def test_undo_a_delete_restores_the_user(demo, tmp_path):
    client = demo.client
    [user] = await users_of(client, 1)
    journal = journal_in(tmp_path)
    [result] = await commit(client, [Change.delete("user", user["id"],
                                                   display_name=user["displayName"])], journal)
    assert result.ok
    restored = await undo(client, journal, result.entry_id)
    assert restored.op == "restore" and restored.state == "done"
    assert (await client.users.get(user["id"], select=["displayName"]))["displayName"] == (
        user["displayName"])


async def test_a_purged_user_and_a_password_reset_cannot_be_undone(demo, tmp_path):
    client = demo.client
    first, second = await users_of(client, 2)
    journal = journal_in(tmp_path)
    deleted, reset = await commit(client, [
        Change.delete("user", first["id"], display_name=first["displayName"]),
        Change.update("user", second["id"], {"passwordProfile": {
            "password": PASSWORD, "forceChangePasswordNextSignIn": False}}),
    ], journal)
    assert deleted.ok and reset.ok
    assert PASSWORD not in journal.path.read_text()
    await client.deleted_items.delete(first["id"])  # purged for good
    with pytest.raises(CannotUndoError, match="no longer in deleted items"):
        await undo(client, journal, deleted.entry_id)
    with pytest.raises(CannotUndoError, match="password reset cannot be undone"):
        await undo(client, journal, reset.entry_id)


async def test_undo_is_refused_on_a_read_only_client(demo, tmp_path):
    [user] = await users_of(demo.client, 1)
    journal = journal_in(tmp_path)
    [result] = await commit(demo.client, [rename(user)], journal)
    ro = Demo(users=20, read_only=True)
    with pytest.raises(ReadOnlyError):
        await undo(ro.client, journal, result.entry_id)
    assert journal.get(result.entry_id).state == "done" and len(journal.entries()) == 1
    await ro.conn.aclose()


async def test_reconcile_settles_what_a_crash_left_pending(demo, tmp_path):
    client = demo.client
    applied, untouched, overwritten, deleted, kept = await users_of(client, 5)
    journal = journal_in(tmp_path)
    entries = journal.record([rename(applied), rename(untouched), rename(overwritten),
                              Change.delete("user", deleted["id"]),
                              Change.delete("user", kept["id"])])
    # What Graph did before the "crash": two changes made, one overwritten by someone else.
    await client.users.update(applied["id"], {"displayName": applied["displayName"] + " (checked)"})
    await client.users.update(overwritten["id"], {"displayName": "Third party"})
    await client.users.delete(deleted["id"])

    results = await reconcile(client, journal)
    assert [(r.entry.id, r.state) for r in results] == [
        (entries[0].id, "done"), (entries[1].id, "not_applied"), (entries[2].id, "unknown"),
        (entries[3].id, "done"), (entries[4].id, "not_applied")]
    assert "changed elsewhere" in (results[2].message or "")
    assert not journal.pending()
    assert [e.state for e in journal.entries()] == [r.state for r in results]
    assert await reconcile(client, journal) == []  # nothing left to settle


async def test_a_dropped_commit_is_checked_at_once_and_the_rest_not_sent(demo, tmp_path):
    users = await users_of(demo.client, 30)
    inner = httpx.ASGITransport(app=demo.conn.emulator.asgi)
    batches = 0

    class DropsFirstBatchAnswer(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal batches
            response = await inner.handle_async_request(request)
            if request.url.path.endswith("/$batch"):
                batches += 1
                await response.aread()
                raise httpx.RemoteProtocolError("Server disconnected", request=request)
            return response

    client = GraphClient.create(None, graph_url="https://graph.microsoft.com",
                                transport=DropsFirstBatchAnswer())
    journal = journal_in(tmp_path)
    try:
        results = await commit(client, [rename(u) for u in users], journal)
    finally:
        await client.aclose()
    assert batches == 1  # not resent blindly, and the next chunk never sent
    assert [r.state for r in results] == ["done"] * 20 + ["not_sent"] * 10
    assert all("dropped" in (r.message or "") for r in results)
    assert [r.entry_id for r in results[20:]] == [None] * 10
    assert len(journal.entries()) == 20 and not journal.pending()
