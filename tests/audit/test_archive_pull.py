"""The audit archive's pull: incremental, idempotent, resumable after a crash, no duplicates;
history outlives the tenant's seven days; damaged files are reported, never dropped."""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from b2c_tui.audit import AuditArchive, AuditFilter, merge_views, pull
from b2c_tui.audit.store import ArchiveFiles
from b2c_tui.emulator import create_emulator
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.emulator.server import run_in_thread
from b2c_tui.graph.parallel import RequestBudget

from .support import START, add_entries, drop_before, served, served_ids, tenant

ROOT = Path(__file__).resolve().parents[2]


def archived_ids(archive: AuditArchive) -> list[str]:
    result = archive.query(AuditFilter(), columns=["id"])
    assert result.skipped == []
    return result.table.column("id").to_pylist()


def test_pull_twice_adds_nothing_and_every_id_is_kept_once(tmp_path: Path) -> None:
    connection = tenant()
    add_entries(connection, 3000, start=START, days=6)
    archive = AuditArchive(tmp_path / "archive")
    first = asyncio.run(pull(connection.client, archive, pace=False, page_size=500))
    ids = archived_ids(archive)
    assert first.added == len(ids) == len(set(ids)) == len(served_ids(connection))
    assert set(ids) == served_ids(connection)
    assert first.pages >= 6 and len(first.days_written) >= 6
    stamps = {p.name: p.stat().st_mtime_ns for p in archive.folder.glob("*.parquet")}
    second = asyncio.run(pull(connection.client, archive, pace=False, page_size=500))
    assert second.added == 0 and second.days_written == []
    assert second.since is not None and second.since > START  # from the newest entry on
    assert second.fetched < 100  # not the whole log again
    assert archived_ids(archive) == ids
    assert {p.name: p.stat().st_mtime_ns for p in archive.folder.glob("*.parquet")} == stamps


def test_a_later_pull_adds_exactly_the_new_entries(tmp_path: Path) -> None:
    connection = tenant()
    add_entries(connection, 1000, start=START, days=3)
    archive = AuditArchive(tmp_path / "a")
    asyncio.run(pull(connection.client, archive, pace=False))
    before = set(archived_ids(archive))
    later = add_entries(connection, 400, start=START + timedelta(days=3, hours=1), days=2,
                        seed=8)
    result = asyncio.run(pull(connection.client, archive, pace=False))
    assert result.added == 400
    ids = archived_ids(archive)
    assert set(ids) == before | {e["id"] for e in later} and len(ids) == len(set(ids))
    assert set(ids) >= served_ids(connection)


