"""The virtual table and the paged frame at 1,000,000 users, and keys in the explorer.

Users come from the demo tenant's generator (realistic names, identities, dates) and go through
``PagedFrame.add_records`` in pages of 999, as the users pane does. Measured:

- resident memory per 100k users in the default view (RSS delta from ``/proc/self/statm``), and
  the retained bytes (tracemalloc) of the text storage choices at 100k users;
- first paint: a new table getting all pages, and the first frame after the first page
  (a bare ``VirtualTable`` under Pilot at 160x50), ``render_line`` for a full screen;
- sorting every row in a thread: how long, and how the event loop fared meanwhile (ticks of a
  ticker task, the longest stall, key latency during the sort);
- keystroke -> frame in the explorer itself (:mod:`benchmarks.explorer_keys`: users pane with
  every row appended, the app's own collector), p50 / p99 / max per key and over all keys, in
  several fresh processes, each with a fixed Python loop timed between its series of keys as
  the baseline (the ratio p99 / baseline is comparable across days; times alone are not:
  this machine's speed swings by +-30%).

    python -m benchmarks.bench_table            # full run: writes results/table.json, RESULTS.md
    python -m benchmarks.bench_table --quick    # a smoke run (20k rows, writes nothing)

Results are written only when the machine is quiet (load average below 1.0 at the start),
unless ``--force``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
from textual import events
from textual.app import App, ComposeResult

from b2c_tui.emulator.users.generator import UserGenerator
from b2c_tui.frames import paged
from b2c_tui.frames.paged import PagedFrame
from b2c_tui.frames.users import USER_COLUMNS
from b2c_tui.tui.widgets.table import VirtualTable

from .results_md import write_section

HERE = Path(__file__).parent
PAGE = 999
SIZE = (160, 50)
KEY_FLOOR_MS = 50.0
MEMORY_FLOOR_MB = 75.0


def rss_bytes() -> int:
    """Resident set size of this process."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def pages(rows: int) -> Iterator[list[dict[str, Any]]]:
    """Generated users, a Graph page at a time, decoded from JSON."""
    gen = UserGenerator(7, "contoso.onmicrosoft.com", datetime(2026, 1, 1, tzinfo=UTC), rows,
                        "extension_0c8a3a3e6f7a4b7c8d9e0f1a2b3c4d5e_")
    for start in range(0, rows, PAGE):
        page = [gen.record(i) for i in range(start, min(rows, start + PAGE))]
        # Through JSON, as the client gets them: one string object per value, no literals
        # shared by the generator.
        yield orjson.loads(orjson.dumps(page))


def load(rows: int) -> tuple[PagedFrame, dict[str, float]]:
    """``rows`` users into a default-view PagedFrame; RSS delta and timings."""
    gc.collect()
    before, started = rss_bytes(), time.perf_counter()
    frame, adding = PagedFrame(USER_COLUMNS), 0.0
    for records in pages(rows):
        t = time.perf_counter()
        frame.add_records(records)
        adding += time.perf_counter() - t
    del records
    gc.collect()
    delta = rss_bytes() - before
    return frame, {"rows": rows, "load_s": round(time.perf_counter() - started, 2),
                   "add_records_s": round(adding, 2),
                   "rss_mb_per_100k": round(delta / rows * 100_000 / 2**20, 1),
                   "pandas_deep_mb_per_100k": round(
                       frame.memory_bytes() / rows * 100_000 / 2**20, 1)}


def _storage_child(variant: str, rows: int) -> float:
    if variant == "str, not pooled":
        paged.POOL_LIMIT = 0
    tracemalloc.start()
    frame = PagedFrame(USER_COLUMNS)
    for records in pages(rows):
        chunk = frame.add_records(records)
        if variant == "object":
            for column in ("id", "displayName", "signInName", "mail", "creationType"):
                chunk[column] = chunk[column].astype(object)
    del records, chunk
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / rows * 100_000 / 2**20


def storage_choices(rows: int) -> dict[str, float]:
    """Retained MB per 100k users for the text storage choices (a fresh process each)."""
    ctx = multiprocessing.get_context("spawn")
    out = {}
    for variant in ("str (pooled, default)", "str, not pooled", "object"):
        with ctx.Pool(1) as pool:
            out[variant] = round(pool.apply(_storage_child, (variant, rows)), 1)
    return out


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable(USER_COLUMNS)


