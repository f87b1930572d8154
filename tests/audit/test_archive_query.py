"""The archive answers the pane's filters locally: each filter, alone and combined, gives what
a plain Python filter over the whole entries gives."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from b2c_tui.audit import AuditArchive, AuditFilter, pull
from b2c_tui.audit.schema import parse_time

from .support import ADMIN, APPS, POLICIES, START, WEIRD, add_entries, served, tenant


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> tuple[AuditArchive, list[dict[str, Any]]]:
    connection = tenant()
    add_entries(connection, 4000, start=START, days=6)
    archive = AuditArchive(tmp_path_factory.mktemp("archive"))
    asyncio.run(pull(connection.client, archive, pace=False))
    # What the tenant served (through Graph); the cases look at the entries made here (from
    # START on), whatever history the demo tenant seeds before it.
    return archive, [e for e in served(connection) if when(e) >= START]


def when(entry: dict[str, Any]) -> datetime:
    value = parse_time(entry["activityDateTime"])
    assert value is not None
    return value


def details(entry: dict[str, Any]) -> dict[str, str]:
    return {d["key"]: d["value"] for d in entry.get("additionalDetails") or []}


def initiator(entry: dict[str, Any]) -> dict[str, Any]:
    return {**((entry["initiatedBy"] or {}).get("app") or {}),
            **((entry["initiatedBy"] or {}).get("user") or {})}


CASES: list[tuple[str, AuditFilter, Callable[[dict[str, Any]], bool]]] = [
    ("category", AuditFilter(category="authentication"),
     lambda e: e["category"] == "Authentication"),
    ("categories", AuditFilter(category=["Key", "UserManagement"]),
     lambda e: e["category"] in ("Key", "UserManagement")),
    ("activity", AuditFilter(activity="Update user"), lambda e: e["activityDisplayName"] ==
     "Update user"),
    ("activity prefix", AuditFilter(activity_prefix="issue"),
     lambda e: e["activityDisplayName"].lower().startswith("issue")),
    ("result", AuditFilter(result="failure"), lambda e: e["result"] == "failure"),
    ("service", AuditFilter(logged_by_service="B2C"), lambda e: e["loggedByService"] == "B2C"),
    ("initiated by upn", AuditFilter(initiated_by=ADMIN["userPrincipalName"]),
     lambda e: initiator(e).get("userPrincipalName") == ADMIN["userPrincipalName"]),
    ("initiated by app name", AuditFilter(initiated_by="contoso WEB"),
     lambda e: initiator(e).get("displayName") == "Contoso web"),
    ("initiating app id", AuditFilter(initiated_by_app_id=APPS[0]),
     lambda e: initiator(e).get("appId") == APPS[0]),
    ("policy", AuditFilter(policy_id=POLICIES[1].upper()),
     lambda e: details(e).get("PolicyId") == POLICIES[1]
     or any(t.get("displayName") == POLICIES[1] for t in e["targetResources"])),
    ("application", AuditFilter(application_id=APPS[1]),
     lambda e: APPS[1] in details(e).values() or initiator(e).get("appId") == APPS[1]),
    ("target", AuditFilter(target_id="u-000042"),
     lambda e: any(t.get("id") == "u-000042" for t in e["targetResources"])),
    ("text", AuditFilter(text="PASSWORD entered"),
     lambda e: "password entered" in (e.get("resultReason") or "").lower()),
    ("since and until", AuditFilter(since=START + timedelta(days=3, hours=5),
                                    until=START + timedelta(days=4, hours=2)),
     lambda e: START + timedelta(days=3, hours=5) <= when(e) <= START + timedelta(days=4,
                                                                                   hours=2)),
    ("whole days", AuditFilter(since=date(2025, 3, 5), until=date(2025, 3, 5)),
     lambda e: when(e).date() == date(2025, 3, 5)),
    ("combined", AuditFilter(category="Authentication", result="failure",
                             policy_id=POLICIES[0], since=START + timedelta(days=3)),
     lambda e: e["category"] == "Authentication" and e["result"] == "failure"
     and details(e).get("PolicyId") == POLICIES[0] and when(e) >= START + timedelta(days=3)),
    ("nothing", AuditFilter(category="NoSuchCategory"), lambda e: False),
]


@pytest.mark.parametrize(("name", "where", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_filter_matches_what_a_python_filter_finds(archived, name, where,
                                                        expected) -> None:
    archive, entries = archived
    found = archive.query(replace(where, since=where.since or START))
    want = {e["id"] for e in entries if expected(e)}
    assert set(found.table.column("id").to_pylist()) == want
    assert found.matched == len(want) and found.skipped == []
    assert name == "nothing" or want  # every case finds something


def test_results_are_newest_first_limited_and_whole_entries_come_back(archived) -> None:
    archive, entries = archived
    found = archive.query(AuditFilter(result="failure"), limit=25)
    assert found.table.num_rows == 25 and found.matched > 25
    times = found.table.column("activityDateTime").to_pylist()
    assert times == sorted(times, reverse=True)
    oldest = archive.query(AuditFilter(result="failure"), limit=5, newest_first=False)
    assert oldest.table.column("activityDateTime").to_pylist() == sorted(
        oldest.table.column("activityDateTime").to_pylist())
    ids = found.table.column("id").to_pylist()[:3]
    by_id = {e["id"]: e for e in entries}
    assert {e["id"]: e for e in archive.entries(ids)} == {i: by_id[i] for i in ids}


def test_tenant_text_is_kept_exactly(archived) -> None:
    archive, entries = archived
    weird = [e for e in entries if any(t.get("displayName") == WEIRD
                                       for t in e["targetResources"])]
    found = archive.query(AuditFilter(text="mallory"))
    assert set(found.table.column("id").to_pylist()) == {e["id"] for e in weird}
    assert archive.entries([weird[0]["id"]]) == [weird[0]]


def test_a_frame_for_the_pane(archived) -> None:
    archive, _ = archived
    frame = archive.query(AuditFilter(category="Key"), limit=10).frame()
    assert len(frame) == 10 and str(frame["activityDateTime"].dtype) == "datetime64[us, UTC]"
    assert frame["category"].eq("Key").all()


def test_days_outside_the_range_are_not_opened(archived, monkeypatch) -> None:
    archive = AuditArchive(archived[0].folder)  # nothing in memory yet
    opened: list[date] = []
    original = archive.files.read

    def spy(day, columns=None, **options):
        opened.append(day)
        return original(day, columns, **options)

    monkeypatch.setattr(archive.files, "read", spy)
    archive.query(AuditFilter(since=datetime(2025, 3, 3, tzinfo=UTC),
                              until=datetime(2025, 3, 4, 12, tzinfo=UTC)))
    assert set(opened) == {date(2025, 3, 3), date(2025, 3, 4)}


def test_a_second_query_reads_cheap_columns_from_memory_until_a_file_changes(
        archived, tmp_path: Path, monkeypatch) -> None:
    from b2c_tui.audit import to_table

    _, entries = archived
    day = when(entries[-1]).date()
    of_day = [e for e in entries if when(e).date() == day]
    archive = AuditArchive(tmp_path / "small")
    archive.files.write(day, to_table(of_day[:-1]))
    archive.query(AuditFilter(category="Key", result="success"), limit=10)
    reads: list[list[str]] = []
    original = archive.files.read

    def spy(day, columns=None, **options):
        if "row_groups" not in options:
            reads.append(list(columns or []))
        return original(day, columns, **options)

    monkeypatch.setattr(archive.files, "read", spy)
    failures = archive.query(AuditFilter(category="Authentication", result="failure"))
    assert reads == []  # timestamps, category and result are held in memory
    assert failures.matched == sum(1 for e in of_day[:-1] if e["category"] == "Authentication"
                                   and e["result"] == "failure")
    archive.files.write(day, to_table(of_day))  # a pull replaced the file
    assert archive.query().matched == len(of_day)
    assert reads  # read again


def test_an_empty_archive_answers_empty(tmp_path: Path) -> None:
    found = AuditArchive(tmp_path / "none").query(AuditFilter(result="failure"))
    assert found.matched == 0 and found.table.num_rows == 0 and found.skipped == []


def test_a_busy_day_is_filtered_by_policy_and_application_like_a_quiet_one(tmp_path) -> None:
    # A day of a few thousand entries spans several Parquet pages: its list columns
    # (policyIds, applicationIds) once came back unreadable, the day was skipped and a policy
    # filter matched nothing.
    connection = tenant()
    add_entries(connection, 3000, start=START, days=1, seed=11)
    archive = AuditArchive(tmp_path / "archive")
    asyncio.run(pull(connection.client, archive, pace=False))
    entries = [e for e in served(connection) if when(e) >= START]
    by_list = [case for case in CASES if case[0] in ("policy", "application")]
    assert len(by_list) == 2
    for _, where, expected in by_list:
        found = archive.query(replace(where, since=START))
        want = {e["id"] for e in entries if expected(e)}
        assert want and found.skipped == []
        assert found.matched == len(want)
