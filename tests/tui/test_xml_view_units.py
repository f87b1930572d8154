"""The XML viewer's parts without Textual: documents, literal display, on-demand highlighting,
search, the in-memory resolver, and the go-to-line parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.style import Style

from b2c_tui.tui.widgets.xml_view import search
from b2c_tui.tui.widgets.xml_view.actions import parse_line_column
from b2c_tui.tui.widgets.xml_view.display import (
    cell_of,
    column_at,
    line_layout,
    line_width,
    visible,
)
from b2c_tui.tui.widgets.xml_view.document import Document
from b2c_tui.tui.widgets.xml_view.highlight import CHUNK_LINES, KINDS, Highlighter
from b2c_tui.tui.widgets.xml_view.render import TextStyles, paint_text
from b2c_tui.tui.widgets.xml_view.resolver import Location, TextResolver, attribute_at
from b2c_tui.tui.widgets.xml_view.search import SearchState, find_all
from benchmarks.bench_xml_view import grow_policy

STARTER = Path(__file__).resolve().parents[3] / "shared" / "policies" / "starterpack"
PACK = STARTER / "SocialAndLocalAccounts"


def pack_policies() -> dict[str, str]:
    """The SocialAndLocalAccounts starter pack: policy id -> XML (BOM and all)."""
    out = {}
    for path in sorted(PACK.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r'PolicyId="([^"]+)"', text)
        assert found, path
        out[found.group(1)] = text
    return out


def full_lex(doc: Document) -> dict[int, tuple[tuple[int, int, str], ...]]:
    """Every line's spans from one lexing pass from the top (the reference)."""
    hl = Highlighter(doc)
    hl._lex_lines(0, doc.line_count)
    return {line: hl.spans(line) or () for line in range(doc.line_count)}


# -- documents ---------------------------------------------------------------------------------
def test_document_counts_lines_as_xml_parsers_do() -> None:
    doc = Document.build("\ufeffa\r\nb\rc\nd\x0ce\u2028f\x85g")
    assert doc.bom
    assert doc.lines == ["a", "b", "c", "d\x0ce\u2028f\x85g"]
    assert doc.original.startswith("\ufeffa\r\n")  # copy and the editor get the text as given
    assert doc.position(doc.offset(2, 1)) == (2, 1)
    assert doc.offset(99, 99) == len(doc.text)  # clamped
    assert Document.build("").line_count == 1


# -- literal display ---------------------------------------------------------------------------
PLAIN_STYLES = TextStyles({kind: Style() for kind in KINDS}, Style(reverse=True))


def drawn(line: str, x: int = 0, width: int = 200) -> str:
    """What the viewer draws for cells ``[x, x + width)`` of ``line``."""
    return paint_text(line, None, x, width, Style(), PLAIN_STYLES).text.rstrip()


def test_hidden_characters_get_visible_stand_ins() -> None:
    line = "a\x1b[31mb\u202ec\u200bd\u00a0e\x7f"
    layout = line_layout(line)
    assert layout is not None
    assert drawn(line) == "a␛[31mb⟨U+202E⟩c⟨U+200B⟩d␣e␡"
    assert [p for p, odd in zip(layout.points, layout.special, strict=True) if odd] == [
        1, 7, 9, 11, 13]
    stand_ins = [s.text for s in paint_text(line, None, 0, 40, Style(), PLAIN_STYLES)
                 if s.style is not None and s.style.reverse]
    assert stand_ins == ["␛", "⟨U+202E⟩", "⟨U+200B⟩", "␣", "␡"]
    assert visible("x\u202ey\x00") == "x⟨U+202E⟩y␀"


def test_tabs_and_wide_characters_keep_columns() -> None:
    assert line_layout("plain ascii") is None
    line = "\tab漢c"
    assert line_width(line) == 4 + 2 + 2 + 1
    assert cell_of(line, 1) == 4 and cell_of(line, 3) == 6 and cell_of(line, 4) == 8
    assert column_at(line, 7) == 3  # the second cell of the wide character
    assert column_at(line, 8) == 4 and column_at(line, 100) == len(line)
    assert cell_of("x\ty", 2) == 4
    assert drawn(line) == "    ab漢c"
    assert drawn(line, 7) == " c"  # half a wide character is drawn blank
    assert drawn("e\u0301x", 1) == "x"  # a combining accent takes no cell


