"""Issue 10: the users workflow as a newcomer finds it. Each test reproduces one defect."""

from __future__ import annotations

import csv
from typing import Any

from b2c_tui.frames.users import sign_in_name
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.pilot import demo_connection, settle
from tests.helpers.users_pane import open_users, screen_text


def record_notes(app: B2CApp) -> list[str]:
    """Every notification's text from now on (title and message)."""
    notes: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        notes.append(f"{kwargs.get('title', '')}: {message}")
        original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return notes


def footer_text(app: B2CApp) -> str:
    return screen_text(app).splitlines()[-1]


# -- defects --------------------------------------------------------------------------------
async def test_sorting_note_clears_when_the_sort_lands(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        await pilot.press("s")  # sort, then change the columns: the rows reload sorted
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("down", "down", "down", "space", "ctrl+s")
        await settle(pilot, app)
        assert pane.table.sort_key == "displayName" and not pane.table.sorting
        assert "sorting" not in app.query_one(StatusLine).rows


async def test_two_page_requests_at_once_never_leave_find_loading(make_app) -> None:
    # A find for one word is two queries (display-name prefix, then username). The table asks
    # for the next page (NearEnd) while the pane's own follow-up is queued: the second request
    # used to cancel the first mid-flight, and the status line stayed at "loading…".
    app = make_app(users=300)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_users(pilot, app)
        for _ in range(2):  # find twice in a row, as the newcomer did
            pane.apply_filter("Zofia")
            pane.fetch_next()
            pane.fetch_next()
            await settle(pilot, app)
            rows = app.query_one(StatusLine).rows
            assert "loading" not in rows, rows
            assert not pane.loading and not pane.table.has_more
            assert "(all)" in rows


def test_phone_sign_in_users_show_their_number() -> None:
    user = {"identities": [{"signInType": "phoneNumber", "issuer": "contoso.onmicrosoft.com",
                            "issuerAssignedId": "+15551234567"}]}
    assert sign_in_name(user) == "+15551234567"


WRITE_KEYS = {"n": "New", "E": "Edit", "p": "Password", "d": "Delete"}


async def test_read_only_hides_write_keys_and_says_why_when_pressed(make_app) -> None:
    app = make_app(users=50, read_only=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        notes = record_notes(app)
        shown = {b.binding.key for b in app.screen.active_bindings.values()}
        assert not shown & {"n", "E", "p", "d,delete", "d"}, shown
        for label in ("New user", "Password", "Delete"):
            assert label not in footer_text(app)
        for key in WRITE_KEYS:
            await pilot.press(key)
            await settle(pilot, app)
        assert len(notes) == len(WRITE_KEYS)
        assert all("read-only" in note.lower() for note in notes), notes
        await pilot.press("enter")  # the detail view: no write keys there either
        await settle(pilot, app)
        assert type(app.screen).__name__ == "UserDetailScreen"
        for label in ("Edit", "Reset password", "Delete"):
            assert label not in footer_text(app)
        await pilot.press("E")
        await settle(pilot, app)
        assert "read-only" in notes[-1].lower()


async def test_one_key_map_in_the_list_and_the_detail_view(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        detail = app.screen
        assert type(detail).__name__ == "UserDetailScreen"
        await pilot.press("E")  # E edits everywhere
        await settle(pilot, app)
        assert type(app.screen).__name__ == "UserEditDialog"
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is detail
        await pilot.press("question_mark")  # ? and : work in the detail view too
        await settle(pilot, app)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("colon")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "PromptScreen"


async def test_escape_leaves_the_auth_methods_pane(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        assert app.current_pane == "auth-methods"
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.current_pane == "users"


async def test_slash_on_users_says_it_is_a_server_side_find(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        slash = next(b.binding for b in app.screen.active_bindings.values()
                     if b.binding.key == "slash")
        assert "find" in slash.description.lower()
        await pilot.press("slash")
        await settle(pilot, app)
        assert "enter" in screen_text(app).lower()


async def test_help_screen_names_keys_as_typed_once_each(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        from textual.widgets import Static

        text = str(app.screen.query_one("#help-text", Static).render())
        assert "help_quit" not in text and "slash" not in text
        assert "  /" in text
        lines = [line.split() for line in text.splitlines() if line.startswith("  ")]
        keys = [parts[0] for parts in lines if parts]
        for key in ("up", "down", "home", "end", "pageup", "pagedown"):
            assert keys.count(key) <= 1, (key, keys)


# -- rough edges ----------------------------------------------------------------------------
async def test_column_chooser_lists_default_columns_with_check_marks(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        text = screen_text(app)
        assert "✓ Display name" in text and "✓ Sign-in name" in text
        await pilot.press("space")  # the first entry: Display name, off
        await settle(pilot, app)
        assert "✓ Display name" not in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "displayName" not in [c.key for c in pane.table.columns]


async def test_create_dialog_offers_no_forced_change_and_names_a_long_display_name(
        make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert "Force a password change" not in screen_text(app)
        from tests.helpers.users_pane import fill

        fill(dialog, {"sign_in": "long.name@example.com", "display_name": "x" * 300,
                      "password": "Aa1!aaaaaaaa"})
        dialog.action_save()  # type: ignore[attr-defined]
        await settle(pilot, app)
        message = str(dialog.query_one("#error-display_name").render())
        assert "256" in message and "required" not in message


async def test_bulk_delete_count_box_starts_empty(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("space", "down", "space", "D")
        await settle(pilot, app)
        from textual.widgets import Input

        box = app.screen.query_one("#confirm-input", Input)
        assert box.value == "" and box.placeholder == ""


async def test_auth_methods_columns_use_the_width_there_is(make_app) -> None:
    app = make_app(users=80)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        # a user with several methods
        client = app.context.client
        chosen = None
        for row in range(pane.table.row_count):
            key = pane.table.row_key(row)
            if len(await client.auth_methods.list_email_methods(key).collect()) and len(
                    await client.auth_methods.list_phone_methods(key).collect()):
                chosen = row
                break
        assert chosen is not None
        pane.table.move_cursor(row=chosen)
        await pilot.press("m")
        await settle(pilot, app)
        methods = app.pane("auth-methods").table  # type: ignore[union-attr]
        for row in range(methods.row_count):
            for text, width in zip(methods.row_texts(row), methods.column_widths, strict=True):
                assert len(text) <= width, (text, width)


async def test_export_shows_full_path_follows_sort_and_keeps_its_default(make_app, tmp_path,
                                                                         monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(users=5000)  # more pages exist after the first
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        notes = record_notes(app)
        await pilot.press("s", "s")  # display name, descending
        await settle(pilot, app)
        assert pane.table.has_more
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        path = dialog.query_one("#field-path").value  # type: ignore[attr-defined]
        assert path.startswith(str(tmp_path))
        assert dialog.query_one("#field-scope").value == "loaded"  # type: ignore[attr-defined]
        dialog.action_save()  # type: ignore[attr-defined]
        await settle(pilot, app)
        assert any(path in note for note in notes), notes
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        shown = [pane.table.row_texts(r)[0] for r in range(5)]
        assert [r[0] for r in rows[1:6]] == shown


async def test_whole_export_shows_a_bar_and_leaves_the_explorer_usable(make_app, tmp_path) -> None:
    app = make_app(users=2500)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        faults = app.context.connection.emulator.faults
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        dialog.query_one("#field-path").value = str(tmp_path / "all.csv")  # type: ignore
        dialog.query_one("#field-scope").value = "all"  # type: ignore[attr-defined]
        faults.latency = 0.3
        try:
            dialog.action_save()  # type: ignore[attr-defined]
            for _ in range(100):
                await pilot.pause(0.05)
                if "rows" in screen_text(app) and "Export" in screen_text(app):
                    break
            assert app.screen is app.screen_stack[0], "progress must not be a modal screen"
            before = pane.table.cursor_row
            await pilot.press("down")
            await pilot.pause()
            assert pane.table.cursor_row == before + 1, "the explorer stays usable"
        finally:
            faults.latency = 0.0
        await settle(pilot, app)
        assert (tmp_path / "all.csv").exists()


async def test_80x24_create_dialog_buttons_fit_and_footer_keeps_help(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_users(pilot, app)
        footer = footer_text(app)
        assert "Help" in footer and "Quit" in footer, footer
        await pilot.press("n")
        await settle(pilot, app)
        button = app.screen.query_one("#form-save")
        assert button.region.y >= 0 and button.region.bottom <= 24 and button.region.height
        assert "Create" in screen_text(app) and "Cancel" in screen_text(app)


async def test_chosen_theme_is_remembered(tmp_path) -> None:
    app = B2CApp(demo_connection(10))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.action_set_theme("b2c-light")
        await settle(pilot, app)
    again = B2CApp(demo_connection(10))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot, again)
        assert again.theme == "b2c-light"


def test_incomplete_address_is_named_not_searched() -> None:
    import pytest

    from b2c_tui.graph.errors import ValidationError
    from b2c_tui.graph.find_user import plan_user_search

    with pytest.raises(ValidationError, match="incomplete"):
        plan_user_search("Zofia@", "contoso.onmicrosoft.com")


def test_the_emulators_printed_profile_is_not_called_demo() -> None:
    from b2c_tui.emulator.app import create_emulator
    from b2c_tui.emulator.server import profile_toml

    text = profile_toml(create_emulator(users=3), "http://127.0.0.1:8443")
    assert text.startswith("[profiles.emulator]")
