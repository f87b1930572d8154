"""The list of uses drawn inline by XmlView (``u``): where it opens (below the line, above it
near the bottom, the view scrolled when neither fits), scrolling within a long list, its keys
and the footer's, the mouse, other keys closing it, tenant text shown literally, 80x24 and
wide. Opening it mounts nothing and pushes no screen. Tests wait for workers; none sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.geometry import Offset

from b2c_tui.tui.widgets.footer import BindingsFooter
from b2c_tui.tui.widgets.xml_view import Location, XmlView
from b2c_tui.tui.widgets.xml_view.uses_panel import MAX_ROWS, UsesPanel

from .test_xml_view import BASE, Host, goto, line_of, prompt, screen_text, settle

OBJECT_ID = 'ClaimTypeReferenceId="objectId"'
INTO_VALUE = len('ClaimTypeReferenceId="') + 1


class FooterHost(Host):
    """The test host with the app's footer under the view."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield BindingsFooter()


async def open_uses(pilot: Any, app: Host, needle: str = OBJECT_ID, *, into: int = INTO_VALUE,
                    start: int = 0, line_at: int | None = None) -> UsesPanel:
    """Put the cursor in ``needle``'s value (the ``start``-th line on), optionally scroll so
    that line is at screen row ``line_at`` (negative: from the bottom row, -1), press ``u`` and
    return the panel."""
    line, column = line_of(app.policies[BASE], needle, start)
    await goto(pilot, app, line, column + into)
    view = app.view
    if line_at is not None:
        line_at = line_at if line_at > 0 else view.page_size + 1 + line_at
        view.scroll_to(y=line - line_at, animate=False, force=True, immediate=True)
        await settle(pilot, app)
        assert view.cursor[0] - view.scroll_offset.y == line_at
    return await press_u(pilot, app)


async def press_u(pilot: Any, app: Host) -> UsesPanel:
    """``u``, and the list it opened."""
    await pilot.press("u")
    await settle(pilot, app)
    panel = app.view.uses_panel
    assert panel is not None
    return panel


@asynccontextmanager
async def uses_shown(size: tuple[int, int] = (100, 30), **where: Any
                     ) -> AsyncIterator[tuple[Host, Any, UsesPanel]]:
    """A running host with the list of uses open (see :func:`open_uses` for ``where``)."""
    app = Host()
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        yield app, pilot, await open_uses(pilot, app, **where)


def panel_rows(view: XmlView, panel: UsesPanel) -> tuple[int, int]:
    """The first and last screen rows the panel covers."""
    top = panel.anchor - view.scroll_offset.y + 1 + panel.offset
    return top, top + panel.height - 1


def cursor_row(view: XmlView) -> int:
    return view.cursor[0] - view.scroll_offset.y


async def test_opening_is_a_repaint_of_the_view_only() -> None:
    app = Host()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot, app)
        nodes = len(list(app.screen.walk_children()))
        size = app.view.virtual_size
        panel = await open_uses(pilot, app)
        assert app.screen is app.screen_stack[0] and len(app.screen_stack) == 1
        assert len(list(app.screen.walk_children())) == nodes  # nothing mounted
        assert app.view.virtual_size == size  # nor any layout change
        assert app.focused is app.view
        assert panel.title == f"{len(panel.locations)} uses of objectId"


async def test_opens_below_the_line_with_a_row_per_use() -> None:
    async with uses_shown(line_at=3) as (app, _pilot, panel):
        view = app.view
        top, bottom = panel_rows(view, panel)
        assert top == cursor_row(view) + 1  # right below the cursor's line
        lines = screen_text(view)
        assert "╭─ 21 uses of objectId ─" in lines[top]
        assert lines[bottom].rstrip().endswith("─ 1/21 ─╯")
        first = panel.locations[0]
        row = lines[top + 1]
        assert first.policy_id in row and f"{first.line}:{first.column}" in row
        assert "<ClaimType Id=\"objectId\">" in row
        assert panel.rows == MAX_ROWS and bottom - top + 1 == MAX_ROWS + 2
        # The line itself and the text above stay visible; the cursor has not moved.
        assert OBJECT_ID in lines[cursor_row(view)]


