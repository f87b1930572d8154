"""Export a whole users collection over the network: 1,000,000 demo users served on loopback
with 200 ms of latency per page, written to CSV by ``export_stream`` as the explorer and the CLI
run it (parallel, UPN partitions, within the request budget).

The demo tenant runs in a child process with Graph's throttling on (the client must stay inside
the documented budget: any 429 is reported). Baselines measured in the same run: a sequential
export of the same listing for :data:`SEQUENTIAL_PAGES` pages (its rate, and the time a whole
sequential export would take at that rate), and a plain 10-million-step Python loop (how fast
the machine is right now). Goal: at most 30 s for 1,000,000 users at 200 ms a page.

    python -m benchmarks.bench_export_whole            # full run, writes results
    python -m benchmarks.bench_export_whole --quick    # a smoke run (CI): 20k users, 10 ms
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from b2c_tui.frames.columns import select_for
from b2c_tui.frames.export import ExportProgress, export_stream
from b2c_tui.frames.users import USER_COLUMNS, USER_COLUMNS_BY_KEY
from b2c_tui.graph import GraphClient

from .bench_export import machine_speed
from .results_md import write_section
from .serve import emulator_process

RESULTS = Path(__file__).parent / "results"
GOAL_SECONDS = 30.0
SEQUENTIAL_PAGES = 25
COLUMNS = [*USER_COLUMNS, USER_COLUMNS_BY_KEY["id"]]


async def export(base: str, target: Path, *, parallel: bool, pages: int | None = None,
                 concurrency: int = 16) -> dict[str, Any]:
    """One export; ``pages`` stops a sequential one after that many pages (cancelled)."""
    cancel = asyncio.Event()
    last: list[ExportProgress] = []

    def progress(report: ExportProgress) -> None:
        last[:] = [report]
        if pages is not None and report.pages >= pages:
            cancel.set()

    async with GraphClient.create(None, graph_url=base) as graph:
        started = time.perf_counter()
        cpu = time.process_time()
        result = await export_stream(
            graph.users.list(select=select_for(COLUMNS), top=999), target, COLUMNS,
            parallel=parallel, concurrency=concurrency, progress=progress, cancel=cancel,
            core=graph.core, overwrite=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if pages is None and not result.ok:
        raise SystemExit(f"export failed: {result.message}")
    report = last[-1] if last else None
    return {"rows": result.rows, "seconds": round(seconds, 3), "cpu_s": round(cpu, 3),
            "rows_per_s": round(result.rows / seconds), "partitions": result.partitions,
            "throttled": result.throttled, "budget": report.budget if report else ""}


def ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[-1] for row in list(csv.reader(handle))[1:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="smoke run; writes nothing")
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.latency = 20_000, 0.01

    def log(line: str) -> None:
        print(line, file=sys.stderr)

    failures: list[str] = []
    loop = machine_speed()
    log(f"{args.users:,} users, {args.latency * 1000:.0f} ms a page; 10M loop {loop:.2f}s")
    with emulator_process(args.users, latency=args.latency, throttling=True) as base, \
            tempfile.TemporaryDirectory(prefix="bench-export-whole-") as tmp:
        folder = Path(tmp)
        sequential = asyncio.run(export(base, folder / "seq.csv", parallel=False,
                                        pages=None if args.quick else SEQUENTIAL_PAGES))
        parallel = asyncio.run(export(base, folder / "par.csv", parallel=True,
                                      concurrency=args.concurrency))
        if args.quick:  # the whole sequential export exists: the rows must be the same
            seq_ids, par_ids = ids(folder / "seq.csv"), ids(folder / "par.csv")
            if sorted(seq_ids) != sorted(par_ids) or len(set(par_ids)) != len(par_ids):
                failures.append("the parallel export's rows differ from the sequential one's")
    whole_sequential = parallel["rows"] / sequential["rows_per_s"]
    log(f"  sequential: {sequential['rows_per_s']:,} rows/s -> a whole export would take "
        f"{whole_sequential:,.0f}s")
    log(f"  parallel:   {parallel['rows']:,} rows in {parallel['seconds']}s = "
        f"{parallel['rows_per_s']:,} rows/s, {parallel['partitions']} partitions, "
        f"{parallel['throttled']} throttled, CPU {parallel['cpu_s']}s; budget {parallel['budget']}")
    if parallel["throttled"]:
        failures.append(f"{parallel['throttled']} requests throttled: over the budget")
    if not args.quick:
        if parallel["seconds"] > GOAL_SECONDS:
            failures.append(f"parallel export {parallel['seconds']}s > {GOAL_SECONDS}s")
        result = {"benchmark": "export_whole", "python": platform.python_version(),
                  "machine": f"{platform.machine()} {platform.system()}",
                  "date": time.strftime("%Y-%m-%d"), "users": args.users,
                  "latency_s": args.latency, "concurrency": args.concurrency,
                  "loop_10m_s": round(loop, 3), "sequential": sequential, "parallel": parallel,
                  "sequential_whole_s": round(whole_sequential, 1),
                  "ratio_to_sequential": round(parallel["seconds"] / whole_sequential, 4),
                  "ratio_loop": round(parallel["seconds"] / loop, 2), "failures": failures}
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "export_whole.json").write_text(json.dumps(result, indent=2) + "\n")
        write_section("\n".join([
            "## Whole-collection export (bench_export_whole.py)\n",
            f"`python -m benchmarks.bench_export_whole` ({result['date']}, Python "
            f"{result['python']}, {result['machine']}): {args.users:,} demo users served in a "
            f"child process with {args.latency * 1000:.0f} ms a page and Graph's throttling on, "
            "exported to CSV (default users view and id) by `export_stream` in parallel "
            f"({args.concurrency} partitions at once).\n",
            f"- parallel: **{parallel['seconds']} s** ({parallel['rows_per_s']:,} rows/s, "
            f"{parallel['partitions']} partitions, {parallel['throttled']} throttled, client "
            f"CPU {parallel['cpu_s']} s; budget {parallel['budget']}); goal {GOAL_SECONDS} s",
            f"- baseline, sequential in the same run: {sequential['rows_per_s']:,} rows/s over "
            f"{SEQUENTIAL_PAGES} pages, so {whole_sequential:,.0f} s for the whole collection "
            f"(ratio {result['ratio_to_sequential']})",
            f"- baseline, 10M-step loop: {loop:.2f} s (ratio {result['ratio_loop']})",
            "\nGoal " + ("met." if not failures else "MISSED: " + "; ".join(failures)) + "\n",
        ]))
    for failure in failures:
        log(f"FLOOR MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
