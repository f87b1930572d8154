"""Line diffs of two policies, fast for large texts with few changes.

``difflib`` does the matching: it is the standard library's (no dependency), its opcodes are
what the view needs, and its results are familiar. Its ``SequenceMatcher`` is quadratic in the
worst case, and Trust Framework XML is close to that case: thousands of identical lines
(``</TechnicalProfile>``, ``<Metadata>``) make every candidate match expensive, and its
``autojunk`` heuristic, which avoids that, throws those lines away and produces poor diffs. So
the texts are first cut into small independent pieces, and ``SequenceMatcher(autojunk=False)``
only ever sees a piece:

1. lines become integers (one dictionary pass), so comparisons are cheap;
2. the common head and tail are set aside;
3. lines that occur exactly once in each text, in the same order (the longest increasing run,
   "patience" anchoring as in ``git diff --patience``), split the rest into gaps, and each gap
   is handled the same way, recursively;
4. a gap with no such anchor goes to ``SequenceMatcher(autojunk=False)``, or with ``autojunk``
   once it is so big the quadratic cost would show (a rewrite of thousands of lines).

Two 1 MB policies with tens to hundreds of changed lines diff in tens of milliseconds this
way, where ``SequenceMatcher(autojunk=False)`` over the whole texts takes seconds, more the more
changes there are (0.8-5 s measured here; see ``benchmarks/bench_xml_view.py``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import NamedTuple

#: Gaps up to this many line pairs (len(a) * len(b)) use SequenceMatcher(autojunk=False).
EXACT_LIMIT = 2_000_000


class Opcode(NamedTuple):
    """``tag`` is ``equal``, ``replace``, ``delete`` or ``insert`` (difflib's), over old lines
    ``[a0, a1)`` and new lines ``[b0, b1)``."""

    tag: str
    a0: int
    a1: int
    b0: int
    b1: int


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by the first item) increasing in the second."""
    tails: list[int] = []  # tails[k]: the smallest second item ending a run of length k + 1
    tail_at: list[int] = []  # index in pairs of that tail
    back: list[int] = [-1] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[k] = j
            tail_at[k] = index
        back[index] = tail_at[k - 1] if k else -1
    out: list[tuple[int, int]] = []
    index = tail_at[-1] if tail_at else -1
    while index != -1:
        out.append(pairs[index])
        index = back[index]
    return out[::-1]


def _anchors(a: Sequence[int], alo: int, ahi: int, b: Sequence[int], blo: int, bhi: int
             ) -> list[tuple[int, int]]:
    """Pairs of lines unique in both ranges, in an order both texts agree on."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi)
             if count_a[a[i]] == 1 and a[i] in where_b]
    return _lis(pairs)


def _matcher(a: Sequence[int], alo: int, ahi: int, b: Sequence[int], blo: int, bhi: int
             ) -> list[Opcode]:
    junk = (ahi - alo) * (bhi - blo) > EXACT_LIMIT
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=junk)
    return [Opcode(tag, alo + i1, alo + i2, blo + j1, blo + j2)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def _diff_ints(a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    out: list[Opcode] = []
    # A stack of work in reverse order: ranges to diff, and results ready to emit.
    stack: list[tuple[str, int, int, int, int]] = [("diff", 0, len(a), 0, len(b))]
    while stack:
        tag, alo, ahi, blo, bhi = stack.pop()
        if tag != "diff":
            out.append(Opcode(tag, alo, ahi, blo, bhi))
            continue
        head = 0
        while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
            head += 1
        tail = 0
        while (ahi - tail > alo + head and bhi - tail > blo + head
               and a[ahi - tail - 1] == b[bhi - tail - 1]):
            tail += 1
        work: list[tuple[str, int, int, int, int]] = []
        if head:
            work.append(("equal", alo, alo + head, blo, blo + head))
        mlo, mhi, nlo, nhi = alo + head, ahi - tail, blo + head, bhi - tail
        if mlo == mhi and nlo < nhi:
            work.append(("insert", mlo, mhi, nlo, nhi))
        elif nlo == nhi and mlo < mhi:
            work.append(("delete", mlo, mhi, nlo, nhi))
        elif mlo < mhi:
            anchors = _anchors(a, mlo, mhi, b, nlo, nhi)
            if not anchors:
                out_work = _matcher(a, mlo, mhi, b, nlo, nhi)
                work.extend(tuple(op) for op in out_work)  # type: ignore[misc]
            else:
                i0, j0 = mlo, nlo
                for i, j in anchors:
                    if i > i0 or j > j0:
                        work.append(("diff", i0, i, j0, j))
                    work.append(("equal", i, i + 1, j, j + 1))
                    i0, j0 = i + 1, j + 1
                if i0 < mhi or j0 < nhi:
                    work.append(("diff", i0, mhi, j0, nhi))
        if tail:
            work.append(("equal", ahi - tail, ahi, bhi - tail, bhi))
        stack.extend(reversed(work))
    return _merge(out)


def _merge(ops: list[Opcode]) -> list[Opcode]:
    """Join neighbours: equal runs into one, and any run of changes into one opcode."""
    merged: list[Opcode] = []
    for op in ops:
        if op.a0 == op.a1 and op.b0 == op.b1:
            continue
        if merged:
            last = merged[-1]
            both_equal = last.tag == op.tag == "equal"
            both_changes = last.tag != "equal" and op.tag != "equal"
            if both_equal or both_changes:
                a0, b0 = last.a0, last.b0
                a1, b1 = op.a1, op.b1
                tag = "equal" if both_equal else (
                    "replace" if a1 > a0 and b1 > b0 else "delete" if a1 > a0 else "insert")
                merged[-1] = Opcode(tag, a0, a1, b0, b1)
                continue
        merged.append(op)
    return merged


def diff_lines(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """Opcodes turning lines ``old`` into lines ``new`` (every line of both is covered)."""
    ids: dict[str, int] = {}
    a = [ids.setdefault(line, len(ids)) for line in old]
    b = [ids.setdefault(line, len(ids)) for line in new]
    return _diff_ints(a, b)