async def test_a_long_list_scrolls_within_the_panel() -> None:
    async with uses_shown(line_at=2) as (app, pilot, panel):
        view = app.view
        count = len(panel.locations)
        assert count > MAX_ROWS
        top, bottom = panel_rows(view, panel)
        await pilot.press(*["down"] * MAX_ROWS)  # one past the last row shown
        assert (panel.selected, panel.top) == (MAX_ROWS, 1)
        lines = screen_text(view)
        assert f"─ {MAX_ROWS + 1}/{count} ─╯" in lines[bottom]
        shown = panel.locations[MAX_ROWS]
        assert f"{shown.line}:{shown.column}" in lines[bottom - 1]  # the last row shown
        await pilot.press("end")
        assert (panel.selected, panel.top) == (count - 1, count - MAX_ROWS)
        last = panel.locations[-1]
        assert f"{last.line}:{last.column}" in screen_text(view)[bottom - 1]
        await pilot.press("pageup")
        assert panel.selected == count - 1 - MAX_ROWS
        await pilot.press("home")
        assert (panel.selected, panel.top) == (0, 0)
        await pilot.press("up")  # at the first use: stays
        assert panel.selected == 0
        await pilot.press("pagedown")
        assert panel.selected == MAX_ROWS
        assert panel_rows(view, panel) == (top, bottom)  # the panel itself never moved
        assert view.cursor[1] > 1 and view.uses_panel is panel


async def test_near_the_bottom_of_the_screen_it_opens_above_the_line() -> None:
    async with uses_shown(line_at=-2) as (app, _pilot, panel):
        view = app.view
        top, bottom = panel_rows(view, panel)
        assert bottom == cursor_row(view) - 1 and top >= 1  # all of it above the line
        assert "uses of objectId" in screen_text(view)[top]
        assert OBJECT_ID in screen_text(view)[cursor_row(view)]


