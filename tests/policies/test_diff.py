"""Diffs: only what Graph itself changes is set aside; changed policies come first; the
side-by-side rows pair lines the way a viewer shows them; the one line-diff engine (correct on
any input, only small pieces ever reach difflib's quadratic matcher) behind the CLI's diff and
the explorer's DiffView."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from b2c_tui.policies import diff
from b2c_tui.policies.diff import (
    DiffStatus,
    Opcode,
    compare,
    diff_lines,
    diff_sets,
    equivalent,
    pair_lines,
)
from benchmarks.bench_xml_view import grow_policy

ROOT = ('<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" '
        'TenantId="contoso.onmicrosoft.com" PolicyId="B2C_1A_X"{extra}>\n'
        "  <BasePolicy />\n</TrustFrameworkPolicy>\n")
DECL = '<?xml version="1.0" encoding="{enc}"?>\n'


def doc(extra: str = "", enc: str | None = "utf-8", bom: bool = False) -> str:
    text = (DECL.format(enc=enc) if enc else "") + ROOT.format(extra=extra)
    return ("\ufeff" if bom else "") + text


def test_what_an_upload_round_trip_changes_is_equal() -> None:
    uploaded = doc(bom=True, enc="utf-16")
    stored = doc(' PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_X"', enc="utf-16")
    assert equivalent(stored, uploaded)
    real = doc(' PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_X" '
               'TenantObjectId="00000000-1111-2222-3333-444444444444"')
    assert equivalent(real, doc())


def test_real_changes_are_not_set_aside() -> None:
    base = doc(' PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_X"')
    assert not equivalent(base, doc(' PublicPolicyUri="http://contoso.onmicrosoft.com/Other"'))
    assert not equivalent(doc(' PublicPolicyUri="http://other.example/B2C_1A_X"'), doc())
    assert not equivalent(doc(), doc().replace("\n", "\r\n"))  # Graph keeps line endings
    assert not equivalent(doc(), doc().replace("<BasePolicy />", "<BasePolicy/>"))


def test_sets_are_sorted_changed_first_and_matched_case_insensitively() -> None:
    left = {"B2C_1A_A": doc(), "B2C_1A_Gone": doc(), "B2C_1A_Same": doc(), "B2C_1A_Z": doc()}
    right = {"b2c_1a_z": doc().replace("<BasePolicy />", "<BasePolicy></BasePolicy>"),
             "B2C_1A_Same": doc(), "B2C_1A_New": doc(), "B2C_1A_A": doc() + "<!-- -->\n"}
    diffs = diff_sets(left, right)
    assert [(d.policy_id, d.status) for d in diffs] == [
        ("B2C_1A_A", DiffStatus.CHANGED), ("b2c_1a_z", DiffStatus.CHANGED),
        ("B2C_1A_New", DiffStatus.NEW), ("B2C_1A_Gone", DiffStatus.DELETED),
        ("B2C_1A_Same", DiffStatus.UNCHANGED)]
    unified = diffs[0].unified()
    assert unified.startswith("--- tenant/B2C_1A_A\n+++ local/B2C_1A_A\n")
    assert "+<!-- -->" in unified and diffs[-1].unified() == ""


def test_unified_diff_ignores_only_the_graph_attributes() -> None:
    stored = doc(' PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_X"')
    local = doc().replace("<BasePolicy />", "<BasePolicy/>")
    diff = compare("B2C_1A_X", stored, local)
    assert diff.status is DiffStatus.CHANGED
    changed = [line for line in diff.unified().splitlines()
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changed == ["-  <BasePolicy />", "+  <BasePolicy/>"]
    assert diff.counts == (1, 1)


def test_side_by_side_rows() -> None:
    left = ["a", "b", "c", "d"]
    right = ["a", "B", "c", "d", "e"]
    rows = pair_lines(left, right)
    assert [(r.tag, r.left_no, r.right_no) for r in rows] == [
        ("equal", 1, 1), ("replace", 2, 2), ("equal", 3, 3), ("equal", 4, 4),
        ("insert", None, 5)]
    uneven = pair_lines(["x", "y"], ["z"])
    assert [(r.tag, r.left, r.right) for r in uneven] == [
        ("replace", "x", "z"), ("delete", "y", None)]


def test_side_by_side_folds_long_equal_runs() -> None:
    left = [f"line {n}" for n in range(100)]
    right = list(left)
    right[50] = "changed"
    rows = pair_lines(left, right, context=3)
    tags = [r.tag for r in rows]
    assert tags == ["skip", "equal", "equal", "equal", "replace", "equal", "equal", "equal",
                    "skip"]
    assert rows[0].skipped == 47 and rows[-1].skipped == 46
    assert pair_lines(left, left, context=3) == []


def test_unified_text_is_difflibs_format() -> None:
    import difflib
    import random

    from b2c_tui.policies.diff import unified_lines

    rng = random.Random(3)
    compared = 0
    words = ["<A>", "</A>", "<B/>", "x", "y", ""]
    for _ in range(200):
        left = [rng.choice(words) for _ in range(rng.randrange(0, 30))]
        right = list(left)
        for _ in range(rng.randrange(1, 4)):
            spot = rng.randrange(0, len(right) + 1)
            if right and rng.random() < 0.5:
                del right[min(spot, len(right) - 1)]
            else:
                right.insert(spot, rng.choice(words))
        ops = diff_lines(left, right)
        if left == right:
            assert unified_lines(left, right, ops, "a", "b", 2) == []
            continue
        if ops == difflib.SequenceMatcher(None, left, right).get_opcodes():
            compared += 1
            expected = list(difflib.unified_diff(left, right, "a", "b", n=2, lineterm=""))
            assert unified_lines(left, right, ops, "a", "b", 2) == expected
        whole = unified_lines(left, right, ops, "a", "b", 1000)[3:]  # one hunk: all lines
        assert [line[1:] for line in whole if line[0] in " -"] == left
        assert [line[1:] for line in whole if line[0] in " +"] == right
    assert compared > 150


# -- the line diff engine ------------------------------------------------------------------
def check_opcodes(ops: list[Opcode], old: list[str], new: list[str]) -> None:
    """The opcodes cover both texts in order, equal runs are equal, and they rebuild ``new``."""
    a = b = 0
    rebuilt: list[str] = []
    for op in ops:
        assert (op.a0, op.b0) == (a, b)
        if op.tag == "equal":
            assert old[op.a0:op.a1] == new[op.b0:op.b1]
        rebuilt += new[op.b0:op.b1]
        a, b = op.a1, op.b1
    assert (a, b) == (len(old), len(new))
    assert rebuilt == new
    for first, second in pairwise(ops):
        assert not (first.tag != "equal" and second.tag != "equal"), "changes are merged"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=40),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.sampled_from("abxyz")),
                max_size=8))
def test_diff_of_any_edit_is_correct(old: list[str], edits: list[tuple[int, int, str]]) -> None:
    new = list(old)
    for kind, where, line in edits:
        if kind == 0 and new:
            del new[where % len(new)]
        elif kind == 1:
            new.insert(where % (len(new) + 1), line)
        elif new:
            new[where % len(new)] = line
    check_opcodes(diff_lines(old, new), old, new)


def test_a_1mb_diff_only_gives_difflib_small_pieces(monkeypatch: Any) -> None:
    old = grow_policy(1_000_000).split("\n")
    new = list(old)
    edited = range(500, len(new), 1500)
    for index in edited:
        new[index] += "  <!-- changed -->"
    del new[4000:4010]
    new[9000:9000] = ["<Added/>"] * 7
    sizes: list[int] = []
    matcher = diff._matcher

    def counting(a: Any, alo: int, ahi: int, b: Any, blo: int, bhi: int) -> list[Opcode]:
        sizes.append((ahi - alo) * (bhi - blo))
        return matcher(a, alo, ahi, b, blo, bhi)

    monkeypatch.setattr(diff, "_matcher", counting)
    ops = diff_lines(old, new)
    check_opcodes(ops, old, new)
    changes = [op for op in ops if op.tag != "equal"]
    assert len(changes) == len(edited) + 2  # the lines edited, the block deleted, the inserted
    assert [op.a0 for op in changes if op.tag == "replace"] == list(edited)
    assert max(sizes, default=0) <= 100  # anchoring leaves difflib a line or two at a time


def test_the_cli_diff_and_the_widget_share_one_engine(monkeypatch: Any) -> None:
    """``PolicyDiff`` (what ``b2c-tui policies diff`` prints) goes through :func:`diff_lines`:
    a 1 MB policy with a few edits reaches difflib only in small pieces, and the opcodes are
    the ones the explorer's DiffView shows."""
    from b2c_tui.tui.widgets.diff_view import diff_lines as widget_diff

    assert widget_diff is diff_lines
    old = grow_policy(1_000_000)
    lines = old.split("\n")
    lines[700] += "  <!-- changed -->"
    new = "\n".join(lines)
    sizes: list[int] = []
    matcher = diff._matcher

    def counting(a: Any, alo: int, ahi: int, b: Any, blo: int, bhi: int) -> list[Opcode]:
        sizes.append((ahi - alo) * (bhi - blo))
        return matcher(a, alo, ahi, b, blo, bhi)

    monkeypatch.setattr(diff, "_matcher", counting)
    changed = compare("B2C_1A_Big", old, new)
    assert changed.counts == (1, 1)
    assert changed.opcodes() == diff_lines(old.splitlines(), new.splitlines())
    assert "+" + lines[700] in changed.unified().splitlines()
    assert max(sizes, default=0) <= 100
