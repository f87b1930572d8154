"""XmlView through Pilot, hosted in a tiny app: first screen, colours, scrolling, search, go to
line, go to definition (here and in a base policy), back, find uses, copy, the editor, and
tenant text shown literally. Tests wait for workers; none sleeps."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input, Static

from b2c_tui.tui.themes import load_themes
from b2c_tui.tui.widgets.xml_view import Location, TextResolver, XmlView
from b2c_tui.tui.widgets.xml_view.document import Document
from b2c_tui.tui.widgets.xml_view.prompts import LinePrompt
from benchmarks.bench_xml_view import grow_policy

from .test_xml_view_units import pack_policies

SIZE = (100, 24)
BASE = "B2C_1A_TrustFrameworkBase"
RP = "B2C_1A_signup_signin"


class Host(App[None]):
    """Hosts one XmlView; opens other policies when asked, records what the view posts."""

    def __init__(self, policy_id: str = BASE, *, text: str | None = None,
                 policies: dict[str, str] | None = None, resolver: bool = True,
                 theme: str = "b2c-dark") -> None:
        super().__init__()
        self.policies = pack_policies() if policies is None else policies
        self.start = (self.policies[policy_id] if text is None else text, policy_id)
        self.resolver = TextResolver(self.policies) if resolver else None
        self.wanted_theme = theme
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        text, policy_id = self.start
        yield XmlView(text, policy_id=policy_id, resolver=self.resolver)

    def on_mount(self) -> None:
        for theme in load_themes():
            self.register_theme(theme)
        self.theme = self.wanted_theme
        self.view.focus()

    @property
    def view(self) -> XmlView:
        return self.query_one(XmlView)

    def on_xml_view_open_location(self, message: XmlView.OpenLocation) -> None:
        self.posted.append(message)
        location = message.location
        self.view.load(self.policies[location.policy_id], location.policy_id,
                       line=location.line, column=location.column)

    def on_xml_view_editor_closed(self, message: XmlView.EditorClosed) -> None:
        self.posted.append(message)

    def on_xml_view_cursor_moved(self, message: XmlView.CursorMoved) -> None:
        self.posted.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.posted if isinstance(m, kind)]

    def notes(self) -> list[str]:
        return [str(n.message) for n in self._notifications]


async def settle(pilot: Any, app: App[Any]) -> None:
    """Until every worker is done and the screen repainted (never sleeps)."""
    for _ in range(50):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


def screen_text(view: XmlView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def line_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` at or after line ``start`` (1-based)."""
    doc = Document.build(text)
    for index in range(max(0, start - 1), doc.line_count):
        column = doc.line(index).find(needle)
        if column >= 0:
            return index + 1, column + 1
    raise AssertionError(needle)


async def prompt(pilot: Any, app: App[Any], key: str, text: str, *,
                 submit: bool = True) -> None:
    """Open the prompt ``key`` opens, wait until it has the focus, type ``text`` (and enter):
    keys typed before the prompt is up would go to the view."""
    await pilot.press(key)
    for _ in range(100):
        await pilot.pause()
        if isinstance(app.screen, LinePrompt) and isinstance(app.focused, Input):
            break
    else:
        raise AssertionError(f"{key} opened no prompt")
    await pilot.press(*text, *(["enter"] if submit else []))
    await settle(pilot, app)


async def goto(pilot: Any, app: App[Any], line: int, column: int = 1) -> None:
    await prompt(pilot, app, "ctrl+g", f"{line}:{column}")


# -- first screen, colours, scrolling ------------------------------------------------------
async def test_first_screen_has_numbers_text_and_colours() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        lines = screen_text(view)
        assert lines[0].startswith(f" {BASE}  (BOM)")
        assert "Ln 1, Col 1" in lines[0]
        assert lines[1].startswith("    1 <?xml version=")
        assert lines[2].startswith("    2 <TrustFrameworkPolicy")
        hl = view.highlighter
        assert hl is not None
        page = view.page_size
        assert all(hl.spans(line) is not None for line in range(page))
        # Only the screen and a page or two around it were lexed, not the policy.
        assert hl.lexed_lines < 5 * page < view.line_count
        # A tag is drawn in the tag colour, an attribute value in the string colour.
        segments = list(view.render_line(2))
        tag = next(s for s in segments if s.text.startswith("<TrustFrameworkPolicy"))
        assert tag.style is not None and tag.style.color is not None
        assert tag.style.color == view.get_component_rich_style("xml-view--tag").color


