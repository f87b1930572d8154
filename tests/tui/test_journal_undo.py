"""The journal in the explorer (issue 16): every commit and delete is journaled before it is
sent; ctrl+z lists the entries, undoes a commit (PATCH back) or a delete (restore from deleted
items), says plainly what cannot be undone; a crashed run's pending entries are reconciled at
start."""

from __future__ import annotations

from typing import Any

from b2c_tui.changes import Change
from b2c_tui.graph.errors import NotFoundError
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.confirm import ConfirmDialog
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.messages import UserRef
from b2c_tui.tui.panes.auth_methods import AuthMethodsPane
from b2c_tui.tui.screens.journal import JournalScreen
from tests.helpers.inline import edit_cell, journal, painted, user_values
from tests.helpers.kit_panes import loaded_keys
from tests.helpers.pilot import demo_connection, settle
from tests.helpers.users_pane import open_users, put_cursor_on, row_of, screen_text

SIZE = (200, 40)


async def open_journal(pilot: Any, app: B2CApp) -> JournalScreen:
    await pilot.press("ctrl+z")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, JournalScreen)
    return screen


def cursor_on(screen: JournalScreen, **wanted: Any) -> None:
    """Put the journal's cursor on the first (newest) entry with these attributes."""
    row = next(i for i, e in enumerate(screen.entries)
               if all(getattr(e, k) == v for k, v in wanted.items()))
    screen.query_one("#journal-table").move_cursor(row=row)  # type: ignore[attr-defined]


async def exists(app: B2CApp, user_id: str) -> bool:
    try:
        await app.context.client.users.get(user_id, select=["id"])
    except NotFoundError:
        return False
    return True


