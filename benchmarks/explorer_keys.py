"""Keystroke -> frame in the explorer itself, with a baseline from the same run.

The explorer (``B2CApp``: users pane, header, navigation, status line, footer) on the demo
tenant, at 160x50, with ``rows`` generated users appended to the users table (as pages of 999
arrive from Graph), so every key goes through what a person's key goes through: bindings,
the footer's and status line's updates, the table's repaint, the app's quiet collector.

Every key is sent as the terminal sends it and timed to the next frame handed to the
terminal. Collections are watched (``gc.callbacks``): how many, how long, and how many fell
between a key and its frame. The baseline is a fixed Python loop timed between the series
of keys in the same process: this machine's speed swings by +-30% from hour to hour, so the
result is the ratio of the key latencies to it as well as the times.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from typing import Any

from textual import events

from b2c_tui.connection import open_demo
from b2c_tui.tui.app import B2CApp

SIZE = (160, 50)
#: (keys pressed in turn, share of the presses): every press changes the screen, so a
#: frame follows each (end then home, right then left, ...)
PLAN = ((("down",), 1.0), (("up",), 1.0), (("pagedown",), 1.0), (("pageup",), 1.0),
        (("end", "home"), 1.0), (("right", "left"), 0.5), (("space",), 0.5),
        (("greater_than_sign", "less_than_sign"), 0.3), (("ctrl+a",), 0.2))
CHARS = {"space": " ", "greater_than_sign": ">", "less_than_sign": "<"}
#: iterations of the baseline loop
BASELINE_STEPS = 200_000


def baseline_ms() -> float:
    """ms for a fixed Python loop (best of 3): how fast the machine is right now."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(BASELINE_STEPS):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


def stats(values: list[float]) -> dict[str, float]:
    """n, p50, p99 and max (ms)."""
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(values), "p50_ms": round(statistics.median(values), 2),
            "p99_ms": round(p99, 2), "max_ms": round(max(values), 2)}


class Watch:
    """Frames handed to the terminal, and collections with their pauses."""

    def __init__(self, app: B2CApp) -> None:
        self.frames: list[float] = []
        self.collections: list[tuple[int, float, float]] = []  # generation, start, end
        self.event = asyncio.Event()
        self._started = 0.0
        display = app._display

        def on_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())
                self.event.set()

        app._display = on_display  # type: ignore[method-assign]
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        else:
            self.collections.append((info["generation"], self._started, now))

    def close(self) -> None:
        gc.callbacks.remove(self._callback)

    async def frame_after(self, t0: float, timeout: float = 10.0) -> float:
        deadline = time.perf_counter() + timeout
        while not (self.frames and self.frames[-1] >= t0):
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), max(0.001, deadline - time.perf_counter()))
        return next(t for t in self.frames if t >= t0)


async def explorer_keys(rows: int, chunks: Any, presses: int) -> dict[str, Any]:
    """The explorer with ``chunks`` (DataFrames of ``rows`` users) appended to its users
    table; ``presses`` presses of the heaviest keys (fewer of the others, see PLAN)."""
    app = B2CApp(open_demo(users=2000, seed=7, throttling=False), theme="b2c-dark",
                 pane="users")
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            pane = app.pane("users")
            if pane is not None and pane.is_mounted and pane.table.row_count:
                break
        table = app.pane("users").table  # type: ignore[union-attr]
        for chunk in chunks:
            table.append(chunk)
        await pilot.pause(0.3)
        table.move_cursor(row=table.row_count // 2)
        await pilot.pause(0.3)
        out["rows"] = table.row_count
        watch = Watch(app)
        keys: dict[str, list[float]] = {}
        baselines = [baseline_ms()]
        windows: list[tuple[float, float]] = []
        assert app._driver is not None
        for series, share in PLAN:
            for index in range(max(2, round(presses * share))):
                key = series[index % len(series)]
                await asyncio.sleep(0.02)  # let the previous frame settle, as between keys
                t0 = time.perf_counter()
                app._driver.send_message(events.Key(key, CHARS.get(key)))
                shown = await watch.frame_after(t0)
                windows.append((t0, shown))
                keys.setdefault(key, []).append((shown - t0) * 1000)
            baselines.append(baseline_ms())
        watch.close()
    everything = [v for values in keys.values() for v in values]
    inside = [c for c in watch.collections if any(a <= c[1] < b for a, b in windows)]
    pauses = [(end - start) * 1000 for _g, start, end in watch.collections]
    base = statistics.median(baselines)
    out.update(
        keys={k: stats(v) for k, v in keys.items()}, all_keys=stats(everything),
        baseline_ms=round(base, 3), baseline_spread_ms=[round(min(baselines), 3),
                                                        round(max(baselines), 3)],
        p99_over_baseline=round(stats(everything)["p99_ms"] / base, 2),
        collections={"by_generation": [sum(1 for c in watch.collections if c[0] == g)
                                       for g in range(3)],
                     "longest_ms": round(max(pauses, default=0.0), 2),
                     "inside_a_key": len(inside)},
        collector=list(app.collector.collections))
    return out
