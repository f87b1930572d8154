"""VirtualTable through Pilot: cursor, paging, page-ahead, sorting, selection, safe text, mouse.

Tests wait for workers (``app.workers.wait_for_complete()``) and ``pilot.pause()``; none sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message

from b2c_tui.frames.columns import Column
from b2c_tui.frames.paged import PagedFrame
from b2c_tui.frames.users import USER_COLUMNS
from b2c_tui.tui.widgets.table import VirtualTable
from b2c_tui.tui.widgets.table import jobs as table_jobs
from b2c_tui.tui.widgets.table.sort import sort_order

SIZE = (100, 20)
NAME = Column("displayName", "Display name", width=16)
MAIL = Column("mail", "Email", width=20)


def record(i: int, name: str | None = None, **extra: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": f"id-{i:05d}", "displayName": f"User {i:05d}" if name is None else name,
        "identities": [{"signInType": "emailAddress", "issuer": "t.onmicrosoft.com",
                        "issuerAssignedId": f"user{i}@example.com"}],
        "mail": f"user{i}@example.com", "creationType": "LocalAccount",
        "accountEnabled": i % 3 != 0, "createdDateTime": f"2024-01-{1 + i % 28:02d}T08:00:00Z",
    }
    rec.update(extra)
    return rec


def chunk(columns: Sequence[Column], records: list[dict[str, Any]],
          frame: PagedFrame | None = None) -> pd.DataFrame:
    return (frame or PagedFrame(columns)).add_records(records)


class TableApp(App[None]):
    """A tiny app hosting one table and recording what it posts."""

    def __init__(self, columns: Sequence[Column] = USER_COLUMNS) -> None:
        super().__init__()
        self.columns = columns
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.columns)

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()

    def on_virtual_table_cursor_moved(self, message: VirtualTable.CursorMoved) -> None:
        self.posted.append(message)

    def on_virtual_table_near_end(self, message: VirtualTable.NearEnd) -> None:
        self.posted.append(message)

    def on_virtual_table_row_activated(self, message: VirtualTable.RowActivated) -> None:
        self.posted.append(message)

    def on_virtual_table_selection_changed(self, message: VirtualTable.SelectionChanged) -> None:
        self.posted.append(message)

    def on_virtual_table_rows_removed(self, message: VirtualTable.RowsRemoved) -> None:
        self.posted.append(message)

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.posted if isinstance(m, kind)]


def keys_in_display_order(table: VirtualTable) -> list[str]:
    return [table.row_key(r) for r in range(table.row_count)]


# -- cursor and paging -------------------------------------------------------------------------
async def test_cursor_moves_and_posts() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(USER_COLUMNS, [record(i) for i in range(50)]))
        await pilot.pause()
        await pilot.press("down", "down", "up", "right", "right", "left")
        await pilot.pause()
        assert (table.cursor_row, table.cursor_column) == (1, 1)
        moved = app.of(VirtualTable.CursorMoved)
        assert [m.row for m in moved] == [0, 1, 2, 1]
        assert moved[-1].key == "id-00001"
        await pilot.press("up", "up", "left", "left")  # clamped at the edges
        assert (table.cursor_row, table.cursor_column) == (0, 0)


async def test_page_down_and_jumps() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(USER_COLUMNS, [record(i) for i in range(500)]))
        await pilot.pause()
        page = table.page_size
        assert page >= 10
        await pilot.press("pagedown")
        assert table.cursor_row == page
        assert table.scroll_offset.y == page
        await pilot.press("pageup")
        assert table.cursor_row == 0
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == 499
        assert table.scroll_offset.y == 500 - page
        last = table.render_line(page).text  # the bottom line shows the last row
        assert "User 00499" in last
        await pilot.press("g")
        assert (table.cursor_row, table.scroll_offset.y) == (0, 0)
        await pilot.press("end")
        assert table.cursor_row == 499
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_enter_and_double_click_activate() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(USER_COLUMNS, [record(i) for i in range(10)]))
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.double_click(VirtualTable, offset=(5, 4))  # row 3
        await pilot.pause()
        assert [m.key for m in app.of(VirtualTable.RowActivated)] == ["id-00001", "id-00003"]


async def test_mouse_click_moves_cursor_and_header_click_sorts() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(USER_COLUMNS, [record(i) for i in range(20)]))
        await pilot.pause()
        second_column_x = 2 + table.column_layout.offsets[1] + 1
        await pilot.click(VirtualTable, offset=(second_column_x, 5))
        assert (table.cursor_row, table.cursor_column) == (4, 1)
        await pilot.click(VirtualTable, offset=(3, 0))  # the header of the first column
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_column == 0
        assert table.sort_key == "displayName"


# -- page-ahead --------------------------------------------------------------------------------
async def test_near_end_is_posted_once_per_load_when_more_exist() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame(USER_COLUMNS)
        table.append(frame.add_records([record(i) for i in range(100)]))
        await pilot.press("G")
        assert app.of(VirtualTable.NearEnd) == []  # nothing more to fetch
        await pilot.press("g")
        table.has_more = True
        await pilot.pause()
        assert app.of(VirtualTable.NearEnd) == []  # far from the end
        await pilot.press("G", "up", "down")
        await pilot.pause()
        assert [m.rows for m in app.of(VirtualTable.NearEnd)] == [100]
        table.append(frame.add_records([record(i) for i in range(100, 200)]))
        await pilot.pause()
        assert len(app.of(VirtualTable.NearEnd)) == 1  # cursor at 99 of 200: not near
        table.scroll_end(animate=False)  # the viewport bottom counts too (mouse wheel)
        await pilot.pause()
        assert [m.rows for m in app.of(VirtualTable.NearEnd)] == [100, 200]


async def test_near_end_when_the_first_page_does_not_fill_the_screen() -> None:
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(USER_COLUMNS, [record(i) for i in range(5)]))
        table.has_more = True
        await pilot.pause()
        assert len(app.of(VirtualTable.NearEnd)) == 1
        assert table.row_summary == "5 loaded · more available"
        table.has_more = False
        assert table.row_summary == "5 (all)"


# -- sorting -----------------------------------------------------------------------------------
SORT_NAMES = ["b", "", "A", None, "a", "B", "c"]


async def test_sort_is_stable_case_insensitive_with_empty_last() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME], [record(i, displayName=n) for i, n in enumerate(SORT_NAMES)]))
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.sorting
        order = [int(k[-1]) for k in keys_in_display_order(table)]
        assert order == [2, 4, 0, 5, 6, 1, 3]
        assert "Display name ▲" in table.render_line(0).text
        await pilot.press("s")  # again: descending, still stable, empties still last
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [int(k[-1]) for k in keys_in_display_order(table)] == [6, 0, 5, 2, 4, 1, 3]
        assert "Display name ▼" in table.render_line(0).text


async def test_a_sort_cancelled_before_it_started_does_not_block_the_next() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME], [record(i, displayName=n) for i, n in enumerate(SORT_NAMES)]))
        table.sort_by("displayName")
        app.workers.cancel_group(table, "virtual-table-sort")  # before it ever ran
        await pilot.pause()
        assert not table.sorting
        table.sort_by("displayName")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not table.sorting
        assert [int(k[-1]) for k in keys_in_display_order(table)] == [2, 4, 0, 5, 6, 1, 3]


def test_sort_order_kinds() -> None:
    dates = pd.array(pd.to_datetime(["2024-01-02", None, "2023-05-01"], utc=True))
    assert sort_order([dates], "datetime").tolist() == [2, 0, 1]
    assert sort_order([dates], "datetime", reverse=True).tolist() == [0, 2, 1]
    flags = pd.array([True, None, False, True], dtype="boolean")
    assert sort_order([flags], "bool").tolist() == [2, 0, 3, 1]
    numbers = np.array([3.0, np.nan, -1.0, 3.0])
    assert sort_order([numbers[:2], numbers[2:]], "number").tolist() == [2, 0, 3, 1]
    text = pd.array(["b", None, "a"], dtype="str")
    # A chunk without the column sorts as empty values.
    assert sort_order([text, None], "text", lengths=[3, 2]).tolist() == [2, 0, 1, 3, 4]
    assert sort_order([None], "number", lengths=[2]).tolist() == [0, 1]
    assert sort_order([], "text").tolist() == []


class BlockingSort:
    """Wraps ``sort_order``: the first call waits until released (a slow sort)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[int] = []

    def __call__(self, parts: Sequence[Any], kind: str, reverse: bool = False,
                 lengths: Sequence[int] | None = None) -> np.ndarray:
        self.calls.append(sum(len(p) for p in parts))
        if len(self.calls) == 1:
            assert self.release.wait(10)
        return sort_order(parts, kind, reverse, lengths)


