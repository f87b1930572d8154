"""The deleted items pane (``:deleted``): deleted users, applications and their service
principals with days left before purge (the last week marked), restore and delete for good,
one or a selection, through ``$batch`` with a result per object (Graph's refusal among them),
and read-only."""

from __future__ import annotations

from typing import Any

from b2c_tui.graph.validation_users import build_local_account
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.bulk_result import BulkResultDialog
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen
from b2c_tui.tui.panes.deleted import APP_NOTE, DeletedItemsPane
from tests.helpers.kit_panes import RequestLog, cursor_to, loaded_keys, open_pane
from tests.helpers.pilot import settle
from tests.helpers.users_pane import screen_text

SIZE = (200, 45)
USERS = 300  # the demo tenant seeds three deleted users from 20 users up


async def open_deleted(pilot: Any, app: B2CApp) -> DeletedItemsPane:
    pane = await open_pane(pilot, app, "deleted")
    assert isinstance(pane, DeletedItemsPane)
    return pane


def cell(pane: DeletedItemsPane, row: int, label: str) -> str:
    labels = [c.label for c in pane.table.columns]
    return pane.table.row_texts(row)[labels.index(label)]


def column(pane: DeletedItemsPane, label: str) -> list[str]:
    return [cell(pane, r, label) for r in range(pane.table.row_count)]


async def select(pilot: Any, app: B2CApp, pane: DeletedItemsPane, keys: list[str]) -> None:
    for key in keys:
        pane.table.move_cursor(row=loaded_keys(pane).index(key))
        await pilot.press("space")
    await settle(pilot, app)


