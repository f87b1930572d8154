"""Issue 9, the explorer: crash reports without secrets, invisible characters shown, pasted
control characters dropped, retries on the status line, and a create whose connection dropped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding

from b2c_tui.tui import app as app_module
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.safe_text import safe, strip_controls
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.pilot import demo_connection, settle
from tests.helpers.users_pane import fill, open_users, screen_text

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldA"


class Crashy(B2CApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    kept: list[object] = []
    BINDINGS = [Binding("f12", "crash", "Crash")]

    def _print_error_renderables(self) -> None:  # keep what the terminal would get
        self.kept.extend(self._exit_renderables)
        self._exit_renderables.clear()

    def action_crash(self) -> None:
        authorization = f"Bearer {TOKEN}"  # a local, as inside a request
        headers = {"Authorization": authorization}
        raise RuntimeError(f"request failed: {headers['Authorization']}")


async def test_a_crash_report_shows_no_token() -> None:
    app = Crashy(demo_connection(5), theme="b2c-dark")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            await pilot.press("f12")  # the app handles the error, as in a real session
            await pilot.pause()
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False, color_system=None)
    assert app.kept
    for renderable in app.kept:
        console.print(renderable)
    report = out.getvalue()
    assert "request failed" in report and "RuntimeError" in report
    assert TOKEN not in report and TOKEN[:20] not in report


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f",
                                  "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_bidi_and_zero_width_characters_are_shown(char: str) -> None:
    shown = safe(f"admin{char}gnp.exe")
    assert char not in shown and f"U+{ord(char):04X}" in shown


def test_pasted_control_characters_are_dropped() -> None:
    assert strip_controls("Al\x1b[31mice\u202e\u200b\tW\x9bong") == "Al[31mice Wong"


async def test_invisible_characters_are_visible_in_table_dialog_and_detail(make_app) -> None:
    app = make_app(users=20)
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_users(pilot, app)
        users = app.context.client.users
        first = pane.table.row_key(0)
        await users.update(first, {"displayName": "Mallory\u202eexe.txt"})
        pane.refresh_rows(focus=first)
        await settle(pilot, app)
        assert "Mallory⟨U+202E⟩exe.txt" in screen_text(app)  # the table cell
        await pilot.press("d")  # the confirmation names it visibly
        await settle(pilot, app)
        assert "Mallory⟨U+202E⟩exe.txt" in screen_text(app)
        assert "\u202e" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("enter")  # the detail view, title and JSON
        await settle(pilot, app)
        text = screen_text(app)
        assert "Mallory⟨U+202E⟩exe.txt" in text and "\\u202e" in text
        assert "\u202e" not in text


async def test_a_paste_into_a_form_loses_control_characters(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_users(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        field = app.screen.query_one("#field-display_name")
        field.focus()
        await settle(pilot, app)
        app.screen.post_message  # noqa: B018
        from textual import events

        field.post_message(events.Paste("Eve\x1b]0;pwned\x07\u202e Smith"))
        await settle(pilot, app)
        assert field.value == "Eve]0;pwned Smith"  # type: ignore[attr-defined]


async def test_each_retry_shows_on_the_status_line(make_app) -> None:
    from types import SimpleNamespace

    app = make_app(users=5)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        status = app.query_one(StatusLine)
        for attempt in (1, 2):
            # what the client's listeners receive (ThrottleEvent / RetryEvent): no answer came
            app._on_throttle(SimpleNamespace(status=None, delay=2.0, attempt=attempt))
            await pilot.pause()
            line = str(status.render())
            assert f"retry {attempt}" in line and "connection" in line, line


# -- a create whose connection dropped ------------------------------------------------------
PASSWORD = "Str0ng!Passw0rd"


async def _create_dialog(pilot, app):
    from b2c_tui.tui.dialogs.user_create import UserCreateDialog

    await open_users(pilot, app)
    await pilot.press("n")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, UserCreateDialog)
    fill(dialog, {"sign_in": "dropped.line@example.com", "display_name": "Dropped Line",
                  "password": PASSWORD})
    return dialog


def _dropping_create(app, monkeypatch, *, carried_out: bool, unknown: bool = True
                     ) -> list[int]:
    """The first create fails on the network: after it was sent (``unknown``, the client's
    OutcomeUnknownError) or before it could arrive (a plain NetworkError)."""
    from b2c_tui.graph.errors import NetworkError, OutcomeUnknownError

    users = app.context.client.users
    real = users.create
    calls: list[int] = []
    error = OutcomeUnknownError if unknown else NetworkError

    async def create(body):
        calls.append(1)
        if len(calls) == 1:
            if carried_out:
                await real(body)  # Graph made the user, then the connection dropped
            raise error("Connection to Graph failed: RemoteProtocolError",
                        code="OutcomeUnknown" if unknown else "NetworkError", method="POST")
        return await real(body)

    monkeypatch.setattr(users, "create", create)
    return calls


async def test_dropped_create_that_went_through_is_found_not_sent_again(make_app,
                                                                        monkeypatch) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(160, 40)) as pilot:
        dialog = await _create_dialog(pilot, app)
        calls = _dropping_create(app, monkeypatch, carried_out=True)
        notes: list[str] = []
        real_notify = app.notify
        app.notify = lambda message, *a, **k: (notes.append(message),  # type: ignore
                                               real_notify(message, *a, **k))[1]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is not dialog, "the user exists: no second create is offered"
        assert calls == [1]
        assert any("connection dropped" in n and "created" in n for n in notes), notes
        found = await app.context.client.users.list(
            {"$filter": "startswith(displayName,'Dropped Line')"}).collect()
        assert len(found) == 1


async def test_dropped_create_that_did_not_happen_says_so_and_may_be_sent_again(
        make_app, monkeypatch) -> None:
    app = make_app(users=10)
    async with app.run_test(size=(160, 40)) as pilot:
        dialog = await _create_dialog(pilot, app)
        calls = _dropping_create(app, monkeypatch, carried_out=False)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog
        status = str(dialog.query_one("#form-error").render())
        assert "connection dropped" in status and "nothing was created" in status
        assert "Graph refused" not in screen_text(app)
        assert dialog.query_one("#field-display_name").value == "Dropped Line"  # type: ignore
        await pilot.press("ctrl+s")  # now it is known not to exist: Create sends it again
        await settle(pilot, app)
        assert app.screen is not dialog and calls == [1, 1]


async def test_create_refused_before_it_was_sent_fails_without_a_lookup(make_app,
                                                                      monkeypatch) -> None:
    """A NetworkError that is not OutcomeUnknownError (the connection never carried the
    request) is an ordinary failure: said at once, no "checking whether it was created"."""
    app = make_app(users=10)
    async with app.run_test(size=(160, 40)) as pilot:
        dialog = await _create_dialog(pilot, app)
        calls = _dropping_create(app, monkeypatch, carried_out=False, unknown=False)
        lookups: list[str] = []
        users = app.context.client.users
        real_find = users.find_by_sign_in_name

        async def find(*args, **kwargs):
            lookups.append(args[0])
            return await real_find(*args, **kwargs)

        monkeypatch.setattr(users, "find_by_sign_in_name", find)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is dialog and calls == [1]
        assert lookups == []
        status = str(dialog.query_one("#form-error").render())
        assert "checking whether" not in status and "connection dropped" not in status