async def test_stale_sort_is_dropped_when_rows_arrive(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = BlockingSort()
    monkeypatch.setattr(table_jobs, "sort_order", slow)
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        table.append(frame.add_records([record(i, f"n{9 - i}") for i in range(10)]))
        applied: list[int] = []
        apply = table.apply_order

        def spy(order: np.ndarray, back: np.ndarray | None) -> None:
            applied.append(len(order))
            apply(order, back)

        monkeypatch.setattr(table, "apply_order", spy)
        await pilot.press("s")
        await pilot.pause()
        assert table.sorting and "…" in table.render_line(0).text
        await pilot.press("down")  # the UI keeps responding while the sort runs
        assert table.cursor_row == 1
        table.append(frame.add_records([record(i, f"m{i}") for i in range(10, 15)]))
        slow.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert slow.calls == [10, 15]
        assert applied == [15]  # the 10-row result was never shown
        names = [table.row_texts(r)[0] for r in range(15)]
        assert names == sorted(names)


async def test_a_newer_sort_supersedes(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = BlockingSort()
    monkeypatch.setattr(table_jobs, "sort_order", slow)
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(10)]))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("s")  # reverse before the first lands
        slow.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(slow.calls) == 2
        assert table.sort_reverse
        assert keys_in_display_order(table) == [f"id-{i:05d}" for i in reversed(range(10))]


