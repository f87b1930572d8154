"""Inline edits in the users table (issue 16): edit cells where they stand, see them marked,
sort, find and page with the marks kept, review and drop, commit with a refusal shown on its
cell, and the read-only and quit guards."""

from __future__ import annotations

from textual import events

from b2c_tui.tui.dialogs.confirm import ConfirmDialog
from b2c_tui.tui.kit.cell_editor import CellEditor
from b2c_tui.tui.kit.review import ReviewScreen
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.inline import cursor_to, edit_cell, journal, painted, user_values
from tests.helpers.kit_panes import loaded_keys
from tests.helpers.pilot import settle
from tests.helpers.users_pane import (
    load_next_page,
    open_users,
    row_of,
    screen_text,
)

SIZE = (200, 40)
PAGE = 999  # the users pane asks Graph for 999 users a page


def status(app) -> str:  # type: ignore[no-untyped-def]
    return app.query_one(StatusLine).render().plain


async def test_edits_across_pages_keep_their_marks_through_sort_find_and_refresh(
        make_app) -> None:
    app = make_app(users=1100)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        await load_next_page(pilot, app, pane)
        keys = loaded_keys(pane)
        assert len(keys) > PAGE  # two Graph pages loaded
        first, second, late = keys[0], keys[3], keys[PAGE + 20]
        names = pane.names_of([first, second, late])
        await edit_cell(pilot, app, pane, first, "displayName", "Zeta Renamed")
        await edit_cell(pilot, app, pane, second, "accountEnabled")  # a toggle: no editor
        await edit_cell(pilot, app, pane, late, "displayName", "Aaron From Page Two")
        assert not isinstance(app.screen, CellEditor)
        assert len(pane.inline.pending) == 3
        assert "✎ 3 pending edits" in status(app)
        row = await painted(pilot, app, pane, first)
        assert "✎ Zeta Renamed" in row and names[first] not in row
        assert "✎ no" in await painted(pilot, app, pane, second)
        assert "✎ Aaron From Page Two" in await painted(pilot, app, pane, late)
        untouched = await painted(pilot, app, pane, keys[1])
        assert "✎" not in untouched
        # Nothing was sent yet.
        assert (await user_values(app, first, "displayName"))["displayName"] == names[first]

        # Sort by display name (Graph's values): the marks follow their objects.
        await cursor_to(pilot, app, pane, first, "displayName")
        await pilot.press("s")
        await settle(pilot, app)
        assert pane.table.sort_key == "displayName"
        assert row_of(pane, first) != 0 or row_of(pane, late) != PAGE + 20
        assert "✎ Zeta Renamed" in await painted(pilot, app, pane, first)
        assert "✎ Aaron From Page Two" in await painted(pilot, app, pane, late)
        assert "✎" not in await painted(pilot, app, pane, keys[1])

        # Find (a server-side search) shows the late user alone, still marked.
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*names[late], "enter")
        await settle(pilot, app)
        assert late in loaded_keys(pane) and first not in loaded_keys(pane)
        assert "✎ Aaron From Page Two" in await painted(pilot, app, pane, late)
        assert "✎ 3 pending edits" in status(app)

        # Back to every user (page one, then two): every mark is back on its row.
        await pilot.press("escape")
        await settle(pilot, app)
        await load_next_page(pilot, app, pane)
        assert len(loaded_keys(pane)) > PAGE
        assert "✎ Zeta Renamed" in await painted(pilot, app, pane, first)
        assert "✎ Aaron From Page Two" in await painted(pilot, app, pane, late)
        assert "✎ no" in await painted(pilot, app, pane, second)


async def test_the_editor_checks_like_the_dialogs_and_keeps_what_was_typed(make_app) -> None:
    app = make_app(users=30)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        key = loaded_keys(pane)[2]
        await edit_cell(pilot, app, pane, key, "displayName", "   ")
        editor = app.screen
        assert isinstance(editor, CellEditor)  # refused: still open
        assert "Display name is required." in screen_text(app)
        assert editor.query_one("#cell-input").value == "   "  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot, app)
        assert not pane.inline.pending
        # Editing back to the loaded value is no edit at all.
        name = pane.names_of([key])[key]
        await edit_cell(pilot, app, pane, key, "displayName", "Someone Else")
        await edit_cell(pilot, app, pane, key, "displayName", name)
        assert not pane.inline.pending
        # A column Graph does not let a PATCH change says so.
        await cursor_to(pilot, app, pane, key, "creationType")
        await pilot.press("i")
        await settle(pilot, app)
        assert not isinstance(app.screen, CellEditor)
        assert any("cannot be edited in place" in str(n.message)
                   for n in app._notifications)


