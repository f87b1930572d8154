"""A process killed between the journal write and Graph's answer; the next start reconciles.

The demo tenant is served over loopback by this test (so it outlives the killed process); a
child process commits three renames through it and is killed with SIGKILL either before its
``$batch`` leaves (nothing applied) or after the tenant applied it but before the answer came.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from b2c_tui.changes import Journal, reconcile
from b2c_tui.emulator import create_emulator
from b2c_tui.graph import GraphClient
from tests.helpers.serve import serving

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

TENANT = "contosob2c.onmicrosoft.com"
HANG_GUARD = 120.0  # seconds: only so a broken test fails instead of hanging forever

CHILD = r"""
import asyncio, json, sys
import httpx
from b2c_tui.changes import Change, Journal, commit
from b2c_tui.graph import GraphClient
from tests.helpers.serve import serving

path, base, mode, users = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])

class Hang(httpx.AsyncBaseTransport):
    def __init__(self):
        self.inner = httpx.AsyncHTTPTransport()
    async def handle_async_request(self, request):
        if mode == "before" and request.url.path.endswith("/$batch"):
            print("SENDING", flush=True)
            await asyncio.sleep(3600)
        return await self.inner.handle_async_request(request)

async def main():
    client = GraphClient.create(None, graph_url=base, transport=Hang())
    journal = Journal(path, tenant="contosob2c.onmicrosoft.com", profile="crash")
    changes = [Change.update("user", u["id"], {"displayName": u["displayName"] + " (crash)"},
                             old={"displayName": u["displayName"]}) for u in users]
    print("STARTING", flush=True)
    await commit(client, changes, journal)
    print("FINISHED", flush=True)

asyncio.run(main())
"""


class Gate:
    """Lets the tenant apply a ``$batch``, then never answers it (and says so)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.applied = threading.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/$batch"):
            async def swallow(message: dict[str, Any]) -> None:
                pass

            await self.app(scope, receive, swallow)
            self.applied.set()
            await asyncio.sleep(3600)  # cancelled at shutdown
            return
        await self.app(scope, receive, send)


@pytest.fixture
def served() -> Iterator[tuple[Gate, str]]:
    emulator = create_emulator(users=40, tenant=TENANT, throttling=False)
    gate = Gate(emulator.asgi)
    with serving(gate) as base:
        yield gate, base


async def names(client: GraphClient, ids: list[str]) -> list[str]:
    return [(await client.users.get(i, select=["displayName"]))["displayName"] for i in ids]


@pytest.mark.parametrize(("kill_when", "expected"), [("before", "not_applied"),
                                                     ("after", "done")])
async def test_killed_mid_commit_then_reconciled(served, tmp_path: Path, kill_when: str,
                                                 expected: str) -> None:
    gate, base = served
    client = GraphClient.create(None, graph_url=base)
    try:
        users = await client.users.list(select=["id", "displayName"], top=3).collect(3)
        path = tmp_path / "journal.jsonl"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), base, kill_when, json.dumps(users)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "STARTING"
            if kill_when == "before":
                assert child.stdout.readline().strip() == "SENDING"
            else:
                assert await asyncio.to_thread(gate.applied.wait, HANG_GUARD)
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(HANG_GUARD)
            for stream in (child.stdout, child.stderr):
                if stream is not None:
                    stream.close()
        assert child.returncode == -signal.SIGKILL

        # The next start: the journal holds the three renames, pending.
        journal = Journal(path, tenant=TENANT, profile="crash")
        pending = journal.pending()
        assert [e.object_id for e in pending] == [u["id"] for u in users]
        results = await reconcile(client, journal)
        assert [r.state for r in results] == [expected] * 3
        assert [e.state for e in journal.entries()] == [expected] * 3
        suffix = " (crash)" if expected == "done" else ""
        assert await names(client, [u["id"] for u in users]) == [
            u["displayName"] + suffix for u in users]
    finally:
        await client.aclose()