async def test_rows_appended_after_a_sort_are_sorted_in_and_cursor_follows() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        table.append(frame.add_records([record(i, f"k{i:02d}") for i in range(0, 20, 2)]))
        table.sort_by("displayName")
        await app.workers.wait_for_complete()
        await pilot.press("down", "down")
        key = table.row_key(table.cursor_row)
        table.append(frame.add_records([record(i, f"k{i:02d}") for i in range(1, 20, 2)]))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [table.row_texts(r)[0] for r in range(20)] == [f"k{i:02d}" for i in range(20)]
        assert table.row_key(table.cursor_row) == key


# -- selection ---------------------------------------------------------------------------------
async def test_selection_is_kept_across_sorts_and_appends() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        table.append(frame.add_records([record(i) for i in range(10)]))
        await pilot.press("space", "down", "down", "space")
        assert table.selected_keys() == ["id-00000", "id-00002"]
        assert table.render_line(1).text.startswith("✓")
        table.sort_by("displayName", reverse=True)
        await app.workers.wait_for_complete()
        table.append(frame.add_records([record(i) for i in range(10, 12)]))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.selected_keys() == ["id-00000", "id-00002"]
        marked = [table.row_key(r) for r in range(table.row_count)
                  if table.render_line(r + 1 - table.scroll_offset.y).text.startswith("✓")
                  and 0 <= r - table.scroll_offset.y < table.page_size]
        assert sorted(marked) == ["id-00000", "id-00002"]
        assert [m.count for m in app.of(VirtualTable.SelectionChanged)] == [1, 2]
        assert "2 selected" in table.row_summary