async def test_colours_arrive_for_lines_scrolled_to() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        hl = view.highlighter
        assert hl is not None
        await pilot.press("ctrl+end")
        await settle(pilot, app)
        last = view.line_count
        assert view.cursor == (last, 1)
        assert screen_text(view)[-1].startswith(f" {last} ")
        assert all(hl.spans(line) is not None
                   for line in range(last - view.page_size, last))
        assert hl.spans(last // 2) is None  # the middle was never drawn, so never lexed


async def test_cursor_paging_and_horizontal_scrolling() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        page = view.page_size
        await pilot.press("down", "down", "right", "right", "right")
        assert view.cursor == (3, 4)
        await pilot.press("pagedown")
        assert view.cursor == (3 + page, 4)
        assert view.scroll_offset.y == page
        await pilot.press("pageup", "ctrl+home")
        assert view.cursor == (1, 1) and view.scroll_offset.y == 0
        # A long line: the view follows the cursor to its end.
        line, _ = line_of(app.policies[BASE], "The password regular expression above")
        await goto(pilot, app, line)
        await pilot.press("end")
        length = len(view.document.line(line - 1))  # type: ignore[union-attr]
        assert view.cursor == (line, length + 1)
        assert view.scroll_offset.x > 0
        row = line - view.scroll_offset.y
        assert view.render_line(row).text.rstrip().endswith(
            view.document.line(line - 1)[-10:])  # type: ignore[union-attr]
        await pilot.press("home")
        assert view.scroll_offset.x == 0
        moved = app.of(XmlView.CursorMoved)
        assert (moved[-1].policy_id, moved[-1].line, moved[-1].column) == (BASE, line, 1)


# -- search ------------------------------------------------------------------------------------
async def test_search_next_previous_and_wrap() -> None:
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        text = app.policies[RP]
        first = line_of(text, "ClaimTypeReferenceId")
        await prompt(pilot, app, "slash", "claimtypereferenceid")  # case-insensitive
        state = view.search_state
        assert state.matches is not None
        count = len(state.matches)
        assert count == text.count("ClaimTypeReferenceId") > 3
        assert view.cursor == first
        assert f"1/{count}" in screen_text(view)[0]
        await pilot.press("n")
        assert view.cursor == line_of(text, "ClaimTypeReferenceId", first[0] + 1)
        await pilot.press("N", "N")  # back to the first, then wraps to the last
        assert f"{count}/{count}" in screen_text(view)[0]
        assert "Search wrapped to the bottom" in app.notes()
        await pilot.press("n")
        assert view.cursor == first
        assert "Search wrapped to the top" in app.notes()
        # Matches on screen are marked with the match styles.
        row = first[0] - view.scroll_offset.y
        styles = {s.style.bgcolor for s in view.render_line(row) if s.style is not None}
        assert view.get_component_rich_style("xml-view--match-current").bgcolor in styles


async def test_search_with_no_match_says_so_and_keeps_the_query() -> None:
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await prompt(pilot, app, "slash", "no such thing")
        assert "No match for 'no such thing'" in app.notes()
        assert app.view.cursor == (1, 1)
        assert app.view.check_action("next_match", ()) is None  # n is disabled
        await prompt(pilot, app, "slash", "", submit=False)
        assert isinstance(app.screen, LinePrompt)
        assert app.screen.query_one(Input).value == "no such thing"
        await pilot.press("escape")


# -- go to line --------------------------------------------------------------------------------
async def test_go_to_line_and_column_and_bad_input() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        await goto(pilot, app, 120, 5)
        assert view.cursor == (120, 5)
        assert view.scroll_offset.y <= 119 < view.scroll_offset.y + view.page_size
        await prompt(pilot, app, "L", "abc")
        assert isinstance(app.screen, LinePrompt)  # refused: the prompt stays, text kept
        assert app.screen.query_one(Input).value == "abc"
        error = app.screen.query_one("#xml-prompt-error", Static)
        assert "Type a line number" in str(error.render())
        await pilot.press("escape")
        await goto(pilot, app, 999999)
        assert view.cursor == (view.line_count, 1)
        assert any("past the end" in note for note in app.notes())


# -- go to definition, back, uses --------------------------------------------------------------
async def test_definition_in_the_same_policy_and_back() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        text = app.policies[BASE]
        start = line_of(text, 'ValidationTechnicalProfile ReferenceId="login-NonInteractive"')
        line, column = start[0], start[1] + len('ValidationTechnicalProfile ReferenceId="') + 2
        await goto(pilot, app, line, column)
        await pilot.press("enter")
        await settle(pilot, app)
        target = line_of(text, '<TechnicalProfile Id="login-NonInteractive">')
        assert view.cursor[0] == target[0]
        assert view.policy_id == BASE
        assert app.of(XmlView.OpenLocation) == []
        await pilot.press("backspace")
        assert view.cursor == (line, column)
        await pilot.press("ctrl+o")  # back again: to where go-to-line started
        assert view.cursor == (1, 1)
        assert view.check_action("back", ()) is None


async def test_definition_in_a_base_policy_posts_open_location_and_back_returns() -> None:
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        line, column = line_of(app.policies[RP], 'ReferenceId="SignUpOrSignIn"')
        await goto(pilot, app, line, column + len('ReferenceId="') + 1)
        await pilot.press("f12")
        await settle(pilot, app)
        opened = app.of(XmlView.OpenLocation)
        assert len(opened) == 1
        assert opened[0].location.policy_id == BASE
        assert opened[0].origin == Location(RP, line, column + len('ReferenceId="') + 1)
        assert not opened[0].back
        # The host opened the base policy in the view, at the definition.
        assert view.policy_id == BASE
        assert view.cursor[0] == line_of(app.policies[BASE], '<UserJourney Id="SignUpOrSignIn">')[0]
        assert screen_text(view)[0].startswith(f" {BASE}")
        await pilot.press("backspace")
        await settle(pilot, app)
        back = app.of(XmlView.OpenLocation)[-1]
        assert back.back and back.location.policy_id == RP
        assert view.policy_id == RP
        assert view.cursor == (line, column + len('ReferenceId="') + 1)


async def test_no_definition_and_policy_keys_are_explained() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = app.policies[BASE]
        line, column = line_of(text, 'StorageReferenceId="B2C_1A_FacebookSecret"')
        await goto(pilot, app, line, column + len('StorageReferenceId="') + 2)
        await pilot.press("enter")
        await settle(pilot, app)
        assert any("B2C_1A_FacebookSecret is a policy key" in n for n in app.notes())
        await goto(pilot, app, 1, 1)
        await pilot.press("enter")
        await settle(pilot, app)
        assert any(n.startswith("Not on a reference") for n in app.notes())
        assert app.view.cursor == (1, 1)


async def test_without_a_resolver_definition_keys_are_disabled() -> None:
    app = Host(resolver=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.view.check_action("definition", ()) is None
        assert app.view.check_action("uses", ()) is None


async def test_find_uses_lists_them_and_jumps_to_the_one_picked() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        text = app.policies[BASE]
        line, column = line_of(text, 'ClaimTypeReferenceId="objectId"')
        await goto(pilot, app, line, column + len('ClaimTypeReferenceId="') + 1)
        await pilot.press("u")
        await settle(pilot, app)
        panel = view.uses_panel
        assert panel is not None and app.screen is app.screen_stack[0]  # inline: no screen
        uses = panel.locations
        expected = sum(t.count('ReferenceId="objectId"') + t.count(' Id="objectId"')
                       for t in app.policies.values())
        assert len(uses) == expected > 5
        assert f"{expected} uses of objectId" in "\n".join(screen_text(view))
        # Pick the third: a use in the base policy further down.
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        picked = uses[2]
        assert view.uses_panel is None
        assert (view.policy_id, *view.cursor) == (picked.policy_id, picked.line, picked.column)
        await pilot.press("backspace")
        assert view.cursor == (line, column + len('ClaimTypeReferenceId="') + 1)


# -- copy and the editor -----------------------------------------------------------------------
async def test_copy_puts_the_policy_as_given_on_the_clipboard() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("c")
        assert app.clipboard == app.policies[BASE]  # BOM and line breaks as given
        assert any(n.startswith(f"Copied {BASE}") for n in app.notes())


def editor_script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


async def test_editor_gets_a_private_copy_and_the_host_the_edited_path(
        tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, 'echo "<!-- edited -->" >> "$1"'))
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        closed = app.of(XmlView.EditorClosed)
        assert len(closed) == 1
        message = closed[0]
        assert message.policy_id == RP and message.changed and message.returncode == 0
        edited = message.path.read_text(encoding="utf-8-sig")
        assert edited == app.policies[RP].lstrip("\ufeff") + "<!-- edited -->\n"
        assert stat.S_IMODE(message.path.parent.stat().st_mode) == 0o700
        assert message.path.name.startswith(f"{RP}-")
        assert app.view.text == app.policies[RP]  # the view shows the policy, unchanged


async def test_editor_left_untouched_deletes_its_copy(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "exit 0"))
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        message = app.of(XmlView.EditorClosed)[0]
        assert not message.changed and not message.path.exists()