class Frames:
    """Times of the frames the screen composes (headless, so nothing is written)."""

    def __init__(self, app: App[None]) -> None:
        self.times: list[float] = []
        self.paint: list[float] = []
        self.event = asyncio.Event()
        display, refresh = app._display, app.screen._compositor_refresh

        def on_display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
                self.event.set()
            display(screen, renderable)

        def on_refresh() -> None:
            t = time.perf_counter()
            refresh()
            self.paint.append(time.perf_counter() - t)

        app._display = on_display  # type: ignore[method-assign]
        app.screen._compositor_refresh = on_refresh  # type: ignore[method-assign]

    async def after(self, t0: float, timeout: float = 10.0) -> float:
        """Seconds from ``t0`` to the first frame after it."""
        deadline = time.perf_counter() + timeout
        while not (self.times and self.times[-1] >= t0):
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), max(0.001, deadline - time.perf_counter()))
        return next(t for t in self.times if t >= t0) - t0


async def press(app: App[None], frames: Frames, key: str) -> float:
    """Send ``key`` as the terminal would; ms until the next frame."""
    await asyncio.sleep(0.02)  # let the previous frame settle
    t0 = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    return (await frames.after(t0)) * 1000


def ms(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values), 2), "max_ms": round(max(values), 2)}


async def drive(rows: int, repeat: int) -> dict[str, Any]:
    """Load ``rows`` users while a bare table runs, then time painting and sorts (with the
    explorer's collector: start-up objects frozen, collections between messages)."""
    from b2c_tui.tui.collector import QuietCollector

    app, out = TableApp(), dict[str, Any]()
    collector = QuietCollector()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.pause()
        collector.start(app)
        frame, out["memory"] = load(rows)
        frames = Frames(app)
        # Pages are handed over one DataFrame at a time and not kept, as the pane does: a
        # DataFrame is ~60 objects for the collector, the table keeps only its arrays.
        pages = frame.iter_chunks()
        t0 = time.perf_counter()
        table.append(next(pages))
        out["first_page_paint_ms"] = round((await frames.after(t0)) * 1000, 2)
        appends = []
        for chunk in pages:
            t = time.perf_counter()
            table.append(chunk)
            appends.append((time.perf_counter() - t) * 1000)
        del chunk, pages
        out["append_per_page"] = ms(appends)
        await pilot.pause()
        table.clear()
        await pilot.pause()
        t0 = time.perf_counter()
        for chunk in frame.iter_chunks():
            table.append(chunk)
        del chunk
        t1 = time.perf_counter()
        out["append_all_pages_ms"] = round((t1 - t0) * 1000, 1)
        out["paint_all_rows_ms"] = round((await frames.after(t1)) * 1000, 2)
        assert table.row_count == len(frame)
        height = table.size.height
        renders = []
        for _ in range(repeat):
            t = time.perf_counter()
            for y in range(height):
                table.render_line(y)
            renders.append((time.perf_counter() - t) * 1000)
        out["render_line_full_screen"] = {**ms(renders), "lines": height}
        out["sorts"] = [await sort(app, frames, table, column) for column in (0, 5)]
        collector.stop()
    return out


def drive_in_child(rows: int, repeat: int) -> dict[str, Any]:
    """:func:`drive` in this (fresh) process."""
    return asyncio.run(drive(rows, repeat))


def keys_in_child(rows: int, presses: int) -> dict[str, Any]:
    """Keys in the explorer with ``rows`` users appended, in this (fresh) process."""
    from .explorer_keys import explorer_keys

    frame, _memory = load(rows)
    return asyncio.run(explorer_keys(rows, frame.iter_chunks(), presses))


def run_fresh(function: Any, *args: Any) -> Any:
    """``function(*args)`` in a fresh process, so one run's heap does not colour another's."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


class GcWatch:
    """Counts full (generation 2) collections and their pauses."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif info["generation"] == 2:
            self.pauses.append((time.perf_counter() - self._start) * 1000)

    def report(self) -> dict[str, float]:
        pauses, self.pauses = self.pauses, []
        return {"count": len(pauses), "max_ms": round(max(pauses, default=0.0), 1)}

    def close(self) -> None:
        gc.callbacks.remove(self._callback)