async def test_select_all_then_toggle_then_clear() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        table.append(frame.add_records([record(i) for i in range(6)]))
        await pilot.press("ctrl+a")
        assert table.selected_count == 6
        await pilot.press("space")  # deselect row 0
        table.append(frame.add_records([record(6)]))
        await pilot.press("G", "space")  # select the appended row
        assert table.selected_keys() == [f"id-{i:05d}" for i in range(1, 7)]
        await pilot.press("ctrl+a")  # not all selected: select all
        assert table.selected_count == 7
        await pilot.press("ctrl+a")  # all selected: clear
        assert table.selected_count == 0
        assert table.selected_keys() == []


# -- rendering ---------------------------------------------------------------------------------
async def test_markup_and_escape_sequences_are_shown_literally() -> None:
    evil = "[red]x[/] \x1b[31mEvil\x1b[0m\x07"
    app = TableApp([Column("displayName", "Display name", width=30), MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk(table.columns, [record(0, evil), record(1, "[bold]b[/bold]")]))
        await pilot.pause()
        first, second = table.render_line(1), table.render_line(2)
        assert "[red]x[/] ␛[31mEvil␛[0m␇" in first.text
        assert "[bold]b[/bold]" in second.text
        for strip in (first, second):
            assert all("\x1b" not in s.text and "\x07" not in s.text for s in strip)
            assert all(s.style is None or not s.style.bold for s in strip if "b[" in s.text)


async def test_wide_characters_keep_columns_aligned() -> None:
    names = ["山田太郎", "Bob", "Zoë 😀", "李" * 30]
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i, n) for i, n in enumerate(names)]))
        await pilot.pause()
        header = table.render_line(0).text
        column_x = cell_len(header[:header.index("Email")])
        width = table.scrollable_content_region.width
        for row in range(len(names)):
            strip = table.render_line(row + 1)
            text = strip.text
            assert strip.cell_length == width
            at = text.index(f"user{row}@")
            assert cell_len(text[:at]) == column_x, text
        assert "…" in table.render_line(4).text  # the long name is cut, not wrapped


async def test_cursor_and_zebra_styles_come_from_component_classes() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(4)]))
        await pilot.pause()
        cursor = table.get_component_rich_style("virtual-table--cursor")
        row0 = [s for s in table.render_line(1) if s.text.strip()]
        assert row0[0].style == cursor  # the cursor cell
        assert row0[1].style != cursor
        even = table.render_line(3)  # row 2, not under the cursor
        odd = table.render_line(2)
        assert next(iter(even)).style != next(iter(odd)).style


async def test_widths_from_spec_sample_and_keys() -> None:
    columns = [NAME, Column("mail", "Email")]
    app = TableApp(columns)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        assert table.column_widths[0] == 16
        table.append(chunk(columns, [record(i, mail=f"{'x' * 25}{i}@e.com") for i in range(3)]))
        await pilot.pause()
        assert table.column_widths[1] == len("x" * 25 + "0@e.com")
        await pilot.press(">", ">")
        assert table.column_widths[0] == 20
        await pilot.press("<")
        assert table.column_widths[0] == 18


async def test_actions_are_disabled_without_rows_and_secrets_hidden() -> None:
    columns = [NAME, Column("passwordProfile", "Password", secret=True)]
    app = TableApp(columns)
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        assert [c.key for c in table.columns] == ["displayName"]
        assert table.check_action("sort", ()) is None
        assert table.check_action("cursor_down", ()) is None
        await pilot.press("s", "down", "space")
        assert table.sort_key is None
        assert table.row_summary == "0 (all)"
        table.append(chunk(columns, [record(0, passwordProfile={"password": "hunter2"})]))
        await pilot.pause()
        assert table.check_action("sort", ()) is True
        assert "hunter2" not in table.render_line(1).text
        bindings = {b.id for b in VirtualTable.BINDINGS if isinstance(b, Binding)}
        assert {"table.sort", "table.toggle_select", "table.select_all", "table.widen",
                "table.narrow", "table.activate", "table.first_row", "table.last_row"} <= bindings