async def test_editor_unset_says_how_to_set_it(monkeypatch: Any) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = Host(RP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert app.of(XmlView.EditorClosed) == []
        assert any("Set $EDITOR" in n for n in app.notes())


# -- tenant text shown literally ---------------------------------------------------------------
HOSTILE = ('<Item Key="x">[red]bold[/] \x1b[31mred\x1b[0m \u202eevil\u202c z\u200bw</Item>\n'
           '<!-- \x07 bell \x00 nul -->\n')


async def test_hostile_text_is_shown_literally() -> None:
    policy_id = "B2C_1A_[b]x[/b]\u202e"
    app = Host(policy_id, text=HOSTILE, policies={policy_id: HOSTILE})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        lines = screen_text(app.view)
        assert lines[0].startswith(" B2C_1A_[b]x[/b]⟨U+202E⟩")
        assert "[red]bold[/] ␛[31mred␛[0m ⟨U+202E⟩evil⟨U+202C⟩ z⟨U+200B⟩w" in lines[1]
        assert "␇ bell ␀ nul" in lines[2]
        for line in lines:
            assert line.isprintable()  # no escape, bidi or zero-width character reaches it
        special = app.view.get_component_rich_style("xml-view--special").bgcolor
        marked = [s.text for s in app.view.render_line(1)
                  if s.style is not None and s.style.bgcolor == special]
        assert marked == ["␛", "␛", "⟨U+202E⟩", "⟨U+202C⟩", "⟨U+200B⟩"]


# -- large policies ----------------------------------------------------------------------------
async def test_a_1mb_policy_loads_in_a_thread_and_lexes_only_the_screen() -> None:
    big = grow_policy(1_000_000)
    app = Host(BASE, policies={BASE: big, **{k: v for k, v in pack_policies().items()
                                             if k != BASE}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        assert view.line_count > 15_000
        assert view.highlighter is not None
        assert view.highlighter.lexed_lines < 5 * view.page_size
        view.load(app.policies[RP] + "\n" * 1, "other")  # small: shown at once
        assert not view.is_loading and view.policy_id == "other"
        view.load(big + " ", "big-again")  # large and new: split in a thread
        assert view.is_loading
        assert "loading…" in view.render_line(0).text
        await settle(pilot, app)
        assert not view.is_loading and view.policy_id == "big-again"
        await prompt(pilot, app, "slash", "login-noninteractive-007")
        assert view.search_state.matches
        line = view.cursor[0]
        assert "login-NonInteractive-007" in view.document.line(line - 1)  # type: ignore
        assert view.highlighter is not None
        assert view.highlighter.lexed_lines < 12 * view.page_size


class OpenAtLineHost(Host):
    """Creates the view and loads a policy at a line before the view is mounted."""

    def compose(self) -> ComposeResult:
        view = XmlView(resolver=self.resolver)
        view.load(self.policies[BASE], BASE, line=300, column=7)
        yield view


async def test_a_policy_loaded_before_mounting_opens_at_its_line() -> None:
    app = OpenAtLineHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        assert view.cursor == (300, 7)
        top = view.scroll_offset.y
        assert top < 299 < top + view.page_size  # on screen, though unknown size at load time
        assert any(line.startswith("  300 ") for line in screen_text(view))


class _AtOnce(TextResolver):
    """A resolver that says its definitions are in memory: the view asks it on the loop."""

    def answers_at_once(self, policy_id: str) -> bool:
        return True


async def test_a_resolver_answering_at_once_is_asked_on_the_loop_without_a_thread() -> None:
    app = Host()
    app.resolver = _AtOnce(app.policies)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view

        offload = view.offload

        def no_resolve_thread(*args: Any, group: str, **kwargs: Any) -> Any:
            assert group != "xml-resolve", "the definition was asked in a thread"
            return offload(*args, group=group, **kwargs)

        view.offload = no_resolve_thread  # type: ignore[method-assign]
        text = app.policies[BASE]
        start = line_of(text, 'ValidationTechnicalProfile ReferenceId="login-NonInteractive"')
        column = start[1] + len('ValidationTechnicalProfile ReferenceId="') + 2
        await goto(pilot, app, start[0], column)
        await pilot.press("enter")
        # answered within the key: the cursor is there before any worker could run
        assert view.cursor[0] == line_of(text, '<TechnicalProfile Id="login-NonInteractive">')[0]