async def test_when_neither_side_has_room_the_view_scrolls_so_it_fits_below() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        view = app.view
        page = view.page_size
        line, column = line_of(app.policies[BASE], OBJECT_ID, 700)
        await goto(pilot, app, line, column + INTO_VALUE)
        view.scroll_to(y=line - page // 2, animate=False, force=True, immediate=True)
        await settle(pilot, app)
        assert cursor_row(view) == page // 2 and page // 2 + MAX_ROWS + 2 > page
        panel = await press_u(pilot, app)
        assert view.scroll_offset.y > line - page // 2  # the text moved up
        top, bottom = panel_rows(view, panel)
        row = cursor_row(view)
        assert row >= 1 and top == row + 1 and bottom <= page
        assert OBJECT_ID in screen_text(view)[row]
        assert "uses of objectId" in screen_text(view)[top]


async def test_on_the_last_line_of_the_policy_it_opens_above() -> None:
    """80x24, the cursor on the policy's last line (the view cannot scroll further)."""
    policies = dict(Host().policies)
    policies[BASE] = policies[BASE].rstrip("\n") + f"\n<!-- <X {OBJECT_ID} /> -->"
    app = Host(policies=policies)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        view = app.view
        line = view.line_count
        await goto(pilot, app, line, len("<!-- <X ") + INTO_VALUE)
        assert cursor_row(view) == view.page_size  # the bottom row
        panel = await press_u(pilot, app)
        assert panel.rows == MAX_ROWS
        top, bottom = panel_rows(view, panel)
        assert top >= 1 and bottom == cursor_row(view) - 1
        assert "uses of objectId" in screen_text(view)[top]


async def test_80x24_and_wide_rows_fit_the_width() -> None:
    for size in ((80, 24), (160, 45)):
        async with uses_shown(size, line_at=2) as (app, _pilot, panel):
            view = app.view
            width = view.scrollable_content_region.width
            top, bottom = panel_rows(view, panel)
            for y in range(top, bottom + 1):
                strip = view.render_line(y)
                assert strip.cell_length == width
                assert strip.text.rstrip()[-1] in "╮│╯"  # the right border is drawn
            rows = screen_text(view)[top + 1: bottom]
            if size[0] == 80:  # the labels are cut to the width, with an ellipsis
                assert any(row.rstrip().endswith("… │") for row in rows)
            else:
                assert any("<OutputClaim ClaimTypeReferenceId=\"objectId\"" in row
                           for row in rows)


async def test_escape_closes_it_and_leaves_the_cursor() -> None:
    async with uses_shown() as (app, pilot, _panel):
        view = app.view
        cursor, scroll = view.cursor, view.scroll_offset
        await pilot.press("down", "down", "escape")
        await settle(pilot, app)
        assert view.uses_panel is None
        assert (view.cursor, view.scroll_offset) == (cursor, scroll)
        assert not any("uses of objectId" in line for line in screen_text(view))
        await pilot.press("down")  # the arrows move the cursor again
        assert view.cursor[0] == cursor[0] + 1


async def test_u_again_closes_it_and_other_keys_close_it_first() -> None:
    async with uses_shown() as (app, pilot, _panel):
        view = app.view
        await pilot.press("u")
        await settle(pilot, app)
        assert view.uses_panel is None
        await pilot.press("u")
        await settle(pilot, app)
        assert view.uses_panel is not None
        cursor = view.cursor
        await pilot.press("right")  # closes the list, then moves as always
        assert view.uses_panel is None and view.cursor == (cursor[0], cursor[1] + 1)
        await pilot.press("u")
        await settle(pilot, app)
        await prompt(pilot, app, "slash", "localaccount")  # search closes it too
        assert view.uses_panel is None
        assert view.search_state.query == "localaccount" and view.search_state.matches


async def test_the_footer_shows_the_panels_keys_while_it_is_open() -> None:
    app = FooterHost()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        footer = app.query_one(BindingsFooter)
        assert "Definition" in str(footer.render()) and "Go to use" not in str(footer.render())
        await open_uses(pilot, app)
        shown = str(footer.render())
        assert "↑↓ Pick a use" in shown and "⏎ Go to use" in shown and "esc Close uses" in shown
        # Only the list's keys while it is open (no second "⏎" for the definition).
        assert "Definition" not in shown and "Search" not in shown
        await pilot.press("escape")
        await settle(pilot, app)
        assert "Go to use" not in str(footer.render())
        assert "Definition" in str(footer.render())
        # F12 with the list open closes it, then goes to the definition as always.
        panel = await open_uses(pilot, app)
        definition = next(loc for loc in panel.locations if "<ClaimType " in loc.label)
        await pilot.press("f12")
        await settle(pilot, app)
        assert app.view.uses_panel is None
        assert app.view.cursor[0] == definition.line


async def test_a_click_on_a_row_jumps_and_a_click_elsewhere_closes() -> None:
    async with uses_shown(line_at=3) as (app, pilot, panel):
        view = app.view
        top, _bottom = panel_rows(view, panel)
        # The border and the gutter are not uses: nothing happens.
        await pilot.click(view, offset=Offset(view.gutter_width + 5, top))
        await pilot.click(view, offset=Offset(1, top + 2))
        assert view.uses_panel is panel
        await pilot.click(view, offset=Offset(view.gutter_width + 5, top + 3))
        await settle(pilot, app)
        picked = panel.locations[2]
        assert view.uses_panel is None
        assert (view.policy_id, *view.cursor) == (picked.policy_id, picked.line, picked.column)
        # Open again; a click on the text above closes it and puts the cursor there.
        await pilot.press("u")
        await settle(pilot, app)
        assert view.uses_panel is not None
        row = cursor_row(view)
        above = row - 1 if view.uses_panel.offset > 0 else row + 1
        await pilot.click(view, offset=Offset(view.gutter_width, above))
        assert view.uses_panel is None
        assert view.cursor == (view.scroll_offset.y + above, 1)


class HostileResolver:
    """Uses whose policy ids and labels carry markup, escapes and bidi controls."""

    POLICY = "B2C_1A_[b]x[/b]\u202e"

    def definition(self, policy_id: str, line: int, column: int) -> Location | None:
        return None

    def uses(self, policy_id: str, line: int, column: int) -> list[Location]:
        return [Location(self.POLICY, 1, 16, '<ClaimType Id="[red]evil\u202e">'),
                Location(self.POLICY, 2, 9, "\x1b[31mred\x1b[0m z\u200bw\tend")]


async def test_tenant_text_is_shown_literally() -> None:
    text = '<ClaimType Id="[red]evil\u202e">\n<Other>\n'
    app = Host(HostileResolver.POLICY, text=text, policies={HostileResolver.POLICY: text})
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot, app)
        view = app.view
        view.resolver = HostileResolver()
        await pilot.press(*["right"] * 16, "u")
        await settle(pilot, app)
        panel = view.uses_panel
        assert panel is not None
        top, bottom = panel_rows(view, panel)
        lines = screen_text(view)[top: bottom + 1]
        assert "2 uses of [red]evil⟨U+202E⟩" in lines[0]
        assert "B2C_1A_[b]x[/b]⟨U+202E⟩" in lines[1]
        assert '<ClaimType Id="[red]evil⟨U+202E⟩">' in lines[1]
        assert "␛[31mred␛[0m z⟨U+200B⟩w␉end" in lines[2]
        for y in range(top, bottom + 1):
            for segment in view.render_line(y):
                assert segment.text.isprintable(), repr(segment.text)