async def test_clear_resets_rows_selection_and_scroll() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(100)]))
        await pilot.press("space", "G")
        table.clear()
        await pilot.pause()
        assert (table.row_count, table.cursor_row, table.selected_count) == (0, 0, 0)
        assert table.scroll_offset.y == 0
        assert app.of(VirtualTable.SelectionChanged)[-1].count == 0
        table.append(chunk([NAME, MAIL], [record(i) for i in range(3)]))
        await pilot.pause()
        assert "User 00000" in table.render_line(1).text


# -- removing rows -----------------------------------------------------------------------------
def ids(*numbers: int) -> list[str]:
    return [f"id-{i:05d}" for i in numbers]


async def test_remove_keys_keeps_cursor_index_selection_and_other_rows() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(50)]))
        table.has_more = True
        await pilot.pause()
        for row in (5, 10, 12):
            table.move_cursor(row=row)
            await pilot.press("space")
        table.move_cursor(row=10)
        await pilot.pause()
        app.posted.clear()
        table.remove_keys(ids(10, 12, 99))  # 99 is not loaded: ignored
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 48
        assert keys_in_display_order(table) == ids(*(i for i in range(50) if i not in (10, 12)))
        assert table.cursor_row == 10 and table.row_key(10) == "id-00011"
        assert table.selected_keys() == ids(5)
        assert table.row_summary == "48 loaded · more available · 1 selected"
        removed = app.of(VirtualTable.RowsRemoved)
        assert [sorted(m.keys) for m in removed] == [ids(10, 12)]
        assert [m.count for m in app.of(VirtualTable.SelectionChanged)] == [1]
        assert [(m.row, m.key) for m in app.of(VirtualTable.CursorMoved)] == [(10, "id-00011")]
        assert "User 00011" in table.render_line(11 - table.scroll_offset.y).text
        # Rows that arrive afterwards follow the remaining ones.
        table.append(chunk([NAME, MAIL], [record(i) for i in range(50, 55)]))
        await pilot.pause()
        assert keys_in_display_order(table)[-6:] == ids(49, 50, 51, 52, 53, 54)
        assert table.row_count == 53


