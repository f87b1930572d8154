"""Exports: loaded rows and whole collections to CSV/JSON Lines, safely (no Textual here)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import stat
import weakref
from pathlib import Path
from typing import Any

import httpx
import orjson
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2c_tui.frames import _export_io
from b2c_tui.frames._export_arrow import CsvTableWriter, escape_controls, values_array
from b2c_tui.frames.columns import Column, flatten_value
from b2c_tui.frames.export import (
    ExportExistsError,
    ExportPathError,
    ExportProgress,
    check_export_path,
    export_frame_csv,
    export_stream_csv,
    export_stream_jsonl,
)
from b2c_tui.frames.paged import PagedFrame
from b2c_tui.frames.users import USER_COLUMNS
from b2c_tui.graph import GraphCore
from b2c_tui.graph.errors import GraphError, NotFoundError
from b2c_tui.graph.paging import Page
from tests.helpers.fake_graph import FakeSleep, PagedUsers, error

COLS = [Column("id", "Object id"), Column("displayName", "Display name")]
ESC_NAME = "\x1b[31mred\x1b[0m [red]x[/] Zoë 山田"


def user(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"{i:08d}", "displayName": f"User {i}", **extra}


def read_csv(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class FakePages:
    """An async page iterator like ``PageIterator``: prefetches one page, counts requests and
    pages alive (weak references), raises or blocks on demand, records ``aclose``."""

    def __init__(self, pages: int, size: int = 3, *, fail_at: int | None = None,
                 block_at: int | None = None, record=user) -> None:
        self.total, self.size, self.record = pages, size, record
        self.fail_at, self.block_at = fail_at, block_at
        self.requests = 0
        self.alive = self.max_alive = 0
        self.closed = self.interrupted = False
        self._next: Page | None = None
        self.release = asyncio.Event()

    def _make(self, number: int) -> Page:
        items = [self.record(number * 100 + i) for i in range(self.size)]
        page = Page(items, None if number == self.total else f"next-{number}", number)
        self.alive += 1
        self.max_alive = max(self.max_alive, self.alive)
        weakref.finalize(page, self._gone)
        return page

    def _gone(self) -> None:
        self.alive -= 1

    def __aiter__(self) -> FakePages:
        return self

    async def __anext__(self) -> Page:
        if self.closed or self.requests >= self.total:
            raise StopAsyncIteration
        self.requests += 1
        number = self.requests
        if number == self.fail_at:
            raise NotFoundError("The \x1b]0;pwned\x07 resource is gone", status=404,
                                code="Request_ResourceNotFound")
        if number == self.block_at:
            try:
                await self.release.wait()
            except asyncio.CancelledError:
                self.interrupted = True
                raise
        page, self._next = self._next or self._make(number), None
        if number < self.total:  # the prefetch: the next page is held while this one is used
            self._next = self._make(number + 1)
        await asyncio.sleep(0)
        return page

    async def aclose(self) -> None:
        self.closed = True
        self._next = None


# -- loaded rows --------------------------------------------------------------------------------

def test_frame_export_writes_labels_and_text_cells(tmp_path: Path) -> None:
    df = pd.DataFrame({
        "displayName": pd.array(["Zoë", "=cmd|' /C calc'!A0", None], dtype="str"),
        "accountEnabled": [True, False, True],
        "createdDateTime": pd.to_datetime(["2024-01-02T03:04:05Z", None, "2023-12-31T23:59:59Z"],
                                          utc=True),
        "otherMails": [["a@x.com", "b@x.com"], [], None],
        "count": [1.0, None, 3.0],
    })
    columns = [Column("displayName", "Display name"), Column("accountEnabled", "Enabled"),
               Column("createdDateTime", "Created"), Column("otherMails", "Other emails"),
               Column("count", "Count", kind="number")]
    result = export_frame_csv(df, tmp_path / "users.csv", columns)
    assert result.ok and result.rows == 3 and result.path == tmp_path / "users.csv"
    assert read_csv(tmp_path / "users.csv") == [
        ["Display name", "Enabled", "Created", "Other emails", "Count"],
        ["Zoë", "true", "2024-01-02T03:04:05Z", "a@x.com; b@x.com", "1"],
        ["'=cmd|' /C calc'!A0", "false", "", "", ""],
        ["", "true", "2023-12-31T23:59:59Z", "", "3"],
    ]
    assert leftovers(tmp_path) == ["users.csv"]


def test_frame_export_matches_stream_export_byte_for_byte(tmp_path: Path) -> None:
    records = [user(i, displayName=name, accountEnabled=i % 2 == 0, creationType="LocalAccount",
                    createdDateTime="2024-05-06T07:08:09Z", mail=None,
                    otherMails=[f"u{i}@example.com"],
                    identities=[{"signInType": "emailAddress", "issuer": "t.onmicrosoft.com",
                                 "issuerAssignedId": f"u{i}@example.com"}])
               for i, name in enumerate(['Ann "Nan" O\'Neil', "Smith, John", "-1", ESC_NAME,
                                         "line\r\nbreak"])]
    frame = PagedFrame(USER_COLUMNS)
    frame.add_records(records)
    export_frame_csv(frame.frame, tmp_path / "frame.csv", USER_COLUMNS)
    result = asyncio.run(export_stream_csv(_pages([records]), tmp_path / "stream.csv",
                                           USER_COLUMNS))
    assert result.ok
    assert (tmp_path / "frame.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    rows = read_csv(tmp_path / "stream.csv")
    assert rows[0] == [c.label for c in USER_COLUMNS]
    assert [r[0] for r in rows[1:]] == ['Ann "Nan" O\'Neil', "Smith, John", "'-1",
                                        escape_controls(ESC_NAME), "line\r\nbreak"]
    assert rows[1][1:3] == ["u0@example.com", "u0@example.com"]


def test_frame_export_all_columns_without_specs_drops_denied_ones(tmp_path: Path) -> None:
    df = pd.DataFrame({"id": ["1"], "passwordProfile": ["p"], "k": ["AAAA"], "n": [5]})
    export_frame_csv(df, tmp_path / "x.csv")
    assert read_csv(tmp_path / "x.csv") == [["id", "n"], ["1", "5"]]


# -- streaming ----------------------------------------------------------------------------------

def _pages(batches: list[list[dict[str, Any]]]):
    async def gen():
        for number, items in enumerate(batches, 1):
            yield Page(items, None, number)
    return gen()


async def test_stream_export_of_many_pages_reports_progress(tmp_path: Path) -> None:
    pages = FakePages(5, size=4)
    seen: list[ExportProgress] = []
    result = await export_stream_csv(pages, tmp_path / "u.csv", COLS, progress=seen.append)
    assert result.status == "completed" and result.rows == 20 and result.pages == 5
    rows = read_csv(tmp_path / "u.csv")
    assert rows[0] == ["Object id", "Display name"]
    assert [r[0] for r in rows[1:]] == [f"{p * 100 + i:08d}" for p in range(1, 6)
                                        for i in range(4)]
    assert [p.rows for p in seen] == [4, 8, 12, 16, 20]
    assert seen[-1].pages == 5 and seen[-1].rows_per_s > 0
    assert seen[-1].message.startswith("20 rows, 5 pages")
    assert "Exported 20 rows to u.csv" in result.message
    assert leftovers(tmp_path) == ["u.csv"]
    assert stat.S_IMODE((tmp_path / "u.csv").stat().st_mode) == 0o600


async def test_stream_export_holds_at_most_two_pages(tmp_path: Path) -> None:
    pages = FakePages(30, size=50)
    result = await export_stream_csv(pages, tmp_path / "u.csv", COLS)
    assert result.rows == 1500
    assert pages.max_alive <= 2  # the page being written + the prefetched one


async def test_stream_export_from_the_real_client_rides_out_throttling(tmp_path: Path) -> None:
    server = PagedUsers(25, page_size=10)
    server.faults[2] = lambda request: error(429, "TooManyRequests", headers={"Retry-After": "7"})
    sleep = FakeSleep()
    core = GraphCore(None, transport=httpx.MockTransport(server), sleep=sleep,
                     clock=sleep.clock)
    seen: list[ExportProgress] = []
    result = await export_stream_csv(core.pages("/users", params={"$top": "10"}),
                                     tmp_path / "u.csv", COLS, progress=seen.append, core=core,
                                     parallel=False)  # this fake Graph ignores $filter
    assert result.ok and result.rows == 25 and result.pages == 3
    assert result.throttled == 1 and result.waited_seconds == 7
    waits = [p for p in seen if p.waiting is not None]
    assert len(waits) == 1 and waits[0].message.startswith("throttled, waiting 7s")
    assert core.stats.listeners == []  # the exporter's listener is gone
    assert len(read_csv(tmp_path / "u.csv")) == 26


async def test_cancel_between_pages_leaves_no_file(tmp_path: Path) -> None:
    pages = FakePages(10)
    cancel = asyncio.Event()

    def progress(p: ExportProgress) -> None:
        if p.pages == 2:
            cancel.set()

    result = await export_stream_csv(pages, tmp_path / "u.csv", COLS, progress=progress,
                                     cancel=cancel)
    assert result.status == "cancelled" and result.rows == 6 and not result.ok
    assert result.path is None and result.partial_path is None
    assert "cancelled after 6 rows" in result.message and "no file" in result.message
    assert pages.closed and pages.requests == 2
    assert leftovers(tmp_path) == []


async def test_cancel_interrupts_the_page_in_flight(tmp_path: Path) -> None:
    pages = FakePages(10, block_at=3)
    cancel = asyncio.Event()
    task = asyncio.create_task(export_stream_csv(pages, tmp_path / "u.csv", COLS, cancel=cancel))
    while pages.requests < 3:
        await asyncio.sleep(0)
    cancel.set()
    result = await asyncio.wait_for(task, 2)
    assert result.status == "cancelled" and result.rows == 6
    assert pages.interrupted and pages.closed
    assert leftovers(tmp_path) == []


async def test_cancel_cancels_the_prefetched_graph_request(tmp_path: Path) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if "skiptoken" not in str(request.url):
            return httpx.Response(200, json={"value": [user(1)], "@odata.nextLink":
                                             "https://graph.microsoft.com/v1.0/users?$skiptoken=2"})
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("never answered")

    core = GraphCore(None, transport=httpx.MockTransport(handler))
    cancel = asyncio.Event()
    task = asyncio.create_task(export_stream_csv(core.pages("/users"), tmp_path / "u.csv", COLS,
                                                 cancel=cancel, parallel=False))
    await asyncio.wait_for(started.wait(), 2)
    cancel.set()
    result = await asyncio.wait_for(task, 2)
    assert result.status == "cancelled" and result.rows == 1
    await asyncio.wait_for(cancelled.wait(), 2)
    assert leftovers(tmp_path) == []


async def test_cancel_can_keep_partial_rows_clearly_named(tmp_path: Path) -> None:
    cancel = asyncio.Event()
    result = await export_stream_csv(
        FakePages(5), tmp_path / "u.csv", COLS, keep_partial=True, cancel=cancel,
        progress=lambda p: cancel.set())
    assert result.status == "cancelled"
    assert result.partial_path == tmp_path / "u.csv.partial"
    assert leftovers(tmp_path) == ["u.csv.partial"]
    assert len(read_csv(result.partial_path)) == 1 + 3
    assert "partial rows kept in u.csv.partial" in result.message


async def test_failure_mid_way_reports_failed_and_leaves_no_file(tmp_path: Path) -> None:
    pages = FakePages(5, fail_at=3)
    result = await export_stream_csv(pages, tmp_path / "u.csv", COLS)
    assert result.status == "failed" and result.rows == 6
    assert isinstance(result.error, GraphError)
    assert "Request_ResourceNotFound" in result.message
    assert "\x1b" not in result.message and "\x07" not in result.message  # made visible
    assert "␛" in result.message
    assert leftovers(tmp_path) == []


async def test_graph_error_from_the_real_client_fails_cleanly(tmp_path: Path) -> None:
    server = PagedUsers(30, page_size=10)
    server.faults[2] = lambda request: error(403, "Authorization_RequestDenied",
                                             "Insufficient privileges")
    core = GraphCore(None, transport=httpx.MockTransport(server))
    result = await export_stream_csv(core.pages("/users", params={"$top": "10"}),
                                     tmp_path / "u.csv", COLS, parallel=False)
    assert result.status == "failed" and result.rows == 10
    assert "Authorization_RequestDenied" in result.message
    assert leftovers(tmp_path) == []


async def test_task_cancellation_cleans_up_and_propagates(tmp_path: Path) -> None:
    pages = FakePages(10, block_at=2)
    task = asyncio.create_task(export_stream_csv(pages, tmp_path / "u.csv", COLS))
    while pages.requests < 2:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert pages.closed and leftovers(tmp_path) == []


async def test_broken_progress_callback_does_not_sink_the_export(tmp_path: Path) -> None:
    def progress(p: ExportProgress) -> None:
        raise RuntimeError("display broke")

    result = await export_stream_csv(FakePages(3), tmp_path / "u.csv", COLS, progress=progress)
    assert result.ok and result.rows == 9


# -- safety -------------------------------------------------------------------------------------

SECRET_RECORD = {
    "id": "1", "displayName": "Ann",
    "passwordProfile": {"password": "Hunter2-secret", "forceChangePasswordNextSignIn": True},
    "passwordCredentials": [{"secretText": "s3cr3t-client-secret", "hint": "s3c"}],
    "k": "c2VjcmV0LWtleS1tYXRlcmlhbA", "key": "PRIVATE KEY MATERIAL",
    "extra": {"note": "ok", "secretText": "nested-secret-value", "password": "nested-pw"},
    "pin": "0000",
}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
async def test_secret_columns_and_properties_are_never_exported(tmp_path: Path, fmt: str) -> None:
    columns = [
        Column("displayName", "Name"),
        Column("pin", "PIN", secret=True),
        Column("passwordProfile", "Password profile"),
        Column("creds", "Credentials", select=("passwordCredentials",),
               get=lambda r: r.get("passwordCredentials")),
        Column("K", "Key"), Column("key", "Key material"),
        Column("extra", "Extra"),
        Column("whole", "Everything", get=lambda r: dict(r)),
    ]
    target = tmp_path / f"u.{fmt}"
    export = export_stream_csv if fmt == "csv" else export_stream_jsonl
    result = await export(_pages([[SECRET_RECORD]]), target, columns)
    assert result.ok
    text = target.read_text(encoding="utf-8")
    for secret in ("Hunter2-secret", "s3cr3t-client-secret", "c2VjcmV0", "PRIVATE KEY",
                   "nested-secret-value", "nested-pw", "0000"):
        assert secret not in text
    assert "Ann" in text and "note" in text
    if fmt == "csv":
        assert read_csv(target)[0] == ["Name", "Extra", "Everything"]
    else:
        assert set(orjson.loads(text.splitlines()[0])) == {"displayName", "extra", "whole"}


def test_only_secret_columns_is_refused_before_anything(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Nothing to export"):
        export_frame_csv(pd.DataFrame({"k": ["x"]}), tmp_path / "x.csv",
                         [Column("k", "Key"), Column("a", "A", secret=True)])
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
                                   '=HYPERLINK("http://evil","click")'])
async def test_csv_injection_guard(tmp_path: Path, value: str) -> None:
    records = [user(1, displayName=value, n=-5, tags=[value])]
    columns = [Column("displayName", "=Name"), Column("n", "N", kind="number"),
               Column("tags", "Tags")]
    await export_stream_csv(_pages([records]), tmp_path / "on.csv", columns)
    assert read_csv(tmp_path / "on.csv") == [["'=Name", "N", "Tags"], ["'" + value, "-5",
                                                                     "'" + value]]
    await export_stream_csv(_pages([records]), tmp_path / "off.csv", columns, guard=False)
    assert read_csv(tmp_path / "off.csv")[1] == [value, "-5", value]


async def test_existing_file_is_not_overwritten_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "u.csv"
    target.write_text("precious")
    pages = FakePages(2)
    with pytest.raises(ExportExistsError, match="already exists"):
        await export_stream_csv(pages, target, COLS)
    with pytest.raises(ExportExistsError):
        export_frame_csv(pd.DataFrame({"id": ["1"]}), target)
    assert pages.requests == 0 and target.read_text() == "precious"
    result = await export_stream_csv(pages, target, COLS, overwrite=True)
    assert result.ok and len(read_csv(target)) == 7
    assert leftovers(tmp_path) == ["u.csv"]


async def test_unwritable_paths_fail_before_any_request(tmp_path: Path, monkeypatch) -> None:
    server = PagedUsers(5)
    core = GraphCore(None, transport=httpx.MockTransport(server))
    with pytest.raises(ExportPathError, match="does not exist"):
        await export_stream_csv(core.pages("/users"), tmp_path / "missing" / "u.csv", COLS)
    with pytest.raises(ExportPathError, match="is a folder"):
        await export_stream_csv(core.pages("/users"), tmp_path, COLS)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportPathError, match="not a folder"):
        await export_stream_csv(core.pages("/users"), tmp_path / "file" / "u.csv", COLS)

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_export_io.tempfile, "mkstemp", denied)
    with pytest.raises(ExportPathError, match="Permission denied"):
        await export_stream_csv(core.pages("/users"), tmp_path / "u.csv", COLS)
    assert server.calls == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(ExportPathError, match="Permission denied"):
            check_export_path(folder / "u.csv")
    finally:
        folder.chmod(0o700)


# -- cells --------------------------------------------------------------------------------------

async def test_nested_values_are_flattened_readably(tmp_path: Path) -> None:
    identities = [{"signInType": "emailAddress", "issuer": "t.onmicrosoft.com",
                   "issuerAssignedId": "a@x.com", "@odata.type": "x"},
                  {"signInType": "federated", "issuer": "google.com", "issuerAssignedId": None}]
    records = [user(1, identities=identities, otherMails=["a@x.com", "b@x.com"],
                    address={"city": "Malmö", "zip": 12345}, mixed=[1, None, True, "x"],
                    flag=None, when="2024-01-02T03:04:05Z", size=3.5)]
    columns = [Column("identities", "Identities"), Column("otherMails", "Other"),
               Column("address", "Address"), Column("mixed", "Mixed"), Column("flag", "Flag"),
               Column("when", "When", kind="datetime"), Column("size", "Size")]
    await export_stream_csv(_pages([records]), tmp_path / "u.csv", columns)
    row = read_csv(tmp_path / "u.csv")[1]
    assert row == [flatten_value(identities), "a@x.com; b@x.com", "city=Malmö, zip=12345",
                   flatten_value([1, None, True, "x"]), "", "2024-01-02T03:04:05Z", "3.5"]
    assert row[0].startswith("signInType=emailAddress, issuer=t.onmicrosoft.com")


async def test_booleans_and_missing_values(tmp_path: Path) -> None:
    records = [user(1, accountEnabled=True), user(2, accountEnabled=False), user(3)]
    await export_stream_csv(_pages([records]), tmp_path / "u.csv",
                            [Column("accountEnabled", "Enabled", kind="bool")])
    assert read_csv(tmp_path / "u.csv") == [["Enabled"], ["true"], ["false"], [""]]
    assert b'\r\n""\r\n' in (tmp_path / "u.csv").read_bytes()  # an empty row is not blank


@pytest.mark.parametrize("excel", [False, True])
async def test_non_ascii_markup_and_escapes_round_trip_as_data(tmp_path: Path,
                                                               excel: bool) -> None:
    names = [ESC_NAME, "Ægir Þórsson", "👩‍💻 dev", "tab\tinside", "nul\x00byte", "\u202eevil"]
    records = [user(i, displayName=n) for i, n in enumerate(names)]
    name = f"u\x1b[2J{excel}.csv"
    result = await export_stream_csv(_pages([records]), tmp_path / name, COLS, excel=excel,
                                     escape_controls=False)
    data = (tmp_path / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is excel
    rows = read_csv(tmp_path / name, encoding="utf-8-sig")
    assert [r[1] for r in rows[1:]] == names
    assert "\x1b" not in result.message and "␛[2J" in result.message


CONTROL_NAMES = ["\x1b]0;pwned\x07title", "csi\x9b31m red", "bell\x07", "del\x7f", "nul\x00",
                 "nel\x85line", "tab\tcr\rlf\n kept", "Zoë \u00a0nbsp £5 ©", "\x1b=guarded?"]
ESCAPED_NAMES = ["\\u001b]0;pwned\\u0007title", "csi\\u009b31m red", "bell\\u0007", "del\\u007f",
                 "nul\\u0000", "nel\\u0085line", "tab\tcr\rlf\n kept", "Zoë \u00a0nbsp £5 ©",
                 "\\u001b=guarded?"]


async def test_control_characters_are_escaped_in_csv_by_default(tmp_path: Path) -> None:
    """Issue 9: ``cat``-ing an export cannot drive the terminal (C0/C1 controls but TAB, CR
    and LF written as ``\\uXXXX`` text), in cells and in the header, on both paths."""
    records = [user(i, displayName=n) for i, n in enumerate(CONTROL_NAMES)]
    columns = [Column("displayName", "Name\x1b[2J")]
    await export_stream_csv(_pages([records]), tmp_path / "stream.csv", columns)
    frame = PagedFrame(columns)
    frame.add_records(records)
    export_frame_csv(frame.frame, tmp_path / "frame.csv", columns)
    for name in ("stream.csv", "frame.csv"):
        data = (tmp_path / name).read_bytes()
        for raw in (b"\x1b", b"\x07", b"\x00", b"\x7f", b"\xc2\x9b", b"\xc2\x85"):
            assert raw not in data, (name, raw)
        rows = read_csv(tmp_path / name)
        assert rows[0] == ["Name\\u001b[2J"]
        assert [r[0] for r in rows[1:]] == ESCAPED_NAMES
    assert (tmp_path / "stream.csv").read_bytes() == (tmp_path / "frame.csv").read_bytes()


async def test_raw_control_characters_on_request(tmp_path: Path) -> None:
    records = [user(i, displayName=n) for i, n in enumerate(CONTROL_NAMES)]
    await export_stream_csv(_pages([records]), tmp_path / "raw.csv", COLS, escape_controls=False)
    export_frame_csv(pd.DataFrame({"displayName": CONTROL_NAMES}), tmp_path / "frame.csv",
                     [Column("displayName", "Display name")], escape_controls=False)
    assert [r[1] for r in read_csv(tmp_path / "raw.csv")[1:]] == CONTROL_NAMES
    assert [r[0] for r in read_csv(tmp_path / "frame.csv")[1:]] == CONTROL_NAMES


async def test_json_lines_escape_del_and_c1_losslessly(tmp_path: Path) -> None:
    records = [user(i, displayName=n) for i, n in enumerate(CONTROL_NAMES)]
    await export_stream_jsonl(_pages([records]), tmp_path / "u.jsonl", COLS)
    data = (tmp_path / "u.jsonl").read_bytes()
    for raw in (b"\x1b", b"\x07", b"\x00", b"\x7f", b"\xc2\x9b", b"\xc2\x85"):
        assert raw not in data
    assert [orjson.loads(line)["displayName"] for line in data.splitlines()] == CONTROL_NAMES
    await export_stream_jsonl(_pages([records]), tmp_path / "raw.jsonl", COLS,
                              escape_controls=False)
    assert b"\xc2\x9b" in (tmp_path / "raw.jsonl").read_bytes()


async def test_json_lines_export(tmp_path: Path) -> None:
    records = [user(1, otherMails=["a@x.com"], accountEnabled=True, displayName=ESC_NAME)]
    columns = [*COLS, Column("otherMails", "Other"), Column("accountEnabled", "Enabled")]
    result = await export_stream_jsonl(_pages([records, [user(2)]]), tmp_path / "u.jsonl",
                                       columns)
    assert result.ok and result.rows == 2
    lines = [orjson.loads(line) for line in (tmp_path / "u.jsonl").read_bytes().splitlines()]
    assert lines == [
        {"id": "00000001", "displayName": ESC_NAME, "otherMails": ["a@x.com"],
         "accountEnabled": True},
        {"id": "00000002", "displayName": "User 2", "otherMails": None, "accountEnabled": None},
    ]


def written(columns: list[list[Any]], guard: bool, escape: bool = True) -> str:
    """What the CSV writer makes of these columns of raw values."""
    out = io.BytesIO()
    writer = CsvTableWriter(out, len(columns))
    writer.write([values_array(c, guard=guard, escape=escape) for c in columns])
    writer.close()
    return out.getvalue().decode("utf-8")


def test_csv_bytes_are_what_the_csv_module_writes() -> None:
    values = ['plain', 'with "quotes"', "a,b", "line\nbreak", "cr\rlf\r\n", "", "Zoë", " sp "]
    expected = io.StringIO()
    csv.writer(expected, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        zip(values, reversed(values), strict=True))
    assert written([values, list(reversed(values))], False) == expected.getvalue()
    assert written([[]], False) == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(
    'ab,"\r\n\t=+-@ é\x1b\x00\x7f\x85\x9b\u00a0'), max_size=8), min_size=2, max_size=2),
    min_size=1, max_size=6))
def test_cells_round_trip_through_a_csv_reader(rows: list[list[str]]) -> None:
    text = written([[r[i] for r in rows] for i in range(2)], True)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    escaped = [[escape_controls(v) for v in r] for r in rows]
    guarded = [["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in r]
               for r in escaped]
    assert parsed == guarded
    assert not any(ch in text for ch in "\x1b\x00\x7f\x85\x9b")