async def test_review_drop_one_then_commit_with_a_refusal_on_its_cell(make_app) -> None:
    app = make_app(users=60)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        pane.set_columns(["displayName", "userPrincipalName", "accountEnabled"])
        await settle(pilot, app)
        keys = loaded_keys(pane)
        a, b, c, d = keys[1], keys[2], keys[3], keys[4]
        before = {k: await user_values(app, k, "displayName", "userPrincipalName")
                  for k in (a, b, c, d)}
        await edit_cell(pilot, app, pane, a, "displayName", "Alpha Edited")
        await edit_cell(pilot, app, pane, b, "displayName", "Bravo Edited")
        await edit_cell(pilot, app, pane, c, "displayName", "Charlie Dropped")
        # Graph refuses a UPN another user has (no client-side rule can know that).
        taken = before[a]["userPrincipalName"]
        await edit_cell(pilot, app, pane, d, "userPrincipalName", taken)
        assert len(pane.inline.pending) == 4

        await pilot.press("v")
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        text = screen_text(app)
        assert "4 pending edits of 4 users" in text
        assert f"{before[a]['displayName']}" in text and "Alpha Edited" in text
        # Drop Charlie's edit: the cursor on its row, x.
        row = next(i for i, e in enumerate(review._rows) if e.object_id == c)
        review.query_one("#review-table").move_cursor(row=row)  # type: ignore[attr-defined]
        await pilot.press("x")
        await settle(pilot, app)
        assert "3 pending edits of 3 users" in screen_text(app)
        assert "Charlie Dropped" not in screen_text(app)
        await pilot.press("ctrl+s")  # commit from the review: sent at once
        await settle(pilot, app)
        assert not isinstance(app.screen, ReviewScreen)

        after = {k: await user_values(app, k, "displayName", "userPrincipalName")
                 for k in (a, b, c, d)}
        assert after[a]["displayName"] == "Alpha Edited"
        assert after[b]["displayName"] == "Bravo Edited"
        assert after[c] == before[c]  # dropped: never sent
        assert after[d] == before[d]  # refused
        # Successes left the pending edits and the rows show Graph's new values, unmarked.
        assert [e.object_id for e in pane.inline.pending] == [d]
        row_a = await painted(pilot, app, pane, a)
        assert "Alpha Edited" in row_a and "✎" not in row_a and "✗" not in row_a
        # The refusal stays pending, marked ✗ with Graph's message on the cell.
        row_d = await painted(pilot, app, pane, d)
        assert f"✗ {taken[:20]}" in row_d and row_d.lstrip().startswith("✗")
        [refused] = list(pane.inline.pending)
        assert refused.error and "already exists" in refused.error
        # With the cursor on its row, the status line shows Graph's message.
        assert "✗ User principal name: 400" in status(app) and "already exists" in status(app)
        assert "1 refused" in status(app) and "ctrl+s commits" in status(app)
        await pilot.press("v")
        await settle(pilot, app)
        assert "already exists" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        # The editor on the refused cell shows Graph's message too.
        await cursor_to(pilot, app, pane, d, "userPrincipalName")
        await pilot.press("i")
        await settle(pilot, app)
        assert "already exists" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)

        # The journal has each change: old and new, done or failed with Graph's message.
        entries = {e.object_id: e for e in journal(app)}
        assert entries[a].state == "done"
        assert entries[a].old == {"displayName": before[a]["displayName"]}
        assert entries[a].new == {"displayName": "Alpha Edited"}
        assert entries[d].state == "failed" and "already exists" in (entries[d].message or "")
        assert c not in entries
        assert len({e.commit for e in entries.values()}) == 1