async def wheel(pilot: Any, view: XmlView, event: type[events.MouseEvent],
                offset: tuple[int, int]) -> None:
    """One turn of the wheel at ``offset`` in ``view`` (Pilot has no public call for it)."""
    await pilot._post_mouse_events([event], view, offset=offset)
    await settle(pilot, pilot.app)


async def test_the_wheel_over_the_list_moves_the_pick_and_elsewhere_scrolls() -> None:
    async with uses_shown(line_at=3) as (app, pilot, panel):
        view = app.view
        top, _bottom = panel_rows(view, panel)
        scroll = view.scroll_offset
        over = (view.gutter_width + 5, top + 2)
        for event in (events.MouseScrollDown, events.MouseScrollDown, events.MouseScrollUp):
            await wheel(pilot, view, event, over)
        assert panel.selected == 1 and view.scroll_offset == scroll
        await wheel(pilot, view, events.MouseScrollDown, (view.gutter_width + 5, 1))  # text
        assert view.scroll_offset.y > scroll.y and view.uses_panel is panel
        assert panel_rows(view, panel)[0] < top  # the list went up with its line


async def test_a_resize_places_it_again() -> None:
    async with uses_shown(line_at=-(MAX_ROWS + 4)) as (app, pilot, panel):
        view = app.view
        assert panel.offset == 1 and panel.rows == MAX_ROWS
        await pilot.resize_terminal(80, 12)
        await settle(pilot, app)
        top, bottom = panel_rows(view, panel)
        assert 1 <= cursor_row(view) <= view.page_size
        assert 1 <= top <= bottom <= view.page_size  # smaller, still all on screen
        assert panel.rows < MAX_ROWS and panel.top <= panel.selected < panel.top + panel.rows
        await pilot.resize_terminal(100, 30)
        await settle(pilot, app)
        top, bottom = panel_rows(view, panel)
        assert panel.rows == MAX_ROWS and 1 <= top <= bottom <= view.page_size
