"""100,000 users into a DataFrame: the notebook API (``Tenant.users()``) against the raw client.

The demo tenant is served by a child process on loopback (so the CPU measured is the client's
alone), with and without latency injected per page. Both sides ask for the same ``$select``
(the users view) in pages of 999:

- raw client: ``GraphClient.users.list()`` pages collected into a list of records, then
  ``pd.DataFrame(records)`` -- what a script does by hand, with nested values left as Python
  lists and dicts and every column ``object``;
- facade: ``Tenant.users(extensions=False)`` -- the same pages through the tenant's loop thread,
  sign-in names flattened, Arrow strings, UTC timestamps, bool flags.

Runs alternate (raw, facade, raw, facade...) after one unmeasured pass that warms the
emulator's page cache; the medians are compared. Goal: the facade costs at most 10% more wall
time than the raw client.

    python -m benchmarks.bench_api            # full run: results/api.json and RESULTS.md
    python -m benchmarks.bench_api --quick    # a smoke run (CI): 3,000 users, writes nothing
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from b2c_tui.api import Tenant
from b2c_tui.connection import Connection
from b2c_tui.frames.columns import select_for
from b2c_tui.frames.users import USER_COLUMNS
from b2c_tui.graph import GraphClient

from .results_md import write_section
from .serve import emulator_process

RESULTS = Path(__file__).parent / "results"
GOAL = 1.10  # facade wall time / raw client wall time
SELECT = select_for(USER_COLUMNS)
TENANT = "contosob2c.onmicrosoft.com"


@dataclass
class Run:
    client: str
    latency_s: float
    users: int
    seconds: float
    cpu_seconds: float


async def raw_frame(base: str) -> pd.DataFrame:
    records: list[dict[str, Any]] = []
    async with GraphClient.create(None, graph_url=base) as graph:
        async for page in graph.users.list(select=SELECT, top=999):
            records.extend(page.items)
    return pd.DataFrame(records)


def facade_frame(base: str) -> pd.DataFrame:
    client = GraphClient.create(None, graph_url=base)
    with Tenant(Connection(client, TENANT, "global", False, False, None)) as tenant:
        return tenant.users(extensions=False, progress=False)


def measure(name: str, latency: float, fn: Any) -> Run:
    cpu0, t0 = time.process_time(), time.perf_counter()
    frame = fn()
    run = Run(name, latency, len(frame), time.perf_counter() - t0, time.process_time() - cpu0)
    print(f"  {name:<8} {run.users:>7} users  {run.seconds:7.2f} s  {run.cpu_seconds:6.2f} "
          "CPU-s", file=sys.stderr)
    return run


def compare(runs: list[Run], latency: float) -> dict[str, Any]:
    raw = [r for r in runs if r.client == "raw" and r.latency_s == latency]
    ours = [r for r in runs if r.client == "facade" and r.latency_s == latency]
    raw_s, ours_s = statistics.median(r.seconds for r in raw), statistics.median(
        r.seconds for r in ours)
    return {"latency_s": latency, "users": ours[0].users, "raw_s": round(raw_s, 3),
            "facade_s": round(ours_s, 3), "ratio": round(ours_s / raw_s, 3),
            "raw_cpu_s": round(statistics.median(r.cpu_seconds for r in raw), 3),
            "facade_cpu_s": round(statistics.median(r.cpu_seconds for r in ours), 3)}


def section(rows: list[dict[str, Any]], users: int, repeats: int) -> str:
    lines = [
        "## Notebook API: users into a DataFrame (bench_api.py)",
        "",
        f"`python -m benchmarks.bench_api`: {users:,} demo users served by the emulator in a "
        "child process on loopback, the users view's `$select` in pages of 999; the raw "
        "client's pages into `pd.DataFrame(records)` against `Tenant.users()` (flattened "
        f"sign-in names, Arrow strings, UTC timestamps), alternating, median of {repeats}.",
        "",
        "| latency | raw client s | facade s | facade / raw | raw CPU s | facade CPU s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['latency_s'] * 1000:.0f} ms | {r['raw_s']:.2f} | {r['facade_s']:.2f} | "
              f"**{r['ratio']:.2f}** | {r['raw_cpu_s']:.2f} | {r['facade_cpu_s']:.2f} |"
              for r in rows]
    met = all(r["ratio"] <= GOAL for r in rows)
    lines += ["", f"Goal: facade at most {GOAL - 1:.0%} slower than the raw client: "
              f"{'met' if met else 'NOT met'}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--latency", type=float, nargs="*", default=[0.0, 0.05])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smoke run; writes nothing")
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.latency, args.repeats = 3000, [0.0], 1

    runs: list[Run] = []
    for latency in args.latency:
        print(f"{args.users} users, {latency * 1000:.0f} ms per page", file=sys.stderr)
        with emulator_process(args.users, latency=latency) as base:
            asyncio.run(raw_frame(base))  # warm the emulator's page cache
            for _ in range(args.repeats):
                runs.append(measure("raw", latency, lambda: asyncio.run(raw_frame(base))))
                runs.append(measure("facade", latency, lambda: facade_frame(base)))
    rows = [compare(runs, latency) for latency in args.latency]
    failures = [f"facade/raw {r['ratio']:.2f} > {GOAL:.2f} at {r['latency_s']}s"
                for r in rows if r["ratio"] > GOAL]
    if any(r.users != runs[0].users for r in runs):
        failures.append("the two clients listed different numbers of users")
    for row in rows:
        print(f"  latency {row['latency_s']}s: facade/raw = {row['ratio']:.2f}", file=sys.stderr)
    if args.quick:
        return 1 if failures[-1:] == ["the two clients listed different numbers of users"] \
            else 0
    RESULTS.mkdir(exist_ok=True)
    out = {"benchmark": "api", "python": platform.python_version(),
           "machine": f"{platform.machine()} {platform.system()}",
           "date": time.strftime("%Y-%m-%d"), "rows": rows,
           "runs": [asdict(r) for r in runs], "failures": failures}
    (RESULTS / "api.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    write_section(section(rows, args.users, args.repeats))
    for failure in failures:
        print(f"GOAL MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
