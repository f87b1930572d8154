"""DiffView: the row layouts, and the widget through Pilot: side by side and unified,
change navigation, folding, signs that read without colour, and a 1 MB diff in a thread."""

from __future__ import annotations

from textual.app import App, ComposeResult

from b2c_tui.policies.diff import diff_lines
from b2c_tui.tui.themes import load_themes
from b2c_tui.tui.widgets.diff_view import DiffView
from b2c_tui.tui.widgets.diff_view.layout import build_layout
from b2c_tui.tui.widgets.diff_view.render import changed_part
from benchmarks.bench_xml_view import grow_policy

from .test_xml_view import settle
from .test_xml_view_units import PACK, STARTER

SIZE = (120, 24)


def test_layouts_side_by_side_unified_and_folded() -> None:
    old = [f"line {i}" for i in range(30)]
    new = list(old)
    new[5] = "line 5 changed"
    del new[15:17]
    new.insert(25, "added")
    ops = diff_lines(old, new)
    full = build_layout(ops, unified=False, folded=False)
    assert full.rows == 31 and full.hunks == [5, 15, 27]
    assert full.row(5).kind == "changed" and (full.row(5).old, full.row(5).new) == (5, 5)
    assert [full.row(r).kind for r in (15, 16, 27)] == ["removed", "removed", "added"]
    unified = build_layout(ops, unified=True, folded=False)
    assert unified.rows == 32
    assert [unified.row(r)[:3] for r in (5, 6)] == [("removed", 5, None), ("added", None, 5)]
    assert unified.row(5).pair == 5 and unified.row(6).pair == 5
    folded = build_layout(ops, unified=False, folded=True)
    kinds = [folded.row(r).kind for r in range(folded.rows)]
    # Three lines of context each side of a change; a run folds when 4 or more would hide:
    # the 10 unchanged lines 17-26 do, the 9 lines 6-14 and the 5 lines at the top do not.
    assert kinds.count("fold") == 1
    fold = next(folded.row(r) for r in range(folded.rows) if folded.row(r).kind == "fold")
    assert (fold.old, fold.new, fold.hidden) == (20, 18, 4)
    for layout in (full, unified, folded):
        for line in range(30):
            row = layout.row(layout.row_of(old=line))
            assert row.old == line or row.kind == "fold"


def test_changed_part_of_a_line() -> None:
    assert changed_part('<a Id="x1" b>', '<a Id="y22" b>') == ((7, 9), (7, 10))
    assert changed_part("same", "same") == ((4, 4), (4, 4))


# -- the widget --------------------------------------------------------------------------------
OLD = (STARTER / "LocalAccounts" / "TrustFrameworkExtensions.xml").read_text(encoding="utf-8")
NEW = (PACK / "TrustFrameworkExtensions.xml").read_text(encoding="utf-8")


class DiffHost(App[None]):
    def __init__(self, old: str = OLD, new: str = NEW, *, unified: bool = False,
                 theme: str = "b2c-dark") -> None:
        super().__init__()
        self.texts = (old, new)
        self.unified = unified
        self.wanted_theme = theme
        self.ready: list[DiffView.Ready] = []

    def compose(self) -> ComposeResult:
        yield DiffView(*self.texts, old_label="LocalAccounts/TrustFrameworkExtensions.xml",
                       new_label="SocialAndLocalAccounts/TrustFrameworkExtensions.xml",
                       unified=self.unified)

    def on_mount(self) -> None:
        for theme in load_themes():
            self.register_theme(theme)
        self.theme = self.wanted_theme
        self.view.focus()

    def on_diff_view_ready(self, message: DiffView.Ready) -> None:
        self.ready.append(message)

    @property
    def view(self) -> DiffView:
        return self.query_one(DiffView)

    def notes(self) -> list[str]:
        return [str(n.message) for n in self._notifications]


