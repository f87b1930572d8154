"""Launch to first frame and to first rows on screen, in a real terminal (tmux).

Runs ``b2c-tui --demo-users N`` (the in-process demo tenant) the way a person would, with
``B2C_TUI_TIMING`` set so the app records when its first frame and its first rows of users
reached the screen. The explorer opens on the tenant dashboard: as soon as its first frame
is there the benchmark presses ``u`` (the users pane, one key away), so "first rows" is
launch to users on screen through that key. "Warm" runs follow a first, unmeasured run
(Python's bytecode cache and the OS file cache are warm, as they are for anyone who has run
the tool before).

    python -m benchmarks.bench_launch              # 1,000,000-user demo tenant, 5 runs
    python -m benchmarks.bench_launch --quick      # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
B2C_TUI = Path(sys.executable).with_name("b2c-tui")


def _server_env() -> dict[str, str]:
    """The environment of the benchmark's own tmux server. Without PYTHONDONTWRITEBYTECODE:
    a warm launch reads compiled bytecode, as it does for anyone whose Python may write it
    (pip compiles an installed package; an editable one is compiled on its first run)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def launch_once(users: int, timeout: float = 60.0) -> dict[str, float]:
    socket = f"b2c-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        marks = Path(tmp) / "marks.txt"
        env = {"B2C_TUI_TIMING": str(marks), "XDG_CONFIG_HOME": f"{tmp}/config",
               "HOME": tmp, "TERM": "xterm-256color"}
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        cmd = f"{B2C_TUI} --demo --demo-users {users}"
        # The terminal is there before the launch, as a person's is: the tmux server starts
        # first (with an idle session), and the clock starts when the app's session is asked for.
        subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "idle"], check=True,
                       env=_server_env())
        started = time.time()
        subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "app", "-x", "160",
                        "-y", "45", *env_args, cmd], check=True)
        try:
            deadline = time.monotonic() + timeout
            found: dict[str, float] = {}
            pressed = False
            while time.monotonic() < deadline and "first_rows" not in found:
                time.sleep(0.02)
                if marks.exists():
                    for line in marks.read_text().splitlines():
                        name, stamp = line.split()
                        found[name] = float(stamp) - started
                if "first_frame" in found and not pressed:
                    subprocess.run(["tmux", "-L", socket, "send-keys", "-t", "app", "u"],
                                   check=False)
                    pressed = True
            subprocess.run(["tmux", "-L", socket, "send-keys", "-t", "app", "q"], check=False)
            time.sleep(0.3)
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    if "first_rows" not in found:
        raise RuntimeError(f"no first rows within {timeout}s: {found}")
    return found


def machine_speed() -> float:
    """Seconds for a plain 10-million-step Python loop (best of 3): how fast this machine is
    right now, so launch times from different days can be compared."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is required", file=sys.stderr)
        return 2
    if args.quick:
        args.users, args.runs = 2000, 1
    speed = machine_speed()
    launch_once(args.users)  # warm-up: bytecode and file caches
    runs = [launch_once(args.users) for _ in range(args.runs)]
    frame = statistics.median(r["first_frame"] for r in runs)
    rows = statistics.median(r["first_rows"] for r in runs)
    print(f"{args.users} users: first frame {frame * 1000:.0f} ms, first rows {rows * 1000:.0f} ms"
          f" (median of {args.runs}; 10M-step loop {speed:.2f} s)", file=sys.stderr)
    failures = [] if rows <= 1.2 else [f"first rows {rows:.2f}s > 1.2s"]
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "launch.json").write_text(json.dumps({
            "benchmark": "launch", "users": args.users, "date": time.strftime("%Y-%m-%d"),
            "python": platform.python_version(), "loop_10m_s": round(speed, 3), "runs": runs,
            "median_first_frame_s": round(frame, 3), "median_first_rows_s": round(rows, 3),
            "failures": failures}, indent=2) + "\n")
    for failure in failures:
        print(f"FLOOR MISSED: {failure}", file=sys.stderr)
    return 1 if failures and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