def test_a_long_line_with_a_few_odd_characters_is_laid_out_sparsely() -> None:
    line = "<a b=\"caf\u00e9\">" + "x" * 1_000_000 + "\t\u202e<end/>"
    layout = line_layout(line)
    assert layout is not None
    assert len(layout.points) == 2  # the tab and the bidi override; é is one plain cell
    end = line_width(line)
    assert drawn(line, end - 20, 20) == "xx    ⟨U+202E⟩<end/>"  # the tab: 4 cells
    assert column_at(line, end - 1) == len(line) - 1


# -- highlighting ------------------------------------------------------------------------------
TRICKY = """<?xml version="1.0"?>
<!-- a comment
spanning <Tag Id="x">
three lines -->
<Root a="1
2" b='x>y'
  c="3">
<![CDATA[ <not a tag>
still cdata ]]> text &amp; more & bad
<Tag
   Id="multi"
   />
</Root
>
"""


def test_lines_inside_comments_cdata_and_tags_are_coloured_as_from_the_top() -> None:
    doc = Document.build(TRICKY * 3)
    reference = full_lex(doc)
    assert reference[2] == ((0, len("spanning <Tag Id=\"x\">"), "comment"),)
    assert reference[5][0][2] == "string"  # the second line of a="1\n2"
    assert reference[8][0] == (0, len("still cdata ]]>"), "preproc")
    for line in range(doc.line_count):
        hl = Highlighter(doc)
        hl.lex(line, line + 1)
        assert hl.spans(line) == reference[line], line


FRAGMENTS = ["<a", "b=", " c = ", "\u2028", "\r\n", "<", ">", "/", '"', "'", "=", "\n", " ",
             "a", "Id", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<!", "&", ";", "&amp;",
             "</", "/>", "\t", 'x="1"', "\n\n"]


def assert_checkpoints_agree(text: str) -> None:
    doc = Document.build(text)
    reference = full_lex(doc)
    for line in range(doc.line_count):
        hl = Highlighter(doc)
        hl.lex(line, line + 1)
        assert hl.spans(line) == reference[line], (text, line)