async def test_undo_a_commit_from_the_journal(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        a, b = loaded_keys(pane)[1:3]
        names = pane.names_of([a, b])
        await edit_cell(pilot, app, pane, a, "displayName", "Undo Me A")
        await edit_cell(pilot, app, pane, b, "accountEnabled")
        enabled = (await user_values(app, b, "accountEnabled"))["accountEnabled"]
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        assert not pane.inline.pending
        assert (await user_values(app, a, "displayName"))["displayName"] == "Undo Me A"

        screen = await open_journal(pilot, app)
        text = screen_text(app)
        assert "2 entries" in text and "Undo Me A" in text
        assert f"displayName: {names[a]} → Undo Me A" in text
        cursor_on(screen, object_id=a)
        await settle(pilot, app)
        assert "u sets the old values back" in screen_text(app)
        await pilot.press("U")  # the whole commit
        await settle(pilot, app)
        assert (await user_values(app, a, "displayName"))["displayName"] == names[a]
        assert (await user_values(app, b, "accountEnabled"))["accountEnabled"] == enabled
        states = {(e.object_id, e.undoes is not None): e.state for e in journal(app)}
        assert states == {(a, False): "undone", (b, False): "undone",
                          (a, True): "done", (b, True): "done"}
        assert any("Undone" in str(n.message) for n in app._notifications)
        # Undone twice? Refused, saying why; nothing sent.
        cursor_on(screen, object_id=a, undoes=None)
        await settle(pilot, app)
        assert "Undone at" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        # The table shows the values back.
        row = await painted(pilot, app, pane, a)
        assert names[a] in row and "Undo Me A" not in row


async def test_undo_a_delete_restores_the_user(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        user_id = loaded_keys(pane)[5]
        name = pane.names_of([user_id])[user_id]
        await put_cursor_on(pilot, app, pane, user_id)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        await pilot.press("tab", "enter")
        await settle(pilot, app)
        assert not await exists(app, user_id) and row_of(pane, user_id) is None
        [entry] = journal(app)
        assert (entry.op, entry.kind, entry.object_id, entry.display_name, entry.state) == (
            "delete", "user", user_id, name, "done")

        screen = await open_journal(pilot, app)
        assert "u restores it from deleted items" in screen_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert await exists(app, user_id)
        assert [e.state for e in journal(app)] == ["undone", "done"]
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is not screen
        assert row_of(pane, user_id) is not None  # back in the list


async def test_what_cannot_be_undone_is_said_and_nothing_is_sent(make_app) -> None:
    app = make_app(users=40)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        user_id = loaded_keys(pane)[3]
        # A change made since the commit: undo would overwrite it, so it refuses.
        await edit_cell(pilot, app, pane, user_id, "displayName", "Committed Name")
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        await app.context.client.users.update(user_id, {"displayName": "Changed Elsewhere"})
        await open_journal(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert (await user_values(app, user_id, "displayName"))["displayName"] == \
            "Changed Elsewhere"
        assert any("was changed since" in str(n.message) and "Nothing was sent" in
                   str(n.message) for n in app._notifications)
        assert journal(app)[0].state == "done"
        await pilot.press("escape")
        await settle(pilot, app)

        # An authentication method's delete is journaled; Graph keeps no deleted methods.
        methods = app.context.client.auth_methods
        phones: list[dict[str, Any]] = []
        for key in loaded_keys(pane):
            phones = await methods.list_phone_methods(key).collect()
            if [p["phoneType"] for p in phones] == ["mobile"]:
                user_id = key
                break
        app.open_pane("auth-methods", UserRef(user_id))
        await settle(pilot, app)
        methods_pane = app.pane("auth-methods")
        assert isinstance(methods_pane, AuthMethodsPane)
        methods_pane.table.focus()
        methods_pane.table.move_cursor(
            row=next(i for i, r in enumerate(methods_pane.rows) if r.type == "mobile"))
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.click("#confirm-delete")
        await settle(pilot, app)
        assert await methods.list_phone_methods(user_id).collect() == []
        entry = journal(app)[-1]
        assert (entry.op, entry.kind, entry.state) == ("delete", "phoneMethod", "done")
        assert entry.path.endswith(f"/authentication/phoneMethods/{phones[0]['id']}")
        await open_journal(pilot, app)
        text = screen_text(app)
        assert "Cannot be undone: Graph does not keep a deleted phoneMethod" in text
        await pilot.press("u")
        await settle(pilot, app)
        assert await methods.list_phone_methods(user_id).collect() == []
        assert any("cannot be restored" in str(n.message) for n in app._notifications)


async def test_the_journal_is_read_only_on_a_read_only_tenant(make_app) -> None:
    app = make_app(users=20, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_users(pilot, app)
        screen = await open_journal(pilot, app)
        assert "Nothing yet" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "Undo" not in footer
        await pilot.press("u")
        await settle(pilot, app)
        assert app.screen is screen
        assert any("Read-only" in str(n.message) for n in app._notifications)


async def test_pending_entries_of_a_crashed_run_are_reconciled_at_start() -> None:
    connection = demo_connection(30)
    client, journal_ = connection.client, connection.journal()
    users = await client.users.list(select=["id", "displayName"], top=3).collect(3)
    made, lost = users[0], users[1]
    # A crash after the tenant applied the first and before the second was sent.
    entries = journal_.record([
        Change.update("user", made["id"], {"displayName": "Made Before The Crash"},
                      old={"displayName": made["displayName"]}),
        Change.update("user", lost["id"], {"displayName": "Never Sent"},
                      old={"displayName": lost["displayName"]}),
    ], commit="c" * 32)
    await client.users.update(made["id"], {"displayName": "Made Before The Crash"})
    assert [e.state for e in journal_.pending()] == ["pending", "pending"]

    app = B2CApp(connection, theme="b2c-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        states = {e.id: e.state for e in journal_.entries()}
        assert states == {entries[0].id: "done", entries[1].id: "not_applied"}
        note = next(str(n.message) for n in app._notifications
                    if "had no answer" in str(n.message))
        assert "2 changes" in note and "1 made" in note and "1 not made" in note


async def test_no_note_when_nothing_was_pending(make_app) -> None:
    app = make_app(users=10)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert not any("had no answer" in str(n.message) for n in app._notifications)
        assert not isinstance(app.screen, ConfirmDialog)


async def test_the_palette_opens_the_journal_and_offers_review_and_commit(make_app) -> None:
    from textual.command import CommandPalette

    from b2c_tui.tui.commands import ChangeCommands

    app = make_app(users=20)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        await edit_cell(pilot, app, pane, loaded_keys(pane)[0], "displayName", "Via Palette")
        titles = [title for title, _, _ in ChangeCommands(app.screen).items()]
        assert titles == ["Journal: recent changes, undo", "Review 1 pending edit",
                          "Commit 1 pending edit"]
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"journal")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, JournalScreen)