async def sort(app: App[None], frames: Frames, table: VirtualTable, column: int
               ) -> dict[str, Any]:
    """Sort by ``column`` while a ticker measures the event loop and keys keep coming."""
    table.move_cursor(column=column, row=0)
    await asyncio.sleep(0.05)
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    watch = GcWatch()
    tick = asyncio.create_task(ticker())
    t0 = time.perf_counter()
    table.action_sort()
    during: list[float] = []
    while table.sorting:
        during.append(await press(app, frames, "down" if len(during) % 2 == 0 else "up"))
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - t0
    done.set()
    await tick
    full_gc = watch.report()
    watch.close()
    names = [table.row_texts(r)[column] for r in range(50)]
    return {"column": table.columns[column].label, "rows": table.row_count,
            "seconds": round(seconds, 3), "loop_ticks": len(gaps),
            "max_loop_stall_ms": round(max(gaps) * 1000, 1),
            "keys_during_sort": ms(during) if during else None,
            "full_gc": full_gc,
            "sorted_ok": names == sorted(names, key=str.lower) if column == 0 else None}


KEY_TARGET_MS = 16.0
QUIET_LOAD = 1.0


def verdict(result: dict[str, Any]) -> list[str]:
    """The targets missed (empty when all hold)."""
    misses = []
    keys = result["keys"]
    if keys["all_keys_p99_ms"]["median"] > KEY_TARGET_MS:
        misses.append(f"keys p99 {keys['all_keys_p99_ms']['median']} ms > {KEY_TARGET_MS:g}")
    for s in result["table"]["sorts"]:
        k = s["keys_during_sort"]
        if k and k["max_ms"] >= KEY_FLOOR_MS:
            misses.append(f"a key during the sort by {s['column']}: {k['max_ms']} ms")
    if result["memory"]["rss_mb_per_100k"] > MEMORY_FLOOR_MB:
        misses.append(f"memory: {result['memory']['rss_mb_per_100k']} MB per 100k")
    return misses


def _cell(v: dict[str, float]) -> str:
    return f"{v['median_ms']} / {v['max_ms']} ms"


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}