@pytest.mark.parametrize("text", [
    "&<!;<? x >\n\ny?>",  # an entity token swallows what looks like a declaration
    '<a c = >\n x="<" >\n<b>',  # a ">" before an attribute's value is skipped, not the end
    "<a\n'b\n<!--\n-->",  # an error character inside a tag, then a line break
])
def test_checkpoints_in_broken_markup(text: str) -> None:
    assert_checkpoints_agree(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_checkpoints_agree_with_the_lexer_on_any_text(parts: list[str]) -> None:
    """Lexing a line from the nearest checkpoint gives the colours lexing from the top gives,
    even in broken markup (the scanner mirrors the lexer's states)."""
    assert_checkpoints_agree("".join(parts))


def test_a_large_policy_is_lexed_only_around_what_is_asked() -> None:
    big = grow_policy(400_000)
    doc = Document.build(big)
    hl = Highlighter(doc)
    middle = doc.line_count // 2
    hl.lex(middle, middle + 50)
    assert all(hl.spans(line) is not None for line in range(middle, middle + 50))
    assert hl.spans(0) is None and hl.spans(doc.line_count - 1) is None
    assert hl.lexed_lines <= 50 + 2 * CHUNK_LINES  # checkpoints are a line or two away here
    before = hl.lexed_lines
    hl.lex(middle, middle + 50)  # cached: nothing lexed again
    assert hl.lexed_lines == before
    assert not hl.missing(middle, middle + 50)


# -- search ------------------------------------------------------------------------------------
def test_search_is_literal_case_insensitive_and_wraps() -> None:
    text = "Abc a.c ABC abc"
    assert find_all(text, "abc") == [0, 8, 12]
    assert find_all(text, "a.c") == [4]  # literal, not a pattern
    assert find_all(text, "abc", case_sensitive=True) == [12]
    state = SearchState("abc", matches=[0, 8, 12])
    assert state.next_after(0) == (1, False)
    assert state.next_after(12) == (0, True)
    assert state.before(0) == (2, True)
    assert state.before(9) == (1, False)
    assert state.at_or_after(8) == (1, False)
    assert state.index_at(8) == 1 and state.index_at(9) is None


@settings(max_examples=300, deadline=None)
@given(st.text("aAb\n", max_size=80), st.text("aAb", min_size=1, max_size=4))
@example("aaaaAAaaaaaa", "aaa")  # a match running over a window's edge, then another
@example("bbbbaab", "aab")  # a match starting just before a window's edge
def test_search_in_windows_finds_what_one_pass_finds(text: str, query: str) -> None:
    """Matches across window edges are found once, non-overlapping, as one pass finds them."""
    expected = [m.start() for m in re.finditer(re.escape(query), text, re.IGNORECASE)]
    original = search.SEARCH_CHUNK
    try:
        search.SEARCH_CHUNK = 5
        assert find_all(text, query) == expected
    finally:
        search.SEARCH_CHUNK = original


# -- resolver ----------------------------------------------------------------------------------
def test_attribute_under_the_cursor() -> None:
    line = '    <ValidationTechnicalProfile ReferenceId="login-NonInteractive" />'
    ref = attribute_at(line, line.index("login") + 3)
    assert ref is not None
    assert (ref.attribute, ref.value, ref.element) == (
        "ReferenceId", "login-NonInteractive", "ValidationTechnicalProfile")
    assert ref.targets == ("TechnicalProfile",)
    assert attribute_at(line, 2) is None


def test_text_resolver_follows_the_base_chain() -> None:
    policies = pack_policies()
    resolver = TextResolver(policies)
    assert resolver.chain("B2C_1A_signup_signin") == [
        "B2C_1A_signup_signin", "B2C_1A_TrustFrameworkExtensions",
        "B2C_1A_TrustFrameworkLocalization", "B2C_1A_TrustFrameworkBase"]
    rp = Document.build(policies["B2C_1A_signup_signin"])
    line = next(i for i, text in enumerate(rp.lines) if "DefaultUserJourney" in text)
    column = rp.lines[line].index("SignUpOrSignIn")
    found = resolver.definition("B2C_1A_signup_signin", line + 1, column + 1)
    assert found is not None and found.policy_id == "B2C_1A_TrustFrameworkBase"
    base = Document.build(policies["B2C_1A_TrustFrameworkBase"])
    assert '<UserJourney Id="SignUpOrSignIn">' in base.line(found.line - 1)
    uses = resolver.uses("B2C_1A_signup_signin", line + 1, column + 1)
    assert uses[0] == Location("B2C_1A_signup_signin", line + 1, column + 1, uses[0].label)
    assert {u.policy_id for u in uses} >= {"B2C_1A_signup_signin", "B2C_1A_TrustFrameworkBase"}


def test_go_to_line_input() -> None:
    assert parse_line_column("120") == (120, 1)
    assert parse_line_column(" 12:7 ") == (12, 7)
    assert parse_line_column("12,7") == (12, 7)
    for bad in ("", "abc", "12:x", "-3"):
        assert parse_line_column(bad) is None


@pytest.mark.parametrize("pack", ["LocalAccounts", "SocialAccounts", "SocialAndLocalAccounts"])
def test_starter_packs_colour_the_same_from_any_line(pack: str) -> None:
    for path in (STARTER / pack).glob("*.xml"):
        doc = Document.build(path.read_text(encoding="utf-8"))
        reference = full_lex(doc)
        for line in range(0, doc.line_count, 37):
            hl = Highlighter(doc)
            hl.lex(line, line + 1)
            assert hl.spans(line) == reference[line], (path.name, line)
