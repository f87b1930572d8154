"""Whole-collection exports page in parallel by default and write exactly the rows of a
sequential export; Parquet exports; progress carries partitions and the request budget."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from b2c_tui.connection import open_demo
from b2c_tui.frames.columns import Column, select_for
from b2c_tui.frames.export import ExportProgress, export_stream, export_stream_csv
from b2c_tui.frames.users import USER_COLUMNS, USER_COLUMNS_BY_KEY
from b2c_tui.graph.paging import Page

COLUMNS = [*USER_COLUMNS, USER_COLUMNS_BY_KEY["id"], USER_COLUMNS_BY_KEY["userPrincipalName"]]


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


async def test_parallel_export_writes_exactly_the_rows_of_a_sequential_one(
        tmp_path: Path) -> None:
    """A demo tenant of 6,000 users in pages of 300, 32 partitions at once: the plan splits
    the 16 hex prefixes of the demo UPNs by their second character (about 300 partitions)."""
    connection = open_demo(users=6000)
    users = connection.client.users
    select = select_for(COLUMNS)
    try:
        sequential = await export_stream_csv(users.list(select=select, top=300),
                                             tmp_path / "seq.csv", COLUMNS, parallel=False)
        seen: list[ExportProgress] = []
        parallel = await export_stream_csv(users.list(select=select, top=300),
                                           tmp_path / "par.csv", COLUMNS, concurrency=32,
                                           progress=seen.append,
                                           core=connection.client.core)
    finally:
        await connection.aclose()
    assert sequential.ok and parallel.ok
    assert sequential.partitions == 0 and parallel.partitions > 100
    seq, par = rows(tmp_path / "seq.csv"), rows(tmp_path / "par.csv")
    assert par[0] == seq[0]  # the same header
    body = par[1:]
    assert len(body) == len(seq) - 1 == sequential.rows == parallel.rows > 5900
    assert len({tuple(r) for r in body}) == len(body)  # no duplicates
    assert sorted(body) == sorted(seq[1:])  # no loss: the same rows, in another order
    assert body != seq[1:]
    last = seen[-1]
    assert last.parallel and last.partitions == parallel.partitions
    assert last.partitions_done == last.partitions and last.partitions_active == 0
    assert "RU per 10 s" in last.budget and last.requests_per_s > 0
    assert f"{last.partitions:,} partitions" in last.message and "budget" in last.message


async def test_a_filtered_listing_is_exported_as_it_is(tmp_path: Path) -> None:
    connection = open_demo(users=3000)
    try:
        pages = connection.client.users.list({"$filter": "startswith(displayName,'a')"},
                                             select=["id", "displayName"], top=50)
        seen: list[ExportProgress] = []
        result = await export_stream_csv(pages, tmp_path / "a.csv",
                                         [Column("displayName", "Name")],
                                         progress=seen.append)
    finally:
        await connection.aclose()
    assert result.ok and result.partitions == 0 and not seen[-1].parallel
    assert all(r[0].lower().startswith(("a", "'")) for r in rows(tmp_path / "a.csv")[1:])


async def test_parquet_export_keeps_types(tmp_path: Path) -> None:
    records = [
        {"id": "1", "displayName": "Zoë\x1b", "accountEnabled": True,
         "createdDateTime": "2024-01-02T03:04:05Z", "otherMails": ["a@x.com", "b@x.com"],
         "n": 3, "passwordProfile": {"password": "Hunter2"}},
        {"id": "2", "displayName": None, "accountEnabled": None,
         "createdDateTime": "2024-05-06T07:08:09.1234567Z", "otherMails": [], "n": "x"},
    ]

    async def pages():
        yield Page(records, None, 1)

    columns = [Column("displayName", "Name"), Column("accountEnabled", "On", kind="bool"),
               Column("createdDateTime", "Created", kind="datetime"),
               Column("otherMails", "Mails"), Column("n", "N", kind="number"),
               Column("passwordProfile", "Password")]
    result = await export_stream(pages(), tmp_path / "u.parquet", columns, format="parquet")
    assert result.ok and result.rows == 2
    table = pq.read_table(tmp_path / "u.parquet")
    assert table.column_names == ["displayName", "accountEnabled", "createdDateTime",
                                  "otherMails", "n"]  # the password column is never exported
    data = table.to_pydict()
    assert data["displayName"] == ["Zoë\x1b", None]  # binary format: text kept as it is
    assert data["accountEnabled"] == [True, None]
    assert [d.isoformat() for d in data["createdDateTime"]] == [
        "2024-01-02T03:04:05+00:00", "2024-05-06T07:08:09.123456+00:00"]
    assert data["otherMails"] == ["a@x.com; b@x.com", ""]
    assert data["n"] == [3.0, None]


async def test_a_kept_partial_parquet_export_is_readable(tmp_path: Path) -> None:
    cancel = asyncio.Event()

    async def pages():
        yield Page([{"id": str(i), "displayName": f"U{i}"} for i in range(5)], "next", 1)
        cancel.set()
        yield Page([{"id": "x"}], None, 2)

    result = await export_stream(pages(), tmp_path / "u.parquet",
                                 [Column("displayName", "Name")], format="parquet",
                                 cancel=cancel, keep_partial=True)
    assert result.status == "cancelled" and result.partial_path is not None
    assert pq.read_table(result.partial_path).column("displayName").to_pylist() == [
        f"U{i}" for i in range(5)]


async def test_unknown_format_is_refused(tmp_path: Path) -> None:
    async def pages():
        yield Page([], None, 1)

    result = await export_stream(pages(), tmp_path / "u.xls", [Column("id", "Id")],
                                 format="xls")  # type: ignore[arg-type]
    assert result.status == "failed" and "unknown export format" in result.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
async def test_every_format_exports_the_same_users_in_parallel(tmp_path: Path,
                                                               fmt: str) -> None:
    connection = open_demo(users=2500)
    try:
        pages = connection.client.users.list(select=["id", "displayName"], top=100)
        result = await export_stream(pages, tmp_path / f"u.{fmt}",
                                     [Column("id", "Id"), Column("displayName", "Name")],
                                     format=fmt)  # type: ignore[arg-type]
    finally:
        await connection.aclose()
    assert result.ok and result.partitions > 0 and result.rows > 2400