async def test_lists_deleted_users_and_apps_with_days_left_marked(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        apps = await app.context.client.applications.list().collect()
        mobile = next(a for a in apps if a["displayName"] == "Contoso Mobile")
        await app.context.client.applications.delete(mobile["id"])
        pane = await open_deleted(pilot, app)
        assert column(pane, "Type") == ["user"] * 3 + ["application", "service principal"]
        # Deleted 2, 9 and 24 days before now (the demo tenant's clock), in that order.
        assert sorted(column(pane, "Days left")[:3]) == [" 6 days ⚠", "21 days", "28 days"]
        assert column(pane, "Days left")[3:] == ["30 days", "30 days"]
        assert cell(pane, 3, "Name") == "Contoso Mobile"
        assert cell(pane, 3, "Client id") == mobile["appId"]
        assert all(column(pane, "User principal name")[:3])
        assert "coming" not in screen_text(app).lower()
        # Sorting the days sorts them as numbers (the text is right-aligned).
        labels = [c.label for c in pane.table.columns]
        pane.table.move_cursor(column=labels.index("Days left"))
        await pilot.press("s")
        await settle(pilot, app)
        assert column(pane, "Days left")[0] == " 6 days ⚠"


async def test_detail_view_says_when_it_is_purged(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        row = column(pane, "Days left").index(" 6 days ⚠")
        pane.table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Graph purges it in 6 days (within a week)." in text
        assert '"deletedDateTime"' in text and "@joined" not in text


async def test_restore_one_brings_the_user_back(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        user = await cursor_to(pilot, app, pane, **{"@joined.type": "user"})
        await pilot.press("u")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert user["id"] not in loaded_keys(pane)
        back = await app.context.client.users.get(user["id"])
        assert back["id"] == user["id"]
        assert any("restored" in n.message for n in app._notifications)


async def test_restore_a_selection_in_one_batch_with_a_result_each(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        keys = loaded_keys(pane)[:2]
        await select(pilot, app, pane, keys)
        log = RequestLog(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert log.sent == [("POST", "/$batch")]
        dialog = app.screen
        assert isinstance(dialog, BulkResultDialog)
        assert [o.ok for o in dialog.outcomes] == [True, True]
        assert "2 restored" in screen_text(app)
        assert not set(keys) & set(loaded_keys(pane))


async def test_graph_refusing_a_restore_is_shown_per_item_and_the_row_kept(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        # Someone signed up meanwhile with a deleted user's email: Graph refuses its restore.
        deleted = app.context.connection.emulator.store.deleted
        first, email = next(
            (key, i["issuerAssignedId"]) for key in loaded_keys(pane)
            for i in deleted.get(key).record.get("identities") or ()
            if i["signInType"] == "emailAddress")
        second = next(k for k in loaded_keys(pane) if k != first)
        await app.context.client.users.create(build_local_account(
            app.context.tenant, display_name="Newcomer", email=email,
            password="Str0ng!Passw0rd"))
        await select(pilot, app, pane, [first, second])
        await pilot.press("u")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, BulkResultDialog)
        text = screen_text(app)
        assert "1 restored, 1 failed" in text and "1 still selected for a retry" in text
        failed = dialog.failed[0]
        assert failed.key == first and failed.status == 400
        assert "identities" in failed.message and "identities" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert loaded_keys(pane).count(first) == 1 and second not in loaded_keys(pane)
        assert pane.table.selected_keys() == [first]


async def test_restoring_an_app_says_its_principal_stays_deleted(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        apps = await app.context.client.applications.list().collect()
        web = next(a for a in apps if a["displayName"] == "Contoso Web")
        await app.context.client.applications.delete(web["id"])
        pane = await open_deleted(pilot, app)
        await cursor_to(pilot, app, pane, id=web["id"])
        await pilot.press("u")
        await settle(pilot, app)
        assert (await app.context.client.applications.get(web["id"]))["id"] == web["id"]
        assert any(n.message == APP_NOTE for n in app._notifications)


async def test_delete_one_for_good_confirms_naming_it(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        user = await cursor_to(pilot, app, pane, **{"@joined.type": "user"})
        await pilot.press("d")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog)
        text = screen_text(app)
        assert f"Permanently delete user {user['displayName']}?" in text and user["id"] in text
        dialog.dismiss(True)
        await settle(pilot, app)
        assert user["id"] not in loaded_keys(pane)
        left = await app.context.client.deleted_items.list("user").collect()
        assert user["id"] not in {d["id"] for d in left}


async def test_delete_a_selection_for_good_needs_the_count_typed(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        keys = loaded_keys(pane)
        await select(pilot, app, pane, keys)
        await pilot.press("D")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog) and dialog.bulk
        assert "Permanently delete 3 items?" in screen_text(app)
        delete = dialog.query_one("#confirm-delete")
        assert delete.disabled
        await pilot.press("3")
        await settle(pilot, app)
        assert not delete.disabled
        log = RequestLog(app)
        await pilot.click("#confirm-delete")
        await settle(pilot, app)
        assert log.sent == [("POST", "/$batch")]
        assert isinstance(app.screen, BulkResultDialog)
        assert "3 deleted for good" in screen_text(app)
        assert pane.table.row_count == 0
        assert await app.context.client.deleted_items.list("user").collect() == []


async def test_read_only_hides_every_write(make_app) -> None:
    app = make_app(USERS, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        await select(pilot, app, pane, loaded_keys(pane)[:1])
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"restore", "purge", "purge_selected"}
        for key in ("u", "d", "D"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        assert pane.table.row_count == 3
        assert any("Read-only" in n.message and "Restore" in n.message
                   for n in app._notifications)


async def test_delete_selected_for_good_needs_a_selection(make_app) -> None:
    app = make_app(USERS)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_deleted(pilot, app)
        assert pane.check_action("purge_selected", ()) is None
        assert "purge_selected" not in enabled_actions(app)
        await pilot.press("D")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        await select(pilot, app, pane, loaded_keys(pane)[:1])
        assert pane.check_action("purge_selected", ()) is True
        assert "purge_selected" in enabled_actions(app)


def enabled_actions(app: B2CApp) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