def rows_text(view: DiffView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def test_side_by_side_shows_both_numbers_and_signs() -> None:
    app = DiffHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        assert len(app.ready) == 1 and app.ready[0].changes == view.change_count == 2
        added, removed = view.counts
        assert (app.ready[0].added, app.ready[0].removed) == (added, removed)
        lines = rows_text(view)
        assert "--- LocalAccounts/TrustFrameworkExtensions.xml" in lines[0]
        assert f"change 1/2 · +{added} -{removed}" in lines[0]
        # The cursor starts on the first change; an added block shows "+" on the right only.
        layout = view.diff_layout
        assert layout is not None and view.cursor_row == layout.hunks[0]
        added_rows = [line for line in lines if " + " in line and "<ClaimsProvider>" in line]
        assert added_rows
        left, _sep, right = added_rows[0].partition("│")
        assert left.strip() == "" and right.lstrip().split()[1] == "+"
        equal = next(line for line in lines if "</BasePolicy>" in line)
        left, _sep, right = equal.partition("│")
        assert left.split()[0] == right.split()[0] == "14"  # both sides' line numbers


async def test_unified_toggle_and_change_navigation() -> None:
    app = DiffHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        layout = view.diff_layout
        assert layout is not None
        first, second = layout.hunks
        await pilot.press("right_square_bracket")
        assert view.cursor_row == second and view.current_change == 1
        await pilot.press("right_square_bracket")
        assert view.cursor_row == first
        assert "Wrapped to the first change" in app.notes()
        await pilot.press("left_square_bracket")
        assert view.cursor_row == second
        assert "Wrapped to the last change" in app.notes()
        old_line = layout.row(second)
        await pilot.press("u")
        assert view.unified
        unified = view.diff_layout
        assert unified is not None and unified.unified
        row = unified.row(view.cursor_row)
        assert (row.old, row.new) == (old_line.old, None) or row.new == old_line.new
        lines = rows_text(view)
        assert lines[0].startswith(" --- LocalAccounts") and "+++ SocialAndLocal" in lines[0]
        # Unified rows: old number, new number, sign.
        removed = [line for line in lines if line.split()[1:2] == ["-"]]
        added = [line for line in lines if len(line.split()) > 1 and line.split()[1] == "+"]
        assert removed and added
        await pilot.press("left_square_bracket")
        assert view.cursor_row == unified.hunks[0]
        await pilot.press("u")
        assert not view.unified


async def test_folding_unchanged_lines() -> None:
    app = DiffHost()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.view
        folded = view.diff_layout
        assert folded is not None and folded.folded
        assert any("unchanged lines" in line for line in rows_text(view))
        await pilot.press("z")
        full = view.diff_layout
        assert full is not None and not full.folded and full.rows > folded.rows
        assert full.rows == max(len(OLD.splitlines()), len(NEW.splitlines())) or full.rows > 40
        assert not any("unchanged lines" in line for line in rows_text(view))


async def test_identical_texts() -> None:
    app = DiffHost(OLD, OLD)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "no differences" in rows_text(app.view)[0]
        assert app.view.check_action("next_change", ()) is None


async def test_a_1mb_diff_is_computed_in_a_thread() -> None:
    app = DiffHost("a\n", "b\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        big = grow_policy(1_000_000)
        lines = big.split("\n")
        lines[9000] += " <!-- changed -->"
        view = app.view
        view.set_texts(big, "\n".join(lines), old_label="tenant", new_label="local")
        assert view.computing and "comparing…" in view.render_line(0).text
        await settle(pilot, app)
        assert not view.computing and view.change_count == 1
        assert app.ready[-1].changes == 1
        row = view.diff_layout.row(view.cursor_row)  # type: ignore[union-attr]
        assert (row.kind, row.old, row.new) == ("changed", 9000, 9000)
        hl_old = view.old_doc.extra.get("highlighter")
        assert hl_old is not None and hl_old.lexed_lines < 10 * view.page_size  # type: ignore


def test_changed_part_agrees_with_a_plain_character_walk() -> None:
    """changed_part halves with slice comparisons; it must find what walking the common head
    and then the common tail character by character finds (the tail never overlaps the head)."""
    import random

    def walk(old: str, new: str) -> tuple[tuple[int, int], tuple[int, int]]:
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while (tail < min(len(old), len(new)) - head
               and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]):
            tail += 1
        return (head, len(old) - tail), (head, len(new) - tail)

    rng = random.Random(7)
    for _ in range(3000):
        old = "".join(rng.choice("ab<>é") for _ in range(rng.randint(0, 12)))
        new = "".join(rng.choice("ab<>é") for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.5:
            new = old[:rng.randint(0, len(old))] + new + old[rng.randint(0, len(old)):]
        assert changed_part(old, new) == walk(old, new), (old, new)
    big = '<x a="1"/>' * 100_000
    assert changed_part(big, big[:-5] + "Z" + big[-4:]) == ((999_995, 999_996),) * 2
