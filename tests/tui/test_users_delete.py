"""Deleting users: one with a confirmation naming it, several through ``$batch`` with a result
per user; a partial failure shows which failed and keeps them selected."""

from __future__ import annotations

import re
from typing import Any

import pytest

from b2c_tui.graph.batch import BatchRequest, BatchResult
from b2c_tui.graph.errors import NotFoundError
from b2c_tui.tui.dialogs.bulk_result import BulkResultDialog
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.panes.users.detail import UserDetailScreen
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.kit_panes import loaded_keys
from tests.helpers.pilot import settle
from tests.helpers.users_pane import (
    load_next_page,
    open_users,
    put_cursor_on,
    row_of,
    screen_text,
)


def record_requests(app: Any, monkeypatch: Any) -> list[tuple[str, str]]:
    """Every request the client sends from now on, as (method, path or URL)."""
    core = app.context.client.core
    real = core.request
    sent: list[tuple[str, str]] = []

    async def request(method: str, path: str, **kwargs: Any) -> Any:
        sent.append((method.upper(), path))
        return await real(method, path, **kwargs)

    monkeypatch.setattr(core, "request", request)
    return sent


def listings(sent: list[tuple[str, str]]) -> list[str]:
    """The user-list requests among ``sent`` (first pages and nextLinks)."""
    return [path for method, path in sent
            if method == "GET" and re.search(r"/users/?(\?|$)", path)]


async def exists(app: Any, user_id: str) -> bool:
    try:
        await app.context.client.users.get(user_id, select=["id"])
    except NotFoundError:
        return False
    return True


async def test_delete_confirms_with_name_and_id(make_app) -> None:
    app = make_app(users=30)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        pane.table.move_cursor(row=5)
        await settle(pilot, app)
        user_id = pane.current_user_id()
        assert user_id is not None
        name = pane.names_of([user_id])[user_id]
        await pilot.press("d")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog)
        text = screen_text(app)
        assert name in text and user_id in text
        # Enter alone cancels (the focus is on Cancel): the user stays.
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmDeleteDialog)
        assert await exists(app, user_id) and row_of(pane, user_id) is not None
        # Escape cancels too.
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert await exists(app, user_id)
        # The clearly labelled button deletes.
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmDeleteDialog)
        assert not await exists(app, user_id)
        assert row_of(pane, user_id) is None
        assert any(user_id in n.message for n in app._notifications)


async def test_delete_from_the_detail_view_closes_it(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        user_id = pane.current_user_id()
        assert user_id is not None
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, UserDetailScreen)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        await pilot.click("#confirm-delete")
        await settle(pilot, app)
        assert not isinstance(app.screen, (ConfirmDeleteDialog, UserDetailScreen))
        assert not await exists(app, user_id)
        assert row_of(pane, user_id) is None


@pytest.fixture
def refuse_one(monkeypatch: Any) -> Any:
    """Make the ``$batch`` of a bulk delete answer 403 for one id (the others go to Graph).
    The bulk delete is a journaled commit: it sends through ``core.batch``."""

    def install(app: Any, refused: str) -> None:
        core = app.context.client.core
        real = core.batch

        async def batch(requests: list[BatchRequest], **kwargs: Any) -> list[BatchResult]:
            mine = [r for r in requests if r.url.endswith(refused)]
            answers = iter(await real([r for r in requests if r not in mine], **kwargs))
            body = {"error": {"code": "Authorization_RequestDenied",
                              "message": "Insufficient privileges to complete the operation."}}
            return [BatchResult("x", 403, {}, body, r) if r in mine else next(answers)
                    for r in requests]

        monkeypatch.setattr(core, "batch", batch)

    return install