async def test_remove_keys_keeps_the_sort_order_and_later_sorts_skip_removed_rows() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        table.append(frame.add_records([record(i, f"k{(i * 7) % 30:02d}") for i in range(30)]))
        table.sort_by("displayName", reverse=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = keys_in_display_order(table)
        table.move_cursor(row=3)
        gone = [before[0], before[3], before[17]]
        table.remove_keys(gone)
        await app.workers.wait_for_complete()
        await pilot.pause()
        remaining = [k for k in before if k not in gone]
        assert keys_in_display_order(table) == remaining
        assert table.cursor_row == 3 and table.row_key(3) == remaining[3] == before[5]
        # New pages are sorted in; the removed rows stay out of every later order.
        table.append(frame.add_records([record(i, f"k{i:02d}") for i in range(30, 40)]))
        await app.workers.wait_for_complete()
        await pilot.pause()
        names = [table.row_texts(r)[0] for r in range(table.row_count)]
        assert table.row_count == 37 and names == sorted(names, reverse=True)
        assert not set(gone) & set(keys_in_display_order(table))
        table.sort_by("displayName")
        await app.workers.wait_for_complete()
        names = [table.row_texts(r)[0] for r in range(table.row_count)]
        assert table.row_count == 37 and names == sorted(names)
        assert not set(gone) & set(keys_in_display_order(table))


async def test_remove_keys_clamps_the_cursor_at_the_end() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(40)]))
        await pilot.press("G")
        assert table.cursor_row == 39
        table.remove_keys(ids(39))
        await pilot.pause()
        assert (table.row_count, table.cursor_row) == (39, 38)
        assert table.row_key(38) == "id-00038"
        assert table.scroll_offset.y == 39 - table.page_size
        assert "User 00038" in table.render_line(table.page_size).text
        table.remove_keys(ids(*range(30, 39)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (table.row_count, table.cursor_row) == (30, 29)
        assert table.scroll_offset.y <= 30 - table.page_size + 1
        table.remove_keys(ids(*range(30)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (table.row_count, table.cursor_row, table.selected_count) == (0, 0, 0)
        assert table.check_action("cursor_down", ()) is None
        assert table.row_summary == "0 (all)"


async def test_remove_keys_off_screen_are_found_in_a_thread() -> None:
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        frame = PagedFrame([NAME, MAIL])
        for start in range(0, 3000, 999):
            table.append(frame.add_records([record(i) for i in range(start,
                                                                    min(3000, start + 999))]))
        await pilot.press("ctrl+a")
        table.remove_keys(ids(2500, 1500, 7))  # 7 is on screen: it goes at once
        assert table.row_count == 2999
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 2997
        assert table.selected_count == 2997
        selected = table.selected_keys()
        assert len(selected) == 2997 and not set(ids(2500, 1500, 7)) & set(selected)
        assert table.row_key(1499) == "id-01501"
        # Selecting all again counts only the remaining rows.
        await pilot.press("ctrl+a", "ctrl+a")
        assert table.selected_count == 2997 == len(table.selected_keys())
        # A clear drops a search still pending.
        reports = len(app.of(VirtualTable.RowsRemoved))
        table.remove_keys(ids(2000))
        table.clear()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 0 and len(app.of(VirtualTable.RowsRemoved)) == reports


async def test_a_search_cancelled_by_leaving_resumes_when_shown_again(
        monkeypatch: pytest.MonkeyPatch) -> None:

    started, release = threading.Event(), threading.Event()
    real = table_jobs.find_keys

    def slow_find(parts: Any, keys: Any) -> dict[str, int]:
        if not started.is_set():
            started.set()
            assert release.wait(10)
        return real(parts, keys)

    monkeypatch.setattr(table_jobs, "find_keys", slow_find)
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i) for i in range(300)]))
        await pilot.pause()
        table.remove_keys(ids(250))
        while not started.is_set():
            await pilot.pause()
        app.workers.cancel_all()  # what leaving a pane does, mid-search
        release.set()
        await pilot.pause()
        table.display = False
        await pilot.pause()
        assert table.row_count == 300, "the search was cancelled"
        table.display = True  # the pane is shown again
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 299 and "id-00250" not in keys_in_display_order(table)


