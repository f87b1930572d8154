"""Keys in the explorer do bounded work: counted (collections, memory), never timed.

Key-to-frame latency is measured in ``benchmarks/bench_table.py``; these tests check what
decides its worst cases on any machine: no collection runs inside a key's work (the quiet
collector runs them between keys, b2c_tui.tui.collector), and a long run of keys leaves no
growing memory behind.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

from b2c_tui.tui import collector as collector_module
from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import demo_connection, settle

KEYS = ("down", "down", "pagedown", "up", "right", "pageup", "left", "end", "home", "space")


class Collections:
    """Every collection the interpreter runs, and who asked for it."""

    def __init__(self, collector: Any) -> None:
        self.seen: list[int] = []
        self.asked = 0
        self._collector = collector
        collect = collector_module.gc.collect

        def asking(generation: int = 2) -> int:
            self.asked += 1
            return collect(generation)

        self._collect = collect
        self._asking = asking

    def __enter__(self) -> Collections:
        gc.callbacks.append(self._callback)
        collector_module.gc.collect = self._asking  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)
        collector_module.gc.collect = self._collect  # type: ignore[attr-defined]

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.seen.append(info["generation"])


async def press_keys(pilot: Any, count: int) -> None:
    """``count`` keys as the terminal sends them, each followed by its frame (Pilot's own
    ``press`` waits for the CPU to be idle after every key: minutes for a thousand)."""
    from textual import events

    app = pilot.app
    for index in range(count):
        key = KEYS[index % len(KEYS)]
        app._driver.send_message(events.Key(key, " " if key == "space" else None))
        await pilot.pause(0)


async def test_a_thousand_keys_collect_between_keys_and_leave_no_growing_memory() -> None:
    app = B2CApp(demo_connection(3000), theme="b2c-dark")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot, app)
        assert app.collector.running and not gc.isenabled()
        await press_keys(pilot, 200)  # every page loaded, caches filled
        tracemalloc.start()
        try:
            await press_keys(pilot, 200)  # the caches now hold traced objects only
            await settle(pilot, app)
            gc.collect()
            tracked = [len(gc.get_objects())]
            retained = tracemalloc.get_traced_memory()[0]
            with Collections(app.collector) as collections:
                for _ in range(10):
                    await press_keys(pilot, 100)
                    tracked.append(len(gc.get_objects()))  # what the collector left pending
            await settle(pilot, app)
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - retained
        finally:
            tracemalloc.stop()
    assert gc.isenabled()  # given back when the app closed
    # Every collection was one the collector ran from its timer, between two messages (with
    # Python's thresholds they ran inside keys' work: a few young ones a key, a full one
    # every few dozen keys); none was full while the keys kept coming.
    assert collections.seen and len(collections.seen) == collections.asked
    assert 2 not in collections.seen
    # The strips drawn for every key are cyclic garbage (b2c_tui.tui.collector): left alone
    # they piled up by some 200 objects and 25 KB a key. The collector keeps them to a few
    # screens' worth, and nothing live grows with the keys.
    assert max(tracked) - tracked[0] < 20_000, tracked
    assert retained < 100_000, retained
