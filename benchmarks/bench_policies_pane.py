"""The custom policies pane with a 1 MB policy in the tenant, through the whole explorer.

The demo tenant's ``B2C_1A_SocialAndLocal_TrustFrameworkBase`` is replaced by a 1 MB policy
(:func:`benchmarks.bench_policies.synthetic_policy`: the base's technical profiles copied with
renamed ids, every reference resolving). Under Pilot at 160x45, measured:

- ``:policies`` to the first frame with the tree: every policy read, parsed and indexed off
  the event loop; the loop's longest stall while that runs;
- ``enter`` on the 1 MB policy to the first frame showing its XML in the viewer (the budget
  is 100 ms), and to its first colours;
- key -> next frame in the viewer (the budget is 16 ms): the cursor keys and pages, ``enter``
  on a reference (go to definition, answered by the pane's resolver over the domain's index
  in a worker thread), ``backspace`` back, ``u`` (find uses across the set: the list opens
  inline in the viewer), ``escape`` closing it, ``down`` moving in it and ``enter`` jumping
  to the use picked.

    python -m benchmarks.bench_policies_pane              # full run (3 fresh processes):
                                                          # results, RESULTS.md
    python -m benchmarks.bench_policies_pane --no-record  # full run, prints the numbers only
    python -m benchmarks.bench_policies_pane --quick      # a smoke run (CI): 200 KB, no files
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
import sys
import time
from pathlib import Path
from typing import Any

from textual import events

from b2c_tui.connection import open_demo
from b2c_tui.emulator.identity.state import StoredPolicy
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.panes.policies import PoliciesPane
from b2c_tui.tui.panes.policies.viewer import PolicyViewerScreen
from b2c_tui.tui.widgets.table import VirtualTable
from b2c_tui.tui.widgets.xml_view import XmlView

from .bench_policies import synthetic_policy
from .bench_xml_view import Frames, press, settle, stats, ticker_stall
from .results_md import write_section

HERE = Path(__file__).parent
SIZE = (160, 45)
BIG = "B2C_1A_SocialAndLocal_TrustFrameworkBase"
FIRST_SCREEN_FLOOR_MS = 100.0
KEY_FLOOR_MS = 16.0


def big_policy(size: int) -> str:
    """The synthetic policy under the demo tenant's SocialAndLocal base id."""
    text = synthetic_policy(size)
    return text.replace('PolicyId="B2C_1A_TrustFrameworkBase"', f'PolicyId="{BIG}"', 1)


def make_app(text: str) -> B2CApp:
    connection = open_demo(users=50, seed=7, throttling=False)
    store = connection.emulator.store  # type: ignore[union-attr]
    store.identity.policies.set(BIG, StoredPolicy(BIG, text, None))
    return B2CApp(connection, theme="b2c-dark")