async def test_rows_removed_while_a_sort_runs_stay_out(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = BlockingSort()
    monkeypatch.setattr(table_jobs, "sort_order", slow)
    app = TableApp([NAME, MAIL])
    async with app.run_test(size=SIZE) as pilot:
        table = app.table
        table.append(chunk([NAME, MAIL], [record(i, f"n{9 - i}") for i in range(10)]))
        await pilot.press("s")
        await pilot.pause()
        assert table.sorting
        table.remove_keys(ids(0, 5))
        slow.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert slow.calls == [10]  # the sort was not made stale: its order skips the gaps
        assert keys_in_display_order(table) == ids(9, 8, 7, 6, 4, 3, 2, 1)


@pytest.mark.parametrize("seed", range(6))
def test_model_removals_match_a_plain_list(seed: int) -> None:
    """TableModel against a list of keys: appends, sorts (as the sort thread computes them)
    and removals in any mix, including removing rows the hints cannot find."""
    from b2c_tui.tui.widgets.table.model import TableModel
    from b2c_tui.tui.widgets.table.removed import find_keys

    rng = np.random.default_rng(seed)
    model, frame = TableModel(), PagedFrame([NAME])
    names: dict[str, str] = {}
    expected: list[str] = []  # keys in display order
    sorted_upto = -1  # rows appended since the last sort follow in arrival order
    for step in range(40):
        action = rng.choice(["append", "sort", "remove"], p=[0.3, 0.2, 0.5])
        if action == "append" or not expected:
            start = model.total
            records = [record(i, f"n{rng.integers(0, 50):02d}")
                       for i in range(start, start + int(rng.integers(1, 30)))]
            model.append(frame.add_records(records))
            names.update((r["id"], r["displayName"]) for r in records)
            expected += [r["id"] for r in records]
        elif action == "sort":
            parts, lengths = model.column_parts("displayName")
            model.order = sort_order(parts, "text", bool(step % 2), lengths)
            sorted_upto = model.total
            alive = set(expected)
            arrival = [f"id-{g:05d}" for g in range(model.total)]
            # Stable both ways: equal names keep their arrival order.
            expected = sorted((k for k in arrival if k in alive),
                              key=lambda k: names[k].lower(), reverse=bool(step % 2))
        else:
            gone = set(rng.choice(expected, size=min(len(expected), int(rng.integers(1, 6))),
                                  replace=False).tolist())
            hints = [int(r) for r in rng.integers(0, len(expected), size=3)]
            found, positions = model.find(gone, hints)
            for g, position in positions.items():
                assert model.order is not None and model.order[position] == g
            found.update(find_keys(model.id_parts(), gone - found.keys()))
            assert found.keys() == gone
            model.remove(found.values(), positions.values())
            expected = [k for k in expected if k not in gone]
        assert model.rows == len(expected)
        assert [model.key(r) for r in range(model.rows)] == expected, (seed, step, sorted_upto)
        for r in range(model.rows):
            g, position = model.place(r)
            assert model.display_row(g, position) == r


@pytest.mark.parametrize("seed", range(6))
def test_selection_through_removals_matches_a_plain_set(seed: int) -> None:
    """Selection counts and keys against a set of selected keys, through select-alls, toggles
    and removals (as RowRemover applies them: the selection first, then the model)."""
    from b2c_tui.tui.widgets.table.model import TableModel
    from b2c_tui.tui.widgets.table.removed import find_keys

    rng = np.random.default_rng(100 + seed)
    model, frame = TableModel(), PagedFrame([NAME])
    alive: list[str] = []
    rows_of: dict[str, int] = {}
    selected: set[str] = set()
    for _ in range(60):
        action = rng.choice(["append", "select_all", "toggle", "remove", "clear"],
                            p=[0.2, 0.15, 0.3, 0.3, 0.05])
        if action == "append" or not alive:
            start = model.total
            records = [record(i) for i in range(start, start + int(rng.integers(1, 40)))]
            model.append(frame.add_records(records))
            for r in records:
                rows_of[r["id"]] = int(r["id"][3:])
                alive.append(r["id"])
        elif action == "select_all":
            model.selection.select_all(model.total, model.rows)
            selected = set(alive)
        elif action == "clear":
            model.selection.clear()
            selected = set()
        elif action == "toggle":
            for key in rng.choice(alive, size=min(len(alive), 3), replace=False).tolist():
                now = model.selection.toggle(rows_of[key], key)
                assert now == (key not in selected)
                selected ^= {key}
        else:
            gone = set(rng.choice(alive, size=min(len(alive), int(rng.integers(1, 8))),
                                  replace=False).tolist())
            found = find_keys(model.id_parts(), gone)
            model.selection.discard(found)
            model.remove(found.values(), ())
            alive = [k for k in alive if k not in gone]
            selected -= gone
        assert model.selection.count == len(selected)
        assert sorted(model.selected_keys()) == sorted(selected)
        for key in alive:
            assert model.selection.contains(rows_of[key], key) == (key in selected)