async def test_bulk_delete_reports_each_user_and_keeps_failures_selected(
        make_app, refuse_one) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await open_users(pilot, app)
        keys = loaded_keys(pane)[4:8]
        gone_behind, refused, ok_1, ok_2 = keys
        for key in keys:
            await put_cursor_on(pilot, app, pane, key)
            await pilot.press("space")
        await settle(pilot, app)
        assert pane.table.selected_count == 4
        await app.context.client.users.delete(gone_behind)  # behind the app's back
        refuse_one(app, refused)
        await pilot.press("D")
        await settle(pilot, app)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDeleteDialog)
        names = pane.names_of(keys)
        text = screen_text(app)
        assert "Delete 4 users?" in text
        assert all(names[k] in text for k in keys)
        # The delete button stays disabled until the count is typed; enter never deletes.
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is confirm
        await pilot.press("4", "enter")
        await settle(pilot, app)
        assert app.screen is confirm, "enter in the count field only moves to the button"
        await pilot.press("enter")
        await settle(pilot, app)
        result = app.screen
        assert isinstance(result, BulkResultDialog)
        by_key = {o.key: o for o in result.outcomes}
        assert by_key[ok_1].ok and by_key[ok_2].ok
        assert by_key[gone_behind].status == 404
        assert by_key[gone_behind].code == "Request_ResourceNotFound"
        assert by_key[refused].status == 403
        text = screen_text(app)
        assert "2 deleted, 2 failed" in text
        assert "Authorization_RequestDenied" in text and "Request_ResourceNotFound" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert not await exists(app, ok_1) and not await exists(app, ok_2)
        assert await exists(app, refused)
        assert row_of(pane, ok_1) is None and row_of(pane, ok_2) is None
        assert row_of(pane, refused) is not None
        assert pane.table.selected_keys() == [refused], "the failure stays selected"


async def test_bulk_delete_removes_only_the_users_gone_in_place(
        make_app, refuse_one, monkeypatch) -> None:
    app = make_app(users=40)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await open_users(pilot, app)
        table = pane.table
        before = loaded_keys(pane)
        gone_behind, refused, ok_1, ok_2 = before[4:8]
        for key in (gone_behind, refused, ok_1, ok_2):
            await put_cursor_on(pilot, app, pane, key)
            await pilot.press("space")
        await app.context.client.users.delete(gone_behind)
        refuse_one(app, refused)
        table.move_cursor(row=20)
        await settle(pilot, app)
        sent = record_requests(app, monkeypatch)
        generation = pane.generation
        await pilot.press("D")
        await settle(pilot, app)
        await pilot.press("4", "enter", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, BulkResultDialog)
        await pilot.press("escape")
        await settle(pilot, app)
        # Deleted now or already gone (404): out; refused (403): still there, still selected.
        assert loaded_keys(pane) == [k for k in before if k not in (gone_behind, ok_1, ok_2)]
        count = len(before) - 3
        assert table.row_count == count == len(pane.frame)
        assert table.selected_keys() == [refused]
        assert table.cursor_row == 20
        assert listings(sent) == [] and pane.generation == generation, "nothing was reloaded"
        assert [m for m, _ in sent] == ["POST"]  # the one $batch
        assert {gone_behind, ok_1, ok_2}.isdisjoint(pane.frame.frame["id"])
        assert f"{count} (all) · 1 selected" in str(app.query_one(StatusLine).render())


