"""Start-up does the least work before the first frames: counted, never timed.

What the explorer's first frame and first rows cost is measured in
``benchmarks/bench_launch.py``; these tests count the work that decides it (pages asked for
and added, widgets composed), so a change that adds work fails here on any machine.
"""

from __future__ import annotations

from typing import Any

import pytest

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.kit.base import ResourcePane
from b2c_tui.tui.widgets.footer import BindingsFooter
from tests.helpers.pilot import demo_connection, settle


class Watched:
    """The explorer on a demo tenant, with every frame and every ``GET /users`` recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, users: int = 3000) -> None:
        connection = demo_connection(users)
        self.asked: list[str] = []
        #: one entry per frame: (user rows in the table, GET /users asked so far, panes built,
        #: loads the users pane started)
        self.frames: list[tuple[int, int, int, int]] = []
        #: the footer's keys at each frame
        self.footers: list[tuple[str, ...]] = []
        #: widgets on the screen at each frame (the screen included)
        self.nodes: list[int] = []
        emulator = connection.emulator
        handle = emulator.handle

        async def counting(request: Any, **kwargs: Any) -> Any:
            if request.method == "GET" and request.path.rstrip("/") == "/users":
                self.asked.append(request.query_string)
            return await handle(request, **kwargs)

        monkeypatch.setattr(emulator, "handle", counting)
        self.app = app = B2CApp(connection, theme="b2c-dark", pane="users")
        display = app._display

        def on_display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                pane = app.pane("users")
                rows = pane.table.row_count if pane is not None and pane.is_mounted else 0
                loads = getattr(pane, "generation", 0)
                self.frames.append((rows, len(self.asked), len(app.query(ResourcePane)), loads))
                self.nodes.append(len(list(app.screen.walk_children(with_self=True))))
                footer = app.query_one(BindingsFooter)
                self.footers.append(tuple(item.description for item in footer.items))
            display(screen, renderable)

        monkeypatch.setattr(app, "_display", on_display)

    def first_rows_frame(self) -> tuple[int, int, int, int]:
        return next(frame for frame in self.frames if frame[0])


async def test_the_first_rows_are_one_page_shown_before_any_other_page_is_asked_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    watched = Watched(monkeypatch)
    app = watched.app
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        rows, asked, _panes, _loads = watched.first_rows_frame()
        # Page 1 alone, and nothing else asked of Graph (the in-process demo tenant builds a
        # prefetched page on the event loop, ahead of the first rows' frame).
        assert (rows, asked) == (999, 1)
        # Once those rows are on screen, the next page is prefetched, not added.
        assert len(watched.asked) == 2
        assert app.pane("users").table.row_count == 999  # type: ignore[union-attr]


async def test_only_the_shown_pane_is_built_before_the_first_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    watched = Watched(monkeypatch, users=300)
    app = watched.app
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert watched.frames[0][2] <= 1
        assert watched.first_rows_frame()[2] == 1
        assert [p.info.id for p in app.query(ResourcePane)] == ["users"]
    # The shell (header, navigation, export bar, status line, footer) and one pane with its
    # table: 13 widgets today. Composing every pane up front would add one or more per pane
    # (there are 14), each styled and laid out before the first frame.
    assert max(watched.nodes[:3]) <= 16, watched.nodes[:3]


async def test_the_stylesheet_is_parsed_once_with_the_chosen_theme(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.css.stylesheet import Stylesheet

    app = B2CApp(demo_connection(300), theme="b2c-light", pane="users")
    chosen = app.available_themes["b2c-light"].primary
    parsed: list[str] = []  # the $primary each CSS source was parsed with
    parse_rules = Stylesheet._parse_rules
    reparse = Stylesheet.reparse
    reparses: list[int] = []

    def watching(self: Stylesheet, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(str(self._variables.get("primary")))
        return parse_rules(self, css, *args, **kwargs)

    def counting(self: Stylesheet) -> None:
        reparses.append(1)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "_parse_rules", watching)
    monkeypatch.setattr(Stylesheet, "reparse", counting)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
    # Set on mount, the theme had every rule parsed and applied with Textual's default theme
    # first, then all of it again (a whole re-parse and re-apply).
    assert parsed and set(parsed) == {chosen}
    assert reparses == []


async def test_the_first_page_is_asked_for_before_the_first_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    watched = Watched(monkeypatch, users=300)
    app = watched.app
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
    # It waited for the screen to settle after start-up (several frames) before asking.
    assert watched.frames[0][3] == 1


async def test_timing_marks_the_frames_that_reach_the_terminal(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """B2C_TUI_TIMING (the launch benchmark) marks the first frame and the first frame with
    rows as they are handed to the terminal, once each."""
    from b2c_tui.tui import timing

    marks = tmp_path / "marks.txt"
    monkeypatch.setenv("B2C_TUI_TIMING", str(marks))
    monkeypatch.setattr(timing, "_done", set())
    watched = Watched(monkeypatch, users=300)
    app = watched.app
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        shown = app.pane("users").table.row_count  # type: ignore[union-attr]
    names = [line.split()[0] for line in marks.read_text().splitlines()]
    assert names == ["first_frame", "first_rows"] and shown


async def test_the_first_rows_come_with_the_panes_keys_in_the_footer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    watched = Watched(monkeypatch, users=300)
    app = watched.app
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
    first_rows = next(i for i, frame in enumerate(watched.frames) if frame[0])
    keys = watched.footers[first_rows]
    assert "Find user" in keys and "Open" in keys, keys  # the table has the keyboard


async def test_the_explorer_can_open_on_another_pane_and_builds_only_that_one() -> None:
    app = B2CApp(demo_connection(300), theme="b2c-dark", pane="attrs")  # an alias, as ':'
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert app.current_pane == "attributes"
        assert [p.info.id for p in app.query(ResourcePane)] == ["attributes"]
        assert app.pane("attributes").table.row_count  # type: ignore[union-attr]


def test_an_unknown_pane_is_one_clear_line_and_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    from b2c_tui.cli import main

    assert main(["--demo", "--pane", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no pane called 'nope'" in err and "users" in err


async def test_a_status_that_arrives_while_the_app_closes_is_dropped() -> None:
    from b2c_tui.tui.widgets.status_line import StatusLine

    app = B2CApp(demo_connection(300), theme="b2c-dark", pane="users")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        pane = app.pane("users")
        await app.query_one(StatusLine).remove()  # as the screen is torn down on exit
        pane.post_message(ResourcePane.Status("1 loaded", ""))  # type: ignore[union-attr]
        await settle(pilot, app)
    # run_test re-raises an exception from a handler: none (it was NoMatches).
