"""Commit 10,000 extension-attribute edits to the demo tenant with throttling on.

Measures what :func:`b2c_tui.changes.commit` costs and checks that nothing is lost or applied
twice: every change is journaled once (fsynced before its ``$batch``), every user ends with
the new value, and the tenant applied exactly one PATCH per user (counted from the inner
``$batch`` answers, where throttled requests answer 429 and are sent again).

The demo tenant runs in process on a manual clock: Graph's write budget (3,000 writes per
150 s per tenant) makes it answer 429 with ``Retry-After`` well before 10,000, and the client's
waits move that clock instead of sleeping. So two rates are reported: the client's own (wall
time, in-process tenant included) and the one a tenant with that budget allows (wall time plus
the waits Graph asked for).

    python -m benchmarks.bench_commit            # full run, writes results
    python -m benchmarks.bench_commit --quick    # a smoke run (CI); writes nothing
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson

from b2c_tui.changes import Change, Journal, commit
from b2c_tui.emulator import create_emulator
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.graph import GraphClient

from .results_md import write_section

RESULTS = Path(__file__).parent / "results"
TENANT = "contosob2c.onmicrosoft.com"


class Counting(httpx.AsyncBaseTransport):
    """The in-process tenant, counting the inner PATCHes it applied (2xx) per path."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.applied: Counter[str] = Counter()
        self.throttled = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not request.url.path.endswith("/$batch"):
            return response
        content = await response.aread()
        sent = {r["id"]: r for r in orjson.loads(request.content)["requests"]}
        for answer in orjson.loads(content).get("responses", []):
            item = sent[answer["id"]]
            if item["method"] == "PATCH" and 200 <= answer["status"] < 300:
                self.applied[item["url"]] += 1
            elif answer["status"] == 429:
                self.throttled += 1
        return httpx.Response(response.status_code, headers=response.headers, content=content)


async def run(changes: int, folder: Path) -> dict[str, Any]:
    clock = ManualClock()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    # A few more users than edits: the demo tenant keeps some of its users in deleted items.
    emulator = create_emulator(users=changes + 50, tenant=TENANT, throttling=True, clock=clock)
    transport = Counting(emulator.asgi)
    async with GraphClient.create(None, transport=transport, sleep=sleep) as client:
        ext_app = next(a for a in await client.applications.list(
            select=["appId", "displayName"]).collect()
            if a["displayName"].startswith("b2c-extensions-app"))
        attribute = f"extension_{ext_app['appId'].replace('-', '')}_loyaltyNumber"
        users = await client.users.list(select=["id", "displayName", attribute]).collect()
        todo = [Change.update("user", u["id"], {attribute: f"BENCH{n:06d}"},
                              old={attribute: u.get(attribute)}, display_name=u["displayName"])
                for n, u in enumerate(users[:changes])]
        assert len(todo) == changes, f"{len(todo)} users to edit, {changes} asked for"
        journal = Journal(folder / "journal.jsonl", tenant=TENANT, profile="bench")

        cpu0, t0 = time.process_time(), time.perf_counter()
        results = await commit(client, todo, journal)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0

        now = {u["id"]: u.get(attribute)
               for u in await client.users.list(select=["id", attribute]).collect()}
    entries = journal.entries()
    expected = {c.object_id: c.new[attribute] for c in todo}
    failures = []
    if sum(r.ok for r in results) != len(todo):
        failures.append(f"{len(todo) - sum(r.ok for r in results)} changes not done")
    if len(entries) != len(todo) or len({e.id for e in entries}) != len(todo):
        failures.append("the journal does not hold each change exactly once")
    if any(e.state != "done" for e in entries):
        failures.append("journal entries left not done")
    lost = [i for i, value in expected.items() if now.get(i) != value]
    if lost:
        failures.append(f"{len(lost)} users lack their new value")
    twice = [p for p, n in transport.applied.items() if n != 1]
    if twice or len(transport.applied) != len(todo):
        failures.append(f"{len(twice)} users were patched other than once")
    waited = sum(waits)
    return {
        "changes": len(todo), "batches": -(-len(todo) // 20), "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2), "client_changes_per_s": round(len(todo) / wall),
        "throttled_inner_requests": transport.throttled, "retry_waits": len(waits),
        "waited_s": round(waited, 1),
        "changes_per_s_within_graph_budget": round(len(todo) / (wall + waited), 1),
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="smoke run; writes nothing")
    args = parser.parse_args(argv)
    changes = 3_500 if args.quick else args.changes  # still past the 3,000-write budget
    with tempfile.TemporaryDirectory() as folder:
        row = asyncio.run(run(changes, Path(folder)))
    print(json.dumps(row, indent=2), file=sys.stderr)
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        out = {"benchmark": "commit", "python": platform.python_version(),
               "machine": f"{platform.machine()} {platform.system()}",
               "date": time.strftime("%Y-%m-%d"), **row}
        (RESULTS / "commit.json").write_text(json.dumps(out, indent=2) + "\n")
        write_section(
            "## Committing edits (bench_commit)\n\n"
            f"{row['changes']:,} extension-attribute edits to the demo tenant, throttling on, "
            f"{row['batches']} `$batch` requests: {row['wall_s']} s wall "
            f"({row['client_changes_per_s']:,} changes/s for the client and the in-process "
            f"tenant), {row['throttled_inner_requests']} inner 429s waited out "
            f"({row['waited_s']} s asked by Graph), so {row['changes_per_s_within_graph_budget']}"
            " changes/s within Graph's write budget. Lost or duplicated changes: "
            f"{'none' if not row['failures'] else '; '.join(row['failures'])}. "
            f"Python {out['python']}, {out['machine']}, {out['date']}.\n"
        )
    for failure in row["failures"]:
        print(f"CHECK FAILED: {failure}", file=sys.stderr)
    return 1 if row["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
