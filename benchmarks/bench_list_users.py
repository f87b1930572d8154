"""List 100,000 users served on loopback with injected latency per page.

Measures users/s and client CPU seconds per 100k users for:
- b2c-tui sequential paging (999 per page, prefetch of the next page),
- Microsoft's msgraph-sdk following its own paging, side by side,
- b2c-tui's opt-in parallel listing (UPN-prefix partitions), checked to return exactly the
  same set of users as the sequential listing.

The demo tenant runs in a child process, so the CPU measured here is the client's alone.

    python -m benchmarks.bench_list_users            # full run, writes results
    python -m benchmarks.bench_list_users --quick    # a smoke run (CI)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from b2c_tui.graph import GraphClient
from b2c_tui.graph.parallel import RequestBudget

from .serve import emulator_process

RESULTS = Path(__file__).parent / "results"
SELECT = ["id", "displayName", "userPrincipalName", "identities", "mail", "creationType",
          "accountEnabled", "createdDateTime"]


@dataclass
class Run:
    client: str
    latency_s: float
    users: int
    seconds: float
    cpu_seconds: float

    @property
    def users_per_s(self) -> float:
        return self.users / self.seconds

    @property
    def cpu_per_100k(self) -> float:
        return self.cpu_seconds * 100_000 / max(1, self.users)

    def row(self) -> dict[str, Any]:
        d = asdict(self)
        limit = round(999 / self.latency_s) if self.latency_s else None
        d.update(users_per_s=round(self.users_per_s), cpu_s_per_100k=round(self.cpu_per_100k, 3),
                 sequential_limit_users_per_s=limit)
        return d


async def ours_sequential(base: str) -> tuple[int, set[str]]:
    ids: set[str] = set()
    count = 0
    async with GraphClient.create(None, graph_url=base) as graph:
        async for page in graph.users.list(select=SELECT, top=999):
            count += len(page.items)
            ids.update(u["id"] for u in page.items)
    return count, ids


async def ours_parallel(base: str, concurrency: int) -> tuple[int, set[str]]:
    ids: set[str] = set()
    count = 0
    # The documented budget for a large tenant: 8,000 RU per 10 s; use half of it.
    budget = RequestBudget(units_per_10s=8000, share=0.5)
    async with GraphClient.create(None, graph_url=base) as graph:
        async for batch in graph.users.list_parallel(select=SELECT, concurrency=concurrency,
                                                     budget=budget):
            count += len(batch)
            ids.update(u["id"] for u in batch)
    return count, ids


async def msgraph_sdk(base: str, limit: int | None = None) -> tuple[int, set[str]]:
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.users.users_request_builder import UsersRequestBuilder

    adapter = GraphRequestAdapter(AnonymousAuthenticationProvider())
    adapter.base_url = f"{base}/v1.0"
    client = GraphServiceClient(request_adapter=adapter)
    query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(select=SELECT, top=999)
    result = await client.users.get(request_configuration=RequestConfiguration(
        query_parameters=query))
    ids: set[str] = set()
    count = 0
    while result is not None:
        for user in result.value or []:
            count += 1
            ids.add(str(user.id))
        if not result.odata_next_link or (limit is not None and count >= limit):
            break
        result = await client.users.with_url(result.odata_next_link).get()
    return count, ids


def measure(name: str, latency: float, fn: Any, *args: Any) -> tuple[Run, set[str]]:
    cpu0, t0 = time.process_time(), time.perf_counter()
    count, ids = asyncio.run(fn(*args))
    run = Run(name, latency, count, time.perf_counter() - t0, time.process_time() - cpu0)
    print(f"  {name:<28} {run.users:>7} users  {run.users_per_s:>8.0f} users/s  "
          f"{run.cpu_per_100k:6.2f} CPU-s/100k", file=sys.stderr)
    return run, ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--latency", type=float, nargs="*", default=[0.05, 0.2])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-sdk", action="store_true")
    parser.add_argument("--sdk-users", type=int, default=10_000,
                        help="users msgraph-sdk lists (whole pages; it is slow)")
    parser.add_argument("--quick", action="store_true", help="smoke run; writes nothing")
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.latency, args.no_sdk = 3000, [0.01], True

    runs: list[Run] = []
    failures: list[str] = []
    for latency in args.latency:
        print(f"{args.users} users, {latency * 1000:.0f} ms per page", file=sys.stderr)
        with emulator_process(args.users, latency=latency) as base:
            # One unmeasured pass first: the twin serves cached pages from then on, so what
            # is measured is the client and the injected latency, not the page generator.
            asyncio.run(ours_sequential(base))
            seq, seq_ids = measure("b2c-tui sequential", latency, ours_sequential, base)
            par, par_ids = measure("b2c-tui parallel", latency, ours_parallel, base,
                                   args.concurrency)
            runs += [seq, par]
            if not args.no_sdk:
                # kiota's parsing costs milliseconds a user: list a slice (whole pages) and
                # report rates; the users it lists must be the same as ours.
                sdk, sdk_ids = measure("msgraph-sdk sequential", latency, msgraph_sdk, base,
                                       args.sdk_users)
                runs.append(sdk)
                if not sdk_ids <= seq_ids or (sdk.users >= seq.users and sdk_ids != seq_ids):
                    failures.append("msgraph-sdk listed a different set of users")
        if seq.users != len(seq_ids) or seq_ids != par_ids or par.users != len(par_ids):
            failures.append(f"user sets differ at {latency}s: seq={seq.users} par={par.users}")
        limit = 999 / latency
        if not args.quick:
            if seq.users_per_s < 0.75 * limit:
                failures.append(f"sequential {seq.users_per_s:.0f}/s < 75% of {limit:.0f}/s")
            if seq.cpu_per_100k > 2.0:
                failures.append(f"sequential CPU {seq.cpu_per_100k:.2f} s/100k > 2")
            if latency >= 0.2 and par.users_per_s < 3 * seq.users_per_s:
                failures.append(f"parallel {par.users_per_s:.0f}/s < 3x sequential")

    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        out = {"benchmark": "list_users", "python": platform.python_version(),
               "machine": f"{platform.machine()} {platform.system()}",
               "date": time.strftime("%Y-%m-%d"), "runs": [r.row() for r in runs],
               "failures": failures}
        (RESULTS / "list_users.json").write_text(json.dumps(out, indent=2) + "\n")
    for failure in failures:
        print(f"FLOOR MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
