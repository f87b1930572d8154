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

import pytest

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
    app = B2CApp(demo_connection(3000), theme="b2c-dark", pane="users")
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


class FakeGc:
    """What the collector reads of ``gc``, set by hand."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.collected: list[int] = []

    def get_count(self) -> tuple[int, int, int]:
        return tuple(self.count)  # type: ignore[return-value]

    def collect(self, generation: int = 2) -> int:
        self.collected.append(generation)
        self.count[0] = 0
        return 0


def test_the_collector_runs_young_collections_and_keeps_full_ones_for_a_pause(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = FakeGc(), [100.0]
    monkeypatch.setattr(collector_module, "gc", fake)
    monkeypatch.setattr(collector_module.time, "monotonic", lambda: clock[0])
    collector = collector_module.QuietCollector()
    collector.running = True
    assert collector.due() is None
    young = collector_module.YOUNG
    every = collector_module.MIDDLE_EVERY
    for _ in range((every + 1) * every):  # ten young collections, then a middle one
        collector.input()  # keys keep coming
        fake.count[0] = young
        generation = collector.due()
        assert generation in (0, 1)
        collector._collect(generation)
    # Young ones, every tenth a middle one; no full one while the keys come...
    assert fake.collected.count(1) == every and 2 not in fake.collected
    clock[0] += collector_module.IDLE  # ...until the user pauses
    assert collector.due() == 2
    collector._collect(2)
    assert collector.due() is None
    # A long burst without a pause is collected in full anyway (memory stays bounded).
    for _ in range(collector_module.BURST * collector_module.MIDDLE_EVERY):
        collector._collect(1)
    collector.input()
    assert collector.due() == 2
