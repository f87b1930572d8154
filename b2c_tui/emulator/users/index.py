"""Candidate sources that keep user queries cheap on a 1,000,000-user tenant.

A *source* yields, in ascending order, the generated ordinals that **may** match a filter
clause; callers verify each with the real predicate unless the source is *exact* (it yields
the unchanged generated users that match, and only them): then a filtered page is served
like an unfiltered one. They exploit the derivations of :mod:`.generator`: name fields repeat
with the period of the name combinations, UPN prefixes are arithmetic progressions, sign-in
names invert to ordinals. Also the two sorted orders Graph offers on users ($orderby
displayName / userPrincipalName) as lazy streams.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ..odata.filter import Node
from .generator import Combo, UserGenerator

HEX = "0123456789abcdef"


class Source(NamedTuple):
    """Candidate ordinals of a filter clause."""

    density: float  # the share of ordinals it yields (an estimate)
    iter_from: Callable[[int], Iterator[int]]  # ascending ordinals >= start
    exact: bool = False  # it yields exactly the unchanged generated users that match


def explicit(ordinals: list[int], n: int, exact: bool = False) -> Source:
    """A fixed, sorted set of ordinals."""
    ords = sorted(set(o for o in ordinals if 0 <= o < n))

    def it(start: int) -> Iterator[int]:
        return (o for o in ords if o >= start)

    return Source(len(ords) / max(n, 1), it, exact)


def progression(first: int, stride: int, n: int, exact: bool = False) -> Source:
    """Ordinals ``first + k*stride`` below ``n``."""

    def it(start: int) -> Iterator[int]:
        o = first if start <= first else first + -(-(start - first) // stride) * stride
        return iter(range(o, n, stride))

    return Source(1 / stride, it, exact)


def combo_mask(gen: UserGenerator, test: Callable[[Combo], bool], n: int) -> Source:
    """Ordinals whose name combination passes ``test`` (evaluated once per combination)."""
    t = gen.t
    hits = [gen.combos[(j * gen.kt + gen.ct) % t] for j in range(t)]
    mask = bytes(1 if test(c) else 0 for c in hits)
    count = mask.count(1)

    def it(start: int) -> Iterator[int]:
        if not count:
            return
        base = start - start % t
        j = start % t
        while base < n:
            k = mask.find(1, j)
            if k < 0:
                base += t
                j = 0
                continue
            o = base + k
            if o >= n:
                return
            yield o
            j = k + 1
            if j >= t:
                base += t
                j = 0

    # a user's names are its combination's: a test on them is the filter itself
    return Source(count / t, it, exact=True)


def union(sources: list[Source], n: int) -> Source:
    """Ordinals of any source, deduplicated, ascending."""

    def it(start: int) -> Iterator[int]:
        last = -1
        for o in heapq.merge(*(s[1](start) for s in sources)):
            if o != last:
                yield o
                last = o

    return Source(
        min(1.0, sum(s.density for s in sources)), it, all(s.exact for s in sources)
    )


def upn_prefix(gen: UserGenerator, prefix: str, n: int) -> Source:
    """Generated users whose ``<id>@domain`` UPN starts with ``prefix``."""
    p = prefix.lower()
    hexlen = 0
    while hexlen < min(len(p), 8) and p[hexlen] in HEX:
        hexlen += 1
    if hexlen < len(p) and hexlen < 8:  # a non-hex character where generated ids have hex
        return explicit([], n, exact=True)
    exact = hexlen == len(p)  # longer prefixes also test the rest of the id
    if hexlen == 0:
        return Source(1.0, lambda start: iter(range(start, n)), exact)
    mod = 16**hexlen
    residue = int(p[:hexlen][::-1], 16)
    first = ((residue - gen.c) * gen.k_inv) % mod
    return progression(first, mod, n, exact)


def plan(node: Node, gen: UserGenerator, n: int) -> Source | None:
    """A candidate source for a filter AST, or None when only a full scan can answer."""
    op = node[0]
    if op == "and":
        options = [s for s in (plan(node[1], gen, n), plan(node[2], gen, n)) if s is not None]
        # the other clause still has to be checked: never exact
        return min(options, key=lambda s: s.density)._replace(exact=False) if options else None
    if op == "or":
        left, right = plan(node[1], gen, n), plan(node[2], gen, n)
        return union([left, right], n) if left is not None and right is not None else None
    if op == "any":
        return _plan_identities(node, gen, n)
    name = str(node[1]).lower()
    values: list[Any] = node[2] if op == "in" else [node[2]]
    if op not in ("eq", "in", "startswith") or not all(isinstance(v, str) for v in values):
        return None
    equality = op != "startswith"
    if name == "id":  # an id inverts to its ordinal, checked: exact
        found = [o for v in values if (o := gen.ordinal_of_id(v)) is not None]
        return explicit(found, n, exact=True)
    if name == "userprincipalname":
        source = union([upn_prefix(gen, v, n) for v in values], n)
        return source if not equality else source._replace(exact=False)
    field = {"displayname": "display", "givenname": "given", "surname": "surname"}.get(name)
    folded = [v.casefold() for v in values]
    if field is not None:

        def test(c: Combo) -> bool:
            text = getattr(c, field).casefold()
            return any(text == f if equality else text.startswith(f) for f in folded)

        return combo_mask(gen, test, n)
    if name == "mail":  # a mail also has a number and a domain: candidates only

        def test_mail(c: Combo) -> bool:
            loc = c.local
            return any(loc[: len(f)] == f[: len(loc)] for f in folded)

        return combo_mask(gen, test_mail, n)._replace(exact=False)
    return None


def _plan_identities(node: Node, gen: UserGenerator, n: int) -> Source | None:
    _, coll, _var, body = node
    if coll.lower() != "identities":
        return None
    found: dict[str, Any] = {}

    def walk(x: Node) -> None:
        if x[0] == "and":
            walk(x[1])
            walk(x[2])
        elif x[0] == "eq":
            found[str(x[1]).lower().rsplit("/", 1)[-1]] = x[2]

    walk(body)
    assigned, issuer = found.get("issuerassignedid"), found.get("issuer")
    if not isinstance(assigned, str):
        return None
    iss = issuer.lower() if isinstance(issuer, str) else ""
    if iss in ("google.com", "facebook.com"):
        o = gen.ordinal_of_federated(iss, assigned)
        return explicit([o] if o is not None else [], n)
    local = assigned.partition("@")[0]
    digits = len(local) - len(local.rstrip("0123456789"))
    return explicit([gen.ordinal_of_number(int(local[-digits:]))] if digits else [], n)


# -- sorted streams ----------------------------------------------------------------------
def display_groups(gen: UserGenerator) -> list[tuple[str, list[int]]]:
    """Name combinations grouped by casefolded displayName, sorted."""
    groups: dict[str, list[int]] = {}
    for t, combo in enumerate(gen.combos):
        groups.setdefault(combo.display.casefold(), []).append(t)
    return sorted(groups.items())


def display_stream(
    gen: UserGenerator,
    groups: list[tuple[str, list[int]]],
    n: int,
    after: tuple[str, int] | None,
    desc: bool,
) -> Iterator[tuple[str, int]]:
    """Generated (key, ordinal) ordered by displayName then ordinal."""
    order = reversed(groups) if desc else iter(groups)
    for key, combos in order:
        if after is not None and ((key < after[0]) if not desc else (key > after[0])):
            continue
        ranges = []
        for t in combos:
            first = gen.first_ordinal_of_combo(t)
            r = range(first, n, gen.t)
            ranges.append(reversed(r) if desc else iter(r))
        for o in heapq.merge(*ranges, reverse=desc):
            if (
                after is not None
                and key == after[0]
                and (o <= after[1] if not desc else o >= after[1])
            ):
                continue
            yield key, o


def upn_stream(
    gen: UserGenerator, n: int, after: str | None, desc: bool
) -> Iterator[tuple[str, int]]:
    """Generated (upn, ordinal) in userPrincipalName order, walking id digits lazily."""
    digits = range(15, -1, -1) if desc else range(16)
    suffix = "@" + gen.domain

    def walk(level: int, residue: int, prefix: str) -> Iterator[tuple[str, int]]:
        mod = 16**level
        first = ((residue - gen.c) * gen.k_inv) % mod if level else 0
        if first >= n:
            return
        if level and mod >= n:
            key = gen.make_id(first) + suffix
            if after is None or (key < after if desc else key > after):
                yield key, first
            return
        for d in digits:
            p2 = prefix + HEX[d]
            if after is not None:
                a = after[: len(p2)]
                if (p2 > a) if desc else (p2 < a):
                    continue
            yield from walk(level + 1, residue + d * mod, p2)

    if n:
        yield from walk(0, 0, "")