async def test_commit_key_asks_first_and_sorts_the_new_values(make_app) -> None:
    app = make_app(users=30)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        keys = loaded_keys(pane)
        await cursor_to(pilot, app, pane, keys[0], "displayName")
        await pilot.press("s")  # sorted by display name
        await settle(pilot, app)
        last = pane.table.row_key(pane.table.row_count - 1)
        await edit_cell(pilot, app, pane, last, "displayName", "AAAA First Now")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Commit 1 edit to 1 user?" in screen_text(app)
        await pilot.press("n")  # not now: nothing sent, still pending
        await settle(pilot, app)
        assert len(pane.inline.pending) == 1
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert not pane.inline.pending
        assert (await user_values(app, last, "displayName"))["displayName"] == "AAAA First Now"
        # The loaded rows hold the new value, so the sort puts it first.
        assert pane.table.row_key(0) == last


async def test_read_only_cannot_enter_edit_mode(make_app) -> None:
    app = make_app(users=20, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        footer = screen_text(app).splitlines()[-1]
        assert "Edit cell" not in footer and "Commit" not in footer
        await cursor_to(pilot, app, pane, loaded_keys(pane)[0], "displayName")
        await pilot.press("i")
        await settle(pilot, app)
        assert not isinstance(app.screen, CellEditor)
        assert not pane.inline.pending
        assert any("Read-only" in str(n.message) and "Edit cell" in str(n.message)
                   for n in app._notifications)


async def test_quitting_with_pending_edits_asks_first(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        await edit_cell(pilot, app, pane, loaded_keys(pane)[0], "displayName", "Unsent")
        await pilot.press("q")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Quit with 1 pending edit?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.is_running and len(pane.inline.pending) == 1
        await pilot.press("ctrl+q")  # Textual's own quit key asks as well
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quitting_with_nothing_pending_does_not_ask(make_app) -> None:
    app = make_app(users=10)
    async with app.run_test(size=SIZE) as pilot:
        await open_users(pilot, app)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    assert app.return_code == 0


async def test_keys_typed_in_one_burst_with_enter_are_all_kept(make_app) -> None:
    """A terminal delivers a fast typist's keys (or a paste and Enter) together: the edit
    must hold every character typed before Enter (a priority Enter binding used to save the
    text as it was before them, and the edit was lost)."""
    app = make_app(users=20)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        key = loaded_keys(pane)[1]
        name = pane.names_of([key])[key]
        await cursor_to(pilot, app, pane, key, "displayName")
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, CellEditor)
        for char in " (admin)":  # as the driver posts them: all at once, then Enter
            app.post_message(events.Key("space" if char == " " else char, char))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot, app)
        assert not isinstance(app.screen, CellEditor)
        [edit] = list(pane.inline.pending)
        assert edit.new == f"{name} (admin)"


async def test_a_commit_goes_through_changes_commit_twenty_a_batch(make_app, monkeypatch
                                                                   ) -> None:
    """The explorer's commit is :func:`b2c_tui.changes.commit` (the code the API's ``apply``
    and ``benchmarks/bench_commit`` use): one PATCH per object, ``$batch`` 20 a request."""
    import b2c_tui.changes as changes

    app = make_app(users=80)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_users(pilot, app)
        calls: list[int] = []
        real_commit = changes.commit

        async def commit(client, todo, journal, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(len(todo))
            return await real_commit(client, todo, journal, **kwargs)

        batches: list[list[str]] = []
        core = app.context.client.core
        real_batch = core.batch

        async def batch(requests, **kwargs):  # type: ignore[no-untyped-def]
            batches.append([r.method for r in requests])
            return await real_batch(requests, **kwargs)

        monkeypatch.setattr(changes, "commit", commit)
        monkeypatch.setattr(core, "batch", batch)
        keys = loaded_keys(pane)[:45]
        for key in keys:
            await edit_cell(pilot, app, pane, key, "accountEnabled")
        await edit_cell(pilot, app, pane, keys[0], "displayName", "Two Edits One Patch")
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        assert calls == [45]
        assert [len(b) for b in batches] == [20, 20, 5]
        assert {m for b in batches for m in b} == {"PATCH"}
        assert not pane.inline.pending
        assert len(journal(app)) == 45
        first = await user_values(app, keys[0], "displayName", "accountEnabled")
        assert first["displayName"] == "Two Edits One Patch"


async def test_the_cell_editor_shows_a_field_label_literally() -> None:
    # Extension columns' labels come from the tenant: shown as text, controls made visible.
    from textual.app import App

    from b2c_tui.tui.kit import FieldSpec

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(CellEditor(FieldSpec("x", "Evil\x1b[2J\u202elabel"),
                                        object_name="Ada", text="", was=""))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "Evil␛[2J⟨U+202E⟩label of Ada" in text
