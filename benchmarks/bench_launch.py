"""Launch to first frame and to first rows on screen, in a real terminal (tmux), against the
import floor measured in the same run.

Runs ``b2c-tui --demo --demo-users N --pane users`` the way a person would, with
``B2C_TUI_TIMING`` set so the app records when its first frame and its first frame with rows
are handed to the terminal (wall clock, and the process's CPU time). Each run is paired with
a run of the floor, ``python -c "import textual.app, pandas"`` started the same way: what any
Textual app over pandas pays before it can draw. This machine's speed swings by +-30% from
hour to hour, so the result is the ratio to the floor as well as the time. "Warm" runs follow
a first, unmeasured pair (Python's bytecode cache and the OS file cache are warm, as they are
for anyone who has run the tool before). The clock starts when the app's tmux session is
asked for, on a tmux server already running (a person's terminal is open before they type).

    python -m benchmarks.bench_launch              # 1,000,000-user demo tenant, 7 pairs
    python -m benchmarks.bench_launch --quick      # smoke run (writes nothing)

Results are written only when the machine is quiet (1-minute load average below 1.0 at the
start), unless ``--force``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from .results_md import write_section

RESULTS = Path(__file__).parent / "results"
B2C_TUI = Path(sys.executable).with_name("b2c-tui")
TARGET_S = 0.7
QUIET_LOAD = 1.0
FLOOR_CODE = ("import os, time; import textual.app, pandas; "
              "open(os.environ['B2C_TUI_TIMING'], 'a').write("
              "f'floor {time.time():.6f} {time.process_time():.6f}\\n')")


def _server_env() -> dict[str, str]:
    """The environment of the benchmark's own tmux server. Without PYTHONDONTWRITEBYTECODE:
    a warm launch reads compiled bytecode, as it does for anyone whose Python may write it
    (pip compiles an installed package; an editable one is compiled on its first run)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def launch_once(command: str, wanted: str, timeout: float = 60.0) -> dict[str, float]:
    """Run ``command`` in a fresh tmux session; the marks it wrote (seconds from the request
    for the session; ``<name>_cpu``: the process's CPU seconds then) once ``wanted`` is."""
    socket = f"b2c-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        marks = Path(tmp) / "marks.txt"
        env = {"B2C_TUI_TIMING": str(marks), "XDG_CONFIG_HOME": f"{tmp}/config",
               "HOME": tmp, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "45"}
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "idle"], check=True,
                       env=_server_env())
        started = time.time()
        subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "app", "-x", "160",
                        "-y", "45", *env_args, f"{command}; sleep 5"], check=True)
        found: dict[str, float] = {}
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and wanted not in found:
                time.sleep(0.02)
                if marks.exists():
                    for line in marks.read_text().splitlines():
                        name, stamp, cpu = line.split()
                        found[name] = float(stamp) - started
                        found[f"{name}_cpu"] = float(cpu)
            subprocess.run(["tmux", "-L", socket, "send-keys", "-t", "app", "q"], check=False)
            time.sleep(0.3)
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    if wanted not in found:
        raise RuntimeError(f"no {wanted} within {timeout}s: {found}")
    return found


def app_command(users: int) -> str:
    return f"{B2C_TUI} --demo --demo-users {users} --pane users"


def floor_command() -> str:
    return f"{sys.executable} -c {shlex.quote(FLOOR_CODE)}"


def spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def measure(users: int, pairs: int) -> dict[str, Any]:
    """``pairs`` alternating runs of the floor and the app, after one unmeasured pair."""
    launch_once(floor_command(), "floor")
    launch_once(app_command(users), "first_rows")
    runs = []
    for _ in range(pairs):
        floor = launch_once(floor_command(), "floor")
        app = launch_once(app_command(users), "first_rows")
        runs.append({"floor_s": round(floor["floor"], 4),
                     "floor_cpu_s": round(floor["floor_cpu"], 4),
                     "first_frame_s": round(app["first_frame"], 4),
                     "first_rows_s": round(app["first_rows"], 4),
                     "first_rows_cpu_s": round(app["first_rows_cpu"], 4),
                     "ratio": round(app["first_rows"] / floor["floor"], 3)})
    out: dict[str, Any] = {"runs": runs}
    for key in ("floor_s", "floor_cpu_s", "first_frame_s", "first_rows_s", "first_rows_cpu_s",
                "ratio"):
        out[key] = spread([r[key] for r in runs])
    out["over_floor_s"] = spread([r["first_rows_s"] - r["floor_s"] for r in runs])
    return out


def markdown(result: dict[str, Any]) -> str:
    m = result["measured"]
    floor, rows, frame, ratio = m["floor_s"], m["first_rows_s"], m["first_frame_s"], m["ratio"]

    def row(name: str, v: dict[str, float], unit: str = " s") -> str:
        return f"| {name} | **{v['median']}{unit}** | {v['min']}–{v['max']}{unit} |"

    met = rows["median"] <= TARGET_S
    lines = [
        "## Launch (bench_launch.py)", "",
        f"`python -m benchmarks.bench_launch` ({result['date']}, Python {result['python']}, "
        f"{result['machine']}, {result['cpus']} CPUs, load average {result['load_before']} "
        f"before the run): `b2c-tui --demo --demo-users {result['users']:,} --pane users` in "
        f"tmux ({result['size']}), {len(m['runs'])} runs after an unmeasured one, each paired "
        "with a run of the floor (`python -c \"import textual.app, pandas\"`, started the same "
        "way). The app marks the first frame and the first frame with rows as it hands them to "
        "the terminal (`B2C_TUI_TIMING`); the clock starts when the tmux session is asked for.",
        "", "| | median | spread (min–max) |", "|---|---:|---:|",
        row("floor: `import textual.app, pandas`", floor),
        row("first frame", frame),
        row("first rows", rows),
        row("first rows over the floor", m["over_floor_s"]),
        row("first rows / floor (per pair)", ratio, "x"),
        row("CPU time of the app at its first rows", m["first_rows_cpu_s"]),
        row("CPU time of the floor", m["floor_cpu_s"]), "",
        f"Target: first rows <= {TARGET_S} s — " + ("MET" if met else "MISSED")
        + f" (median {rows['median']} s, {ratio['median']}x the floor).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="pairs of floor and app runs")
    parser.add_argument("--quick", action="store_true", help="one small pair, writes nothing")
    parser.add_argument("--force", action="store_true",
                        help=f"record even when the load average is >= {QUIET_LOAD}")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is required", file=sys.stderr)
        return 2
    if args.quick:
        args.users, args.runs = 2000, 1
    load_before = os.getloadavg()[0]
    measured = measure(args.users, args.runs)
    result = {"benchmark": "launch", "users": args.users, "size": "160x45",
              "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
              "machine": f"{platform.machine()} {platform.system()}", "cpus": os.cpu_count(),
              "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
              "target_s": TARGET_S, "measured": measured}
    rows, ratio = measured["first_rows_s"], measured["ratio"]
    print(f"{args.users} users: first rows {rows['median']} s ({rows['min']}-{rows['max']}), "
          f"floor {measured['floor_s']['median']} s, ratio {ratio['median']}x "
          f"(median of {args.runs}; load {load_before:.2f})", file=sys.stderr)
    if args.quick:
        return 0
    if load_before >= QUIET_LOAD and not args.force:
        print(f"not recorded: load average {load_before:.2f} >= {QUIET_LOAD} (--force records "
              "anyway)", file=sys.stderr)
        return 0
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "launch.json").write_text(json.dumps(result, indent=2) + "\n")
    write_section(markdown(result))
    return 0 if rows["median"] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