def test_files_are_per_day_sorted_private_and_leave_no_temporaries(tmp_path: Path) -> None:
    connection = tenant()
    add_entries(connection, 500, start=START, days=3)
    archive = AuditArchive(tmp_path / "a")
    asyncio.run(pull(connection.client, archive, pace=False))
    names = sorted(p.name for p in archive.folder.iterdir())
    assert "2025-03-01.parquet" in names and "pull-state.json" in names
    assert not [n for n in names if n.startswith(".")]
    if os.name == "posix":
        assert stat.S_IMODE(archive.folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((archive.folder / "2025-03-01.parquet").stat().st_mode) == 0o600
    day = pq.read_table(archive.folder / "2025-03-02.parquet")
    times = day.column("activityDateTime")
    assert pc.all(pc.equal(pc.strftime(times, format="%Y-%m-%d"), "2025-03-02")).as_py()
    assert times.to_pylist() == sorted(times.to_pylist())


def test_a_pull_that_fails_between_files_leaves_a_readable_archive_and_the_next_completes(
        tmp_path: Path, monkeypatch) -> None:
    connection = tenant()
    add_entries(connection, 2000, start=START, days=6)
    archive = AuditArchive(tmp_path / "a")
    original, writes = ArchiveFiles.write, []

    def failing_write(self, day, table):
        if len(writes) == 4:
            raise OSError(28, "No space left on device")
        writes.append(day)
        return original(self, day, table)

    monkeypatch.setattr(ArchiveFiles, "write", failing_write)
    with pytest.raises(OSError, match="No space left"):
        asyncio.run(pull(connection.client, archive, pace=False, page_size=300))
    monkeypatch.setattr(ArchiveFiles, "write", original)
    partial = archived_ids(archive)  # readable, nothing skipped
    expected = served_ids(connection)
    assert 0 < len(partial) < len(expected) and len(set(partial)) == len(partial)
    assert archive.files.load_state()["running"] is True
    result = asyncio.run(pull(connection.client, archive, pace=False, page_size=300))
    ids = archived_ids(archive)
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    assert result.since is not None  # resumed from the newest archived entry, not from zero
    assert result.fetched < len(expected) - len(partial) + 600


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_pull_killed_mid_way_leaves_a_readable_archive_and_the_next_completes(
        tmp_path: Path) -> None:
    """A real process, killed with SIGKILL while it writes day files: no file is half-written,
    the archive reads, and the next pull completes it without duplicates."""
    clock = ManualClock(START)
    emulator = create_emulator(users=100, throttling=False, clock=clock)

    class Holder:  # what add_entries needs of a connection
        pass

    holder = Holder()
    holder.emulator = emulator  # type: ignore[attr-defined]
    add_entries(holder, 6000, start=START, days=6)  # type: ignore[arg-type]
    emulator.faults.configure(latency=0.15)
    base, stop = run_in_thread(emulator)
    folder = tmp_path / "archive"
    script = (
        "import asyncio, sys\n"
        "from b2c_tui.audit import AuditArchive, pull\n"
        "from b2c_tui.graph import GraphClient\n"
        "async def main():\n"
        "    async with GraphClient.create(None, graph_url=sys.argv[1]) as client:\n"
        "        await pull(client, AuditArchive(sys.argv[2]), pace=False, page_size=200)\n"
        "asyncio.run(main())\n")
    try:
        proc = subprocess.Popen([sys.executable, "-c", script, base, str(folder)], cwd=ROOT)
        deadline = time.monotonic() + 60
        while len(list(folder.glob("*.parquet"))) < 2 and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the pull ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        archive = AuditArchive(folder)
        partial = archived_ids(archive)  # every file there reads
        emulator.faults.configure(latency=0.0)
        from b2c_tui.graph import GraphClient

        async def served_there() -> set[str]:
            async with GraphClient.create(None, graph_url=base) as client:
                return {e["id"] for e in await client.audit.list(top=999).collect()}

        async def again() -> None:
            async with GraphClient.create(None, graph_url=base) as client:
                await pull(client, archive, pace=False, page_size=200)

        expected = asyncio.run(served_there())
        assert 0 < len(partial) < len(expected)
        asyncio.run(again())
    finally:
        stop()
    ids = archived_ids(archive)
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    assert not list(folder.glob(".*.tmp"))  # a killed write's temporary file is cleaned up


def test_history_older_than_the_tenants_window_is_found_locally(tmp_path: Path) -> None:
    connection = tenant()
    old = add_entries(connection, 800, start=START, days=6)
    archive = AuditArchive(tmp_path / "a")
    asyncio.run(pull(connection.client, archive, pace=False))
    now = START + timedelta(days=40)
    connection.emulator.store.clock.set(now)
    drop_before(connection, now - timedelta(days=7))  # the tenant keeps seven days
    recent = add_entries(connection, 300, start=now - timedelta(days=2), days=2, seed=9)
    in_tenant = served(connection)
    assert {e["id"] for e in in_tenant} == {e["id"] for e in recent}  # the old ones are gone
    asyncio.run(pull(connection.client, archive, pace=False))
    found = archive.query(AuditFilter(since=START, until=START + timedelta(days=7)))
    assert {e["id"] for e in old} <= set(found.table.column("id").to_pylist())
    merged = merge_views(in_tenant, archive.query().table)
    ids = merged.column("id").to_pylist()
    assert len(ids) == len(set(ids))
    assert set(ids) == set(archived_ids(archive)) | {e["id"] for e in in_tenant}
    times = merged.column("activityDateTime").to_pylist()
    assert times == sorted(times, reverse=True)


def test_merge_keeps_each_entry_once_and_the_tenants_copy(tmp_path: Path) -> None:
    connection = tenant()
    entries = add_entries(connection, 200, start=START, days=2)
    archive = AuditArchive(tmp_path / "a")
    asyncio.run(pull(connection.client, archive, pace=False))
    fresh = [dict(e, resultReason="changed") for e in entries[:50]]
    merged = merge_views(fresh, archive.query().table)
    assert merged.num_rows == archive.query().matched
    reasons = dict(zip(merged.column("id").to_pylist(),
                       merged.column("resultReason").to_pylist(), strict=True))
    assert all(reasons[e["id"]] == "changed" for e in fresh)


def test_a_corrupt_file_is_reported_and_skipped_never_dropped(tmp_path: Path) -> None:
    connection = tenant()
    add_entries(connection, 900, start=START, days=6)
    archive = AuditArchive(tmp_path / "a")
    asyncio.run(pull(connection.client, archive, pace=False))
    total = archive.query().matched
    damaged = archive.folder / "2025-03-03.parquet"
    lost = pq.read_table(damaged).num_rows
    damaged.write_bytes(damaged.read_bytes()[:200])  # a torn file
    found = archive.query()
    assert [s.path for s in found.skipped] == [damaged]
    assert found.skipped[0].reason  # why, in words
    assert found.matched == total - lost  # the other days still answer
    count, skipped = archive.count()
    assert count == total - lost
    assert [s.path for s in skipped] == [damaged]
    # A pull that must write that day keeps the damaged bytes aside and says so.
    raw = damaged.read_bytes()
    result = asyncio.run(pull(connection.client, archive, pace=False,
                              since=START + timedelta(days=2)))
    assert result.quarantined and result.skipped
    kept = archive.folder / result.quarantined[0]
    assert kept.read_bytes() == raw
    assert archive.query().skipped == []


def test_the_pull_is_paced_within_the_audit_budget(tmp_path: Path) -> None:
    from tests.helpers.fake_graph import FakeSleep

    connection = tenant()
    add_entries(connection, 1200, start=START, days=3)
    sleep = FakeSleep()
    budget = RequestBudget(units_per_10s=5, share=1.0, burst=5, clock=sleep.clock, sleep=sleep)
    result = asyncio.run(pull(connection.client, AuditArchive(tmp_path / "a"), budget=budget,
                              page_size=100))
    assert result.pages >= 12
    assert sleep.now == pytest.approx((result.pages - 5) * 2.0, abs=0.1)  # 5 at once, then 1/2s


def test_the_archive_files_are_read_and_written_off_the_event_loop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The explorer pulls on its event loop: a day file's Parquet read, merge and fsynced write
    # there froze the keys while a pull ran.
    import threading

    connection = tenant()
    add_entries(connection, 600, start=START, days=3)
    on_loop: list[str] = []
    for name in ("write", "newest", "save_state", "load_state", "clean_temporaries"):
        real = getattr(ArchiveFiles, name)

        def spy(self: ArchiveFiles, *args: object, _real=real, _name=name, **kwargs: object):
            if threading.current_thread() is threading.main_thread():
                on_loop.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(ArchiveFiles, name, spy)
    result = asyncio.run(pull(connection.client, AuditArchive(tmp_path), pace=False))
    assert result.added >= 600 and on_loop == []
