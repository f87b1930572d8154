"""Diffs: only what Graph itself changes is set aside; changed policies come first; the
side-by-side rows pair lines the way a viewer shows them."""

from __future__ import annotations

from b2c_tui.policies.diff import DiffStatus, compare, diff_sets, equivalent, pair_lines

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

    from b2c_tui.policies.diff import line_opcodes, unified_lines

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
        ops = line_opcodes(left, right)
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