async def measure(size: int, repeat: int) -> dict[str, Any]:
    text = big_policy(size)
    app = make_app(text)
    out: dict[str, Any] = {"policy_bytes": len(text.encode())}
    async with app.run_test(size=SIZE):
        await settle(app)
        gc.collect()
        gc.freeze()  # as the explorer does once it is up
        pane: PoliciesPane | None = None

        def rows_shown() -> bool:
            return pane is not None and bool(pane.query(VirtualTable)) and \
                pane.table.row_count > 0

        def show() -> None:
            nonlocal pane
            app.show_pane("policies")
            pane = app.pane("policies")  # type: ignore[assignment]

        seconds, stall = await ticker_stall(show, rows_shown)
        out["tree"] = {"seconds": round(seconds, 3), "longest_loop_stall_ms": round(stall, 1),
                       "policies": pane.table.row_count if pane else 0}
        await settle(app)
        assert pane is not None
        row = next(r for r in range(pane.table.row_count) if pane.table.row_key(r) == BIG)
        pane.table.move_cursor(row=row)
        pane.table.focus()
        await settle(app)

        def probe() -> tuple[bool, bool]:
            screen = app.screen
            if not isinstance(screen, PolicyViewerScreen):
                return False, False
            view = screen.query_one(XmlView)
            doc, hl = view.document, view.highlighter
            shown = doc is not None and not view.is_loading and doc.policy_id == BIG
            top = view.scroll_offset.y
            coloured = shown and hl is not None and all(
                hl.spans(line) is not None
                for line in range(top, min(view.line_count, top + view.page_size)))
            return shown, coloured

        frames = Frames(app, probe)
        t0 = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(events.Key("enter", None))
        out["viewer_first_screen_ms"] = round(await frames.until(t0, lambda s: s[0]) * 1000, 2)
        out["viewer_first_colours_ms"] = round(
            await frames.until(t0, lambda s: s[1]) * 1000, 2)
        await settle(app)
        viewer = app.screen
        assert isinstance(viewer, PolicyViewerScreen)
        frames = Frames(app)  # the viewer's own screen
        view = viewer.view
        doc = view.document
        assert doc is not None
        # A reference near the end (in the copies), so a definition jump crosses the file.
        at = doc.text.rfind('TechnicalProfileReferenceId="')
        line, column = doc.position(at + len('TechnicalProfileReferenceId="') + 1)
        keys: dict[str, list[float]] = {}
        for key, times in (("down", repeat), ("up", repeat), ("pagedown", repeat),
                           ("pageup", repeat)):
            for _ in range(times):
                keys.setdefault(key, []).append(await press(app, frames, key))
        for _ in range(max(2, repeat // 5)):
            view.move_cursor(line, column)
            await settle(app)
            keys.setdefault("enter (definition)", []).append(await press(app, frames, "enter"))
            await settle(app)
            keys.setdefault("backspace (back)", []).append(
                await press(app, frames, "backspace"))
            await settle(app)
            keys.setdefault("u (find uses)", []).append(await press(app, frames, "u"))
            await settle(app)
            keys.setdefault("escape (close uses)", []).append(
                await press(app, frames, "escape"))
            await settle(app)
            keys.setdefault("u (find uses)", []).append(await press(app, frames, "u"))
            await settle(app)
            panel = view.uses_panel
            assert panel is not None
            for _ in range(min(3, len(panel.locations) - 1)):  # each press changes the pick
                keys.setdefault("down (in uses)", []).append(await press(app, frames, "down"))
            await settle(app)
            keys.setdefault("enter (jump to a use)", []).append(
                await press(app, frames, "enter"))
            await settle(app)
        out["keys"] = {k: stats(v) for k, v in keys.items()}
        out["all_keys"] = stats([v for values in keys.values() for v in values])
    return out


def run_in_child(size: int, repeat: int) -> dict[str, Any]:
    """:func:`measure` in this (fresh) process."""
    return asyncio.run(measure(size, repeat))


def run_fresh(size: int, repeat: int) -> dict[str, Any]:
    """One run in a fresh process, so one run's heap and caches do not colour another's."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(run_in_child, (size, repeat))


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over the runs, with its spread (one run's outliers, from this
    shared machine, show in the spread rather than decide the verdict)."""
    names = list(runs[0]["keys"])
    return {
        "runs": runs,
        "policy_bytes": runs[0]["policy_bytes"],
        "tree_seconds": _spread([r["tree"]["seconds"] for r in runs]),
        "tree_stall_ms": _spread([r["tree"]["longest_loop_stall_ms"] for r in runs]),
        "policies": runs[0]["tree"]["policies"],
        "viewer_first_screen_ms": _spread([r["viewer_first_screen_ms"] for r in runs]),
        "viewer_first_colours_ms": _spread([r["viewer_first_colours_ms"] for r in runs]),
        "keys": {k: {"n": sum(r["keys"][k]["n"] for r in runs),
                     **{f: _spread([r["keys"][k][f] for r in runs])
                        for f in ("p50_ms", "p99_ms", "max_ms")}} for k in names},
        "all_keys": {"n": sum(r["all_keys"]["n"] for r in runs),
                     **{f: _spread([r["all_keys"][f] for r in runs])
                        for f in ("p50_ms", "p99_ms", "max_ms")}},
    }


def verdict(result: dict[str, Any]) -> list[str]:
    """The floors missed (medians over the runs): the first screen, and every key's p99."""
    missed = []
    if result["viewer_first_screen_ms"]["median"] > FIRST_SCREEN_FLOOR_MS:
        missed.append(f"first screen {result['viewer_first_screen_ms']['median']} ms")
    missed += [f"key {k} p99 {row['p99_ms']['median']} ms" for k, row in result["keys"].items()
               if row["p99_ms"]["median"] > KEY_FLOOR_MS]
    return missed


def _cell(spread: dict[str, float]) -> str:
    return f"{spread['median']} ({spread['min']}–{spread['max']})"


def markdown(result: dict[str, Any]) -> str:
    keys = result["all_keys"]
    missed = verdict(result)
    lines = [
        "## Custom policies pane with a 1 MB policy (bench_policies_pane.py)", "",
        f"`python -m benchmarks.bench_policies_pane` ({result['date']}, Python "
        f"{result['python']}, {result['cpus']} CPUs, {result['size'][0]}x{result['size'][1]}, "
        f"load average {result['load_before']} before the run): the demo tenant with a "
        f"{result['policy_bytes'] / 1e6:.2f} MB base policy; {len(result['runs'])} fresh "
        "processes, each figure the median over them (min–max).", "",
        f"- `:policies` to the tree: {_cell(result['tree_seconds'])} s for "
        f"{result['policies']} policies read, parsed and indexed off the loop; the "
        f"loop's longest stall meanwhile {_cell(result['tree_stall_ms'])} ms.",
        f"- `enter` on the big policy: first screen **{_cell(result['viewer_first_screen_ms'])} "
        f"ms**, first colours {_cell(result['viewer_first_colours_ms'])} ms.",
        f"- every key -> next frame: p50 {_cell(keys['p50_ms'])} ms, p99 "
        f"**{_cell(keys['p99_ms'])} ms**, max {_cell(keys['max_ms'])} ms over {keys['n']} "
        "presses:", "",
        "| key | presses | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|",
    ]
    for key, row in result["keys"].items():
        lines.append(f"| {key} | {row['n']} | {_cell(row['p50_ms'])} | "
                     f"**{_cell(row['p99_ms'])}** | {_cell(row['max_ms'])} |")
    lines += ["", f"Floors: first screen <= {FIRST_SCREEN_FLOOR_MS:.0f} ms, every key's p99 <= "
              f"{KEY_FLOOR_MS:.0f} ms (medians over the runs) — "
              + ("MET" if not missed else "MISSED: " + "; ".join(missed))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", "--smoke", action="store_true",
                        help="a 200 KB policy and a few keys, one run; writes nothing")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (full run)")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    if args.quick:  # one small run in this process, summarized and printed as recorded
        result = summarize([asyncio.run(measure(200_000, 4))])
    else:
        result = summarize([run_fresh(1_000_000, 40) for _ in range(max(1, args.runs))])
    result.update({"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
                   "cpus": os.cpu_count(), "size": list(SIZE),
                   "load_before": round(load_before, 2), "failures": verdict(result)})
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
    if args.quick or args.no_record:
        if args.quick:
            print(markdown(result))
        return 0
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "policies_pane.json").write_text(json.dumps(result, indent=2) + "\n",
                                                         encoding="utf-8")
    write_section(markdown(result))
    print("floors met" if not result["failures"] else "FLOORS NOT MET", file=sys.stderr)
    return 0 if not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
