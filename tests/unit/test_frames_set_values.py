"""New values in loaded pages (after a commit): found by id, typed by the column's kind."""

from __future__ import annotations

import pandas as pd

from b2c_tui.frames.columns import Column
from b2c_tui.frames.paged import PagedFrame

COLUMNS = (Column("displayName", "Name"), Column("accountEnabled", "Enabled", kind="bool"),
           Column("createdDateTime", "Created", kind="datetime"),
           Column("extension_x_score", "Score", kind="number"),
           Column("extension_x_tags", "Tags"))


def page(start: int, n: int) -> list[dict[str, object]]:
    return [{"id": f"id-{i}", "displayName": f"User {i}", "accountEnabled": True,
             "createdDateTime": "2024-01-02T03:04:05Z", "extension_x_score": i,
             "extension_x_tags": ["a"]} for i in range(start, start + n)]


def test_values_land_on_their_rows_in_any_page_and_leave_snapshots_alone() -> None:
    frame = PagedFrame(COLUMNS)
    frame.add_records(page(0, 3))
    frame.add_records([])  # Graph may send an empty page
    frame.add_records(page(3, 3))
    before = frame.snapshot()
    planned = frame.plan_values({
        "id-1": {"displayName": "Renamed", "accountEnabled": False},
        "id-4": {"createdDateTime": "2026-11-01T09:30:00Z", "extension_x_score": 42,
                 "extension_x_tags": ["b", "c"]},
        "id-5": {"accountEnabled": None, "unknownColumn": "ignored"},
        "not-loaded": {"displayName": "Nobody"},
    })
    assert {(start, key) for start, key, _ in planned} == {
        (0, "displayName"), (0, "accountEnabled"), (3, "createdDateTime"),
        (3, "extension_x_score"), (3, "extension_x_tags"), (3, "accountEnabled")}
    frame.set_arrays(planned)
    rows = frame.frame.set_index("id")
    assert rows.loc["id-1", "displayName"] == "Renamed"
    assert not rows.loc["id-1", "accountEnabled"] and rows.loc["id-0", "accountEnabled"]
    assert pd.isna(rows.loc["id-5", "accountEnabled"]) and rows.loc["id-3", "accountEnabled"]
    assert rows.loc["id-4", "createdDateTime"] == pd.Timestamp("2026-11-01T09:30:00Z")
    assert rows.loc["id-3", "createdDateTime"] == pd.Timestamp("2024-01-02T03:04:05Z")
    assert rows.loc["id-4", "extension_x_score"] == 42 and rows.loc["id-3",
                                                                     "extension_x_score"] == 3
    assert rows.loc["id-4", "extension_x_tags"] == "b; c"
    assert list(rows.index) == [f"id-{i}" for i in range(6)]
    # A snapshot taken before (an export in progress) keeps the values it had.
    assert before.frame.set_index("id").loc["id-1", "displayName"] == "User 1"


def test_nothing_loaded_nothing_planned() -> None:
    frame = PagedFrame(COLUMNS)
    frame.add_records(page(0, 2))
    assert frame.plan_values({"elsewhere": {"displayName": "x"}}) == []
