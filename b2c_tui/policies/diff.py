"""Compare policy sets (tenant, local folder, backup) and single documents.

What counts as "the same": only what an upload itself changes is set aside, so a policy that
round-trips through Graph unchanged compares equal and nothing else does:

- the byte-order mark and the text encoding (Graph stores decoded text; the contract's upload
  and download examples carry none, the emulator drops it) and so the ``encoding=`` label of the
  XML declaration;
- a ``PublicPolicyUri`` that Graph adds when the upload had none (the contract's create example:
  the response gains ``PublicPolicyUri="http://{tenant}/{PolicyId}"``);
- a ``TenantObjectId`` attribute on the root, which B2C adds to the policies it hands back
  (seen in policies downloaded from real tenants; the contract examples do not show it).

Line endings, whitespace, comments and attribute order are compared as they are: Graph keeps
them, and a change there is a change someone made.

Results are plain data the UI renders as it likes: a unified diff (text) or side-by-side
:class:`LinePair` rows.

The line diff (:func:`diff_lines`) is the one engine behind the CLI's diff and the explorer's
``DiffView``. ``difflib`` does the matching: it is the standard library's (no dependency), its
opcodes are what both need, and its results are familiar. Its ``SequenceMatcher`` is
quadratic in the worst case, and Trust Framework XML is close to that case: thousands of
identical lines (``</TechnicalProfile>``, ``<Metadata>``) make every candidate match expensive,
and its ``autojunk`` heuristic, which avoids that, throws those lines away and produces poor
diffs. So the texts are first cut into small independent pieces, and
``SequenceMatcher(autojunk=False)`` only ever sees a piece:

1. lines become integers (one dictionary pass), so comparisons are cheap;
2. the common head and tail are set aside;
3. lines that occur exactly once in each text, in the same order (the longest increasing run,
   "patience" anchoring as in ``git diff --patience``), split the rest into gaps, and each gap
   is handled the same way, recursively;
4. a gap with no such anchor goes to ``SequenceMatcher(autojunk=False)``, or with ``autojunk``
   once it is so big the quadratic cost would show (a rewrite of thousands of lines).

Two 1 MB policies with tens to hundreds of changed lines diff in tens of milliseconds this
way, where ``SequenceMatcher(autojunk=False)`` over the whole texts takes seconds (see
``benchmarks/bench_xml_view.py``).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

_DECLARED_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*([\"'])[^\"']*\2")
_ROOT_TAG = re.compile(r"<(?:[\w.-]+:)?TrustFrameworkPolicy\b[^>]*>", re.DOTALL)
_ATTRIBUTE = r"\s+{name}\s*=\s*([\"'])(.*?)\1"
_PUBLIC_URI = re.compile(_ATTRIBUTE.format(name="PublicPolicyUri"), re.DOTALL)
_TENANT_OBJECT_ID = re.compile(_ATTRIBUTE.format(name="TenantObjectId"), re.DOTALL)
_TENANT_ID = re.compile(_ATTRIBUTE.format(name="TenantId"), re.DOTALL)
_POLICY_ID = re.compile(_ATTRIBUTE.format(name="PolicyId"), re.DOTALL)


class Opcode(NamedTuple):
    """``tag`` is ``equal``, ``replace``, ``delete`` or ``insert`` (difflib's), over old lines
    ``[a0, a1)`` and new lines ``[b0, b1)``; unpacks like a :mod:`difflib` opcode."""

    tag: str
    a0: int
    a1: int
    b0: int
    b1: int


class DiffStatus(StrEnum):
    """How the right side differs from the left (left = where policies are now, usually the
    tenant; right = what would replace it)."""

    CHANGED = "changed"
    NEW = "new"  # only on the right
    DELETED = "deleted"  # only on the left
    UNCHANGED = "unchanged"


STATUS_ORDER = {DiffStatus.CHANGED: 0, DiffStatus.NEW: 1, DiffStatus.DELETED: 2,
                DiffStatus.UNCHANGED: 3}


@dataclass(frozen=True)
class LinePair:
    """A side-by-side row. ``tag`` is ``equal``, ``replace``, ``delete`` (left only),
    ``insert`` (right only) or ``skip`` (``skipped`` equal lines folded away). Line numbers
    are 1-based; ``None`` where a side has no line."""

    tag: str
    left_no: int | None
    left: str | None
    right_no: int | None
    right: str | None
    skipped: int = 0


def normalize(text: str, *, other: str | None = None) -> str:
    """``text`` as compared (see the module docs). With ``other`` given, attributes Graph adds
    are set aside only when ``other`` lacks them, so a real change to them still shows."""
    text = text.removeprefix("\ufeff")
    text = _DECLARED_ENCODING.sub(r"\1", text, count=1)
    other = None if other is None else other.removeprefix("\ufeff")
    root = _ROOT_TAG.search(text)
    if root is None:
        return text
    tag = root.group(0)
    other_root = _ROOT_TAG.search(other) if other else None
    other_tag = other_root.group(0) if other_root else ""
    if other is None or not _TENANT_OBJECT_ID.search(other_tag):
        tag = _TENANT_OBJECT_ID.sub("", tag)
    uri = _PUBLIC_URI.search(tag)
    if uri and (other is None or not _PUBLIC_URI.search(other_tag)) and _is_default_uri(
            tag, uri.group(2)):
        tag = tag[: uri.start()] + tag[uri.end():]
    return text[: root.start()] + tag + text[root.end():]


def _is_default_uri(tag: str, uri: str) -> bool:
    tenant = _TENANT_ID.search(tag)
    policy = _POLICY_ID.search(tag)
    if not tenant or not policy:
        return False
    return uri.strip().lower() == f"http://{tenant.group(2)}/{policy.group(2)}".lower()


def equivalent(left: str, right: str) -> bool:
    """True when the two documents differ only in what Graph itself changes."""
    if left == right:
        return True
    return normalize(left, other=right) == normalize(right, other=left)


@dataclass(frozen=True)
class PolicyDiff:
    """One policy compared across two sides."""

    policy_id: str
    status: DiffStatus
    left: str | None
    right: str | None
    left_label: str = "tenant"
    right_label: str = "local"

    @cached_property
    def _lines(self) -> tuple[list[str], list[str]]:
        left = normalize(self.left, other=self.right) if self.left is not None else ""
        right = normalize(self.right, other=self.left) if self.right is not None else ""
        return left.splitlines(), right.splitlines()

    def unified(self, context: int = 3) -> str:
        """A unified diff (empty when unchanged), with ``a/`` and ``b/`` named by the sides."""
        if self.status is DiffStatus.UNCHANGED:
            return ""
        left, right = self._lines
        lines = unified_lines(left, right, self.opcodes(), f"{self.left_label}/{self.policy_id}",
                              f"{self.right_label}/{self.policy_id}", context)
        return "\n".join(lines) + "\n"

    @property
    def counts(self) -> tuple[int, int]:
        """(lines added, lines removed) going from left to right."""
        added = removed = 0
        for tag, i1, i2, j1, j2 in self.opcodes():
            if tag != "equal":
                added += j2 - j1
                removed += i2 - i1
        return added, removed

    def opcodes(self) -> list[Opcode]:
        """:class:`difflib.SequenceMatcher` opcodes over the compared lines (cached)."""
        return self._opcodes

    @cached_property
    def _opcodes(self) -> list[Opcode]:
        left, right = self._lines
        return diff_lines(left, right)

    def side_by_side(self, context: int | None = None) -> list[LinePair]:
        """Rows pairing left and right lines; with ``context``, runs of equal lines longer
        than twice that are folded into one ``skip`` row."""
        left, right = self._lines
        return pair_lines(left, right, context, opcodes=self.opcodes())


#: Gaps up to this many line pairs (len(a) * len(b)) use SequenceMatcher(autojunk=False).
EXACT_LIMIT = 2_000_000


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
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=junk)
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


class _Precomputed(difflib.SequenceMatcher[str]):
    """A matcher that answers opcodes computed already (for ``get_grouped_opcodes``)."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._precomputed = opcodes

    def get_opcodes(self) -> list[tuple[str, int, int, int, int]]:  # type: ignore[override]
        return [(op.tag, op.a0, op.a1, op.b0, op.b1) for op in self._precomputed]


def _unified_range(start: int, stop: int) -> str:
    """A hunk range as ``difflib.unified_diff`` writes it."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    return f"{beginning - 1 if not length else beginning},{length}"


def unified_lines(left: list[str], right: list[str],
                  opcodes: list[Opcode], fromfile: str, tofile: str,
                  context: int = 3) -> list[str]:
    """The lines of ``difflib.unified_diff`` (same format), from :func:`diff_lines`."""
    out: list[str] = []
    for group in _Precomputed(opcodes).get_grouped_opcodes(context):
        if not out:
            out += [f"--- {fromfile}", f"+++ {tofile}"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_unified_range(first[1], last[2])} "
                   f"+{_unified_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(" " + line for line in left[i1:i2])
                continue
            if tag in ("replace", "delete"):
                out.extend("-" + line for line in left[i1:i2])
            if tag in ("replace", "insert"):
                out.extend("+" + line for line in right[j1:j2])
    return out


def pair_lines(left: list[str], right: list[str], context: int | None = None, *,
               opcodes: list[Opcode] | None = None) -> list[LinePair]:
    """Side-by-side rows for two lists of lines (see :meth:`PolicyDiff.side_by_side`)."""
    rows: list[LinePair] = []
    for tag, i1, i2, j1, j2 in opcodes if opcodes is not None else diff_lines(left, right):
        if tag == "equal":
            rows.extend(_equal_rows(left, right, i1, i2, j1, context))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            li, rj = i1 + k, j1 + k
            has_left, has_right = li < i2, rj < j2
            row_tag = tag if tag != "replace" or (has_left and has_right) else (
                "delete" if has_left else "insert")
            rows.append(LinePair(row_tag, li + 1 if has_left else None,
                                 left[li] if has_left else None,
                                 rj + 1 if has_right else None,
                                 right[rj] if has_right else None))
    if context is not None and rows and all(r.tag in ("equal", "skip") for r in rows):
        return []
    return rows


def _equal_rows(left: list[str], right: list[str], i1: int, i2: int, j1: int,
                context: int | None) -> list[LinePair]:
    count = i2 - i1
    if context is None or count <= 2 * context:
        return [LinePair("equal", i1 + k + 1, left[i1 + k], j1 + k + 1, right[j1 + k])
                for k in range(count)]
    head = [LinePair("equal", i1 + k + 1, left[i1 + k], j1 + k + 1, right[j1 + k])
            for k in range(context if i1 > 0 or j1 > 0 else 0)]
    at_end = i2 >= len(left) and j1 + count >= len(right)
    tail_start = count if at_end else count - context
    tail = [LinePair("equal", i1 + k + 1, left[i1 + k], j1 + k + 1, right[j1 + k])
            for k in range(tail_start, count)]
    skipped = count - len(head) - len(tail)
    skip = [LinePair("skip", None, None, None, None, skipped)] if skipped else []
    return head + skip + tail


def compare(policy_id: str, left: str | None, right: str | None, *,
            left_label: str = "tenant", right_label: str = "local") -> PolicyDiff:
    """One policy's diff; ``None`` for the side that lacks it."""
    if left is None and right is None:
        raise ValueError("nothing to compare")
    if left is None:
        status = DiffStatus.NEW
    elif right is None:
        status = DiffStatus.DELETED
    else:
        status = DiffStatus.UNCHANGED if equivalent(left, right) else DiffStatus.CHANGED
    return PolicyDiff(policy_id, status, left, right, left_label, right_label)


def diff_sets(left: Mapping[str, str], right: Mapping[str, str], *,
              left_label: str = "tenant", right_label: str = "local") -> list[PolicyDiff]:
    """Compare two ``{policy id: XML}`` sets (ids match case-insensitively). Changed policies
    come first, then new, deleted and unchanged; by id within each."""
    lefts = {k.lower(): (k, v) for k, v in left.items()}
    rights = {k.lower(): (k, v) for k, v in right.items()}
    out = []
    for key in sorted(lefts.keys() | rights.keys()):
        name = (rights.get(key) or lefts[key])[0]
        out.append(compare(name, lefts[key][1] if key in lefts else None,
                           rights[key][1] if key in rights else None,
                           left_label=left_label, right_label=right_label))
    return sorted(out, key=lambda d: (STATUS_ORDER[d.status], d.policy_id.lower()))
