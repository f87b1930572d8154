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
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Literal

_DECLARED_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*([\"'])[^\"']*\2")
_ROOT_TAG = re.compile(r"<(?:[\w.-]+:)?TrustFrameworkPolicy\b[^>]*>", re.DOTALL)
_ATTRIBUTE = r"\s+{name}\s*=\s*([\"'])(.*?)\1"
_PUBLIC_URI = re.compile(_ATTRIBUTE.format(name="PublicPolicyUri"), re.DOTALL)
_TENANT_OBJECT_ID = re.compile(_ATTRIBUTE.format(name="TenantObjectId"), re.DOTALL)
_TENANT_ID = re.compile(_ATTRIBUTE.format(name="TenantId"), re.DOTALL)
_POLICY_ID = re.compile(_ATTRIBUTE.format(name="PolicyId"), re.DOTALL)


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]
"""A :class:`difflib.SequenceMatcher` opcode."""


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
        return line_opcodes(left, right)

    def side_by_side(self, context: int | None = None) -> list[LinePair]:
        """Rows pairing left and right lines; with ``context``, runs of equal lines longer
        than twice that are folded into one ``skip`` row."""
        left, right = self._lines
        return pair_lines(left, right, context, opcodes=self.opcodes())


#: above this many differing lines the matcher may treat very common lines as junk (faster
#: on big rewrites, at the price of a slightly less minimal diff)
_AUTOJUNK_LINES = 4000


def line_opcodes(left: list[str], right: list[str]) -> list[Opcode]:
    """Opcodes turning ``left`` into ``right``. The common head and tail are matched first:
    difflib alone is quadratic-ish on XML, whose closing-tag lines repeat thousands of times,
    and a typical edit of a 1 MB policy leaves all but a few lines alike."""
    head = 0
    limit = min(len(left), len(right))
    while head < limit and left[head] == right[head]:
        head += 1
    tail = 0
    while tail < limit - head and left[-1 - tail] == right[-1 - tail]:
        tail += 1
    mid_left = left[head:len(left) - tail]
    mid_right = right[head:len(right) - tail]
    ops: list[Opcode] = []
    if head:
        ops.append(("equal", 0, head, 0, head))
    if mid_left or mid_right:
        junk = max(len(mid_left), len(mid_right)) > _AUTOJUNK_LINES
        matcher = difflib.SequenceMatcher(None, mid_left, mid_right, autojunk=junk)
        ops.extend((tag, i1 + head, i2 + head, j1 + head, j2 + head)
                   for tag, i1, i2, j1, j2 in matcher.get_opcodes())
    if tail:
        ops.append(("equal", len(left) - tail, len(left), len(right) - tail, len(right)))
    return ops


class _Precomputed(difflib.SequenceMatcher[str]):
    """A matcher that answers opcodes computed already (for ``get_grouped_opcodes``)."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._precomputed = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return list(self._precomputed)


def _unified_range(start: int, stop: int) -> str:
    """A hunk range as ``difflib.unified_diff`` writes it."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    return f"{beginning - 1 if not length else beginning},{length}"


def unified_lines(left: list[str], right: list[str],
                  opcodes: list[Opcode], fromfile: str, tofile: str,
                  context: int = 3) -> list[str]:
    """The lines of ``difflib.unified_diff`` (same format), from :func:`line_opcodes`."""
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
    for tag, i1, i2, j1, j2 in opcodes if opcodes is not None else line_opcodes(left, right):
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