def summarize_keys(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians and spreads over the runs."""
    names = list(runs[0]["keys"])
    return {
        "runs": runs,
        "all_keys_p50_ms": _spread([r["all_keys"]["p50_ms"] for r in runs]),
        "all_keys_p99_ms": _spread([r["all_keys"]["p99_ms"] for r in runs]),
        "all_keys_max_ms": _spread([r["all_keys"]["max_ms"] for r in runs]),
        "baseline_ms": _spread([r["baseline_ms"] for r in runs]),
        "p99_over_baseline": _spread([r["p99_over_baseline"] for r in runs]),
        "per_key": {k: {"p50_ms": _spread([r["keys"][k]["p50_ms"] for r in runs]),
                        "p99_ms": _spread([r["keys"][k]["p99_ms"] for r in runs]),
                        "max_ms": _spread([r["keys"][k]["max_ms"] for r in runs]),
                        "n": sum(r["keys"][k]["n"] for r in runs)} for k in names},
        "collections_inside_a_key": sum(r["collections"]["inside_a_key"] for r in runs),
        "collections_by_generation": [sum(r["collections"]["by_generation"][g] for r in runs)
                                      for g in range(3)],
        "longest_collection_ms": max(r["collections"]["longest_ms"] for r in runs),
    }


def _s(v: dict[str, float], unit: str = " ms") -> str:
    return f"{v['median']}{unit} ({v['min']}–{v['max']})"


def markdown(result: dict[str, Any]) -> str:
    table, mem, keys = result["table"], result["memory"], result["keys"]
    runs = len(keys["runs"])
    lines = [
        "## Table", "",
        f"`python -m benchmarks.bench_table` ({result['date']}, Python {result['python']}, "
        f"{result['machine']}, {result['cpus']} CPUs, textual {result['textual']}, pandas "
        f"{result['pandas']}, load average {result['load_before']} before the run): "
        f"{mem['rows']:,} generated users through `PagedFrame.add_records` in pages of {PAGE}.",
        "",
        f"**Keys in the explorer** (users pane on the demo tenant with all {mem['rows']:,} "
        f"users appended, {SIZE[0]}x{SIZE[1]}, the app's own collector; {runs} fresh "
        "processes, each key sent as the terminal sends it and timed to the next frame "
        "handed to the terminal, 20 ms apart). Each cell: the median over the runs (min–max). "
        "The baseline is a fixed 200,000-step Python loop timed between the series of keys in "
        "the same processes.", "",
        "| key -> frame | p50 | p99 | max | presses |", "|---|---:|---:|---:|---:|",
    ]
    for name, v in keys["per_key"].items():
        lines.append(f"| `{name}` | {_s(v['p50_ms'])} | {_s(v['p99_ms'])} | "
                     f"{_s(v['max_ms'])} | {v['n']} |")
    lines += [
        f"| **all keys** | {_s(keys['all_keys_p50_ms'])} | **{_s(keys['all_keys_p99_ms'])}** "
        f"| {_s(keys['all_keys_max_ms'])} | {sum(v['n'] for v in keys['per_key'].values())} |",
        "",
        f"Baseline loop {_s(keys['baseline_ms'])}; all-keys p99 / baseline "
        f"{_s(keys['p99_over_baseline'], 'x')}. Collections during the keys (young, middle, "
        f"full): {keys['collections_by_generation']}, the longest "
        f"{keys['longest_collection_ms']} ms; between a key and its frame: "
        f"{keys['collections_inside_a_key']}.", "",
        f"**The table alone** (a bare `VirtualTable` at {SIZE[0]}x{SIZE[1]}): first paint after "
        f"the first page {table['first_page_paint_ms']} ms; all {mem['rows']:,} rows appended "
        f"to a new table in {table['append_all_pages_ms']} ms, then its first frame "
        f"{table['paint_all_rows_ms']} ms; `append` per page {_cell(table['append_per_page'])}"
        f"; `render_line` for a full screen {_cell(table['render_line_full_screen'])}.", "",
        "Sorting runs in a thread; the loop stall is the longest gap seen by a 1 ms ticker "
        "task on the event loop meanwhile; keys were pressed every 50 ms during it.", "",
        "| sort (thread) | seconds | loop ticks | longest loop stall | keys during it "
        "| full GCs (longest) |", "|---|---:|---:|---:|---:|---:|",
    ]
    for s in table["sorts"]:
        k = s["keys_during_sort"]
        lines.append(f"| {s['column']}, {s['rows']:,} rows | {s['seconds']} | "
                     f"{s['loop_ticks']} | {s['max_loop_stall_ms']} ms | "
                     f"{_cell(k) if k else '-'} | {s['full_gc']['count']} "
                     f"({s['full_gc']['max_ms']} ms) |")
    lines += ["", f"Memory, default view: {mem['rss_mb_per_100k']} MB resident per 100k users "
              f"(RSS delta over the load); pandas deep size {mem['pandas_deep_mb_per_100k']} MB "
              "per 100k (counts a shared string once per row). Text storage at 100k users, "
              "retained (tracemalloc): " + ", ".join(
                  f"{k} {v} MB" for k, v in result["storage_mb_per_100k"].items())
              + ". Loaded text stays in Python-object storage (`PagedFrame.TEXT_DTYPE`); "
              "pooling shares the one string object of each repeated value of a "
              "low-cardinality column (`LocalAccount`), which JSON decoding otherwise creates "
              "once per row.", ""]
    misses = verdict(result)
    lines.append(f"Targets: keystroke -> frame p99 <= {KEY_TARGET_MS:g} ms over all keys "
                 f"(median of the runs), keys during a sort < {KEY_FLOOR_MS:g} ms, <= "
                 f"{MEMORY_FLOOR_MB:g} MB per 100k users — "
                 + ("MET" if not misses else "MISSED: " + "; ".join(misses)))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20k rows, write nothing")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes for the keys")
    parser.add_argument("--presses", type=int, default=40,
                        help="presses of the main keys per run (fewer of the others)")
    parser.add_argument("--force", action="store_true",
                        help=f"record even when the load average is >= {QUIET_LOAD}")
    args = parser.parse_args()
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    load_before = os.getloadavg()[0]
    if args.quick:  # one short run of each, in this process
        table = asyncio.run(drive(rows, 3))
        key_runs = [keys_in_child(rows, 4)]
    else:
        table = run_fresh(drive_in_child, rows, 30)
        key_runs = [run_fresh(keys_in_child, rows, args.presses) for _ in range(args.runs)]
    import textual

    result = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "python": platform.python_version(),
              "machine": f"{platform.machine()} {platform.system()}", "cpus": os.cpu_count(),
              "textual": textual.__version__, "pandas": pd.__version__,
              "load_before": round(load_before, 2), "memory": table["memory"], "table": table,
              "keys": summarize_keys(key_runs)}
    assert all(s["sorted_ok"] in (True, None) for s in table["sorts"]), table["sorts"]
    if not args.quick:
        result["storage_mb_per_100k"] = storage_choices(min(rows, 100_000))
    print(json.dumps(result, indent=2))
    if args.quick:
        return
    print("targets missed:", verdict(result) or "none")
    if load_before >= QUIET_LOAD and not args.force:
        print(f"not recorded: load average {load_before:.2f} >= {QUIET_LOAD} (--force records "
              "anyway)")
        return
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "table.json").write_text(json.dumps(result, indent=2) + "\n")
    write_section(markdown(result))


if __name__ == "__main__":
    main()