async def test_delete_removes_that_row_in_place_and_paging_continues(
        make_app, monkeypatch) -> None:
    app = make_app(users=3000)  # pages of 999: more to come after those loaded
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        table = pane.table
        loaded = table.row_count
        assert loaded >= 999 and table.has_more
        table.move_cursor(row=7)
        await settle(pilot, app)
        before = loaded_keys(pane)
        user_id = before[7]
        sent = record_requests(app, monkeypatch)
        generation = pane.generation
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        assert sent == [("DELETE", f"/users/{user_id}")], "nothing was reloaded"
        assert pane.generation == generation
        assert not await exists(app, user_id)
        assert loaded_keys(pane) == [k for k in before if k != user_id]
        assert table.row_count == loaded - 1 == len(pane.frame)
        assert table.cursor_row == 7 and pane.current_user_id() == before[8]
        status = str(app.query_one(StatusLine).render())
        assert f"{loaded - 1:,} loaded · more available" in status
        # Names of rows far off screen still come (from the frame, which forgot the user).
        far = before[-1]
        assert pane.names_of([far, user_id]) == {far: pane.frame.frame.iloc[-1]["displayName"]}
        # The next pages append after the remaining rows, as if nothing had happened.
        while table.has_more:
            await pilot.press("G")
            await settle(pilot, app)
        listed = await app.context.client.users.list(select=["id"], top=999).collect()
        assert loaded_keys(pane) == [u["id"] for u in listed]
        assert user_id not in loaded_keys(pane)


async def test_delete_in_a_sorted_view_keeps_the_order(make_app) -> None:
    app = make_app(users=60)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        table = pane.table
        table.sort_by("displayName", reverse=True)
        await settle(pilot, app)
        table.move_cursor(row=3)
        await settle(pilot, app)
        before = loaded_keys(pane)
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        assert loaded_keys(pane) == before[:3] + before[4:]
        assert table.cursor_row == 3 and table.sort_key == "displayName" and table.sort_reverse
        assert f"{len(before) - 1} (all)" in str(app.query_one(StatusLine).render())


async def test_bulk_delete_needs_a_selection(make_app) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        assert pane.check_action("bulk_delete", ()) is None
        await pilot.press("D")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmDeleteDialog)
        await pilot.press("space")
        await settle(pilot, app)
        assert pane.check_action("bulk_delete", ()) is True


async def test_leaving_the_pane_does_not_cancel_a_delete_already_sent(make_app,
                                                                       monkeypatch) -> None:
    """Leaving cancels loads only: a change on its way to Graph finishes and reports."""
    import asyncio

    app = make_app(users=40)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        pane.table.move_cursor(row=3)
        await settle(pilot, app)
        user_id = pane.current_user_id()
        assert user_id is not None
        users = app.context.client.users
        real_delete = users.delete
        sent, release = asyncio.Event(), asyncio.Event()

        async def slow_delete(*args: Any, **kwargs: Any) -> Any:
            sent.set()
            await release.wait()
            return await real_delete(*args, **kwargs)

        monkeypatch.setattr(users, "delete", slow_delete)
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("tab", "enter")
        await sent.wait()
        app.show_pane("keysets")  # leave while the delete is in flight
        await pilot.pause()
        release.set()
        await settle(pilot, app)
        assert not await exists(app, user_id)
        assert any(user_id in n.message for n in app._notifications)
        app.show_pane("users")
        await settle(pilot, app)
        assert row_of(pane, user_id) is None


async def test_a_large_selection_is_gathered_off_the_loop_with_names(make_app,
                                                                     monkeypatch) -> None:
    from b2c_tui.tui.panes.users import pane as users_module

    monkeypatch.setattr(users_module, "QUICK_SELECTION", 10)  # 2,500 loaded rows count as large
    app = make_app(users=2500)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        await load_next_page(pilot, app, pane)
        loaded = pane.table.row_count
        assert loaded > 999
        await pilot.press("ctrl+a")
        await pilot.press("down", "space")  # one row unselected again
        await settle(pilot, app)
        unselected = pane.table.row_key(1)
        await pilot.press("D")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog)
        keys = [key for _, key in dialog.items]
        assert len(keys) == loaded - 1 and unselected not in keys
        names = dict((key, name) for name, key in dialog.items)
        frame = pane.frame.frame.set_index("id")["displayName"]
        assert all(names[k] == frame[k] for k in keys[:50] + keys[-50:])
        await pilot.press("escape")
        await settle(pilot, app)
        assert pane.table.row_count == loaded  # cancelled: nothing deleted
