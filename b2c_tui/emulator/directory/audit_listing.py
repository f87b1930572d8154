"""``GET /auditLogs/directoryAudits``: pages of the last seven days, newest first.

The generated history and the entries written through the API are merged in time order
without building either: an ``activityDateTime`` range in ``$filter`` narrows the walk to the
entries in it, a filter on what an entry's kind fixes (category, activity, result, service,
operation) is decided before the entry is built, and a walk that examines
:data:`SCAN_BUDGET` entries without filling the page answers a short page with a nextLink, as
Graph may. The ``$skiptoken`` holds the last key examined ``[microseconds, source, index]``.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..clock import parse_iso
from ..http import Request, Response
from ..odata import Query, ResourceSpec, page_body
from ..odata.filter import Node
from .audit_log import AuditLog, micros

SCAN_BUDGET = 20_000
#: What an entry's kind and time fix: a filter on these alone is decided before it is built.
SKELETON = frozenset(
    {"category", "result", "activitydisplayname", "activitydatetime", "loggedbyservice",
     "operationtype"}
)
Key = list[int]  # [microseconds, source (0 generated, 1 written), index]


def _names(node: Node) -> set[str]:
    """The properties a filter AST reads (lower-cased; a lambda counts as its collection)."""
    if node[0] in ("and", "or"):
        return _names(node[1]) | _names(node[2])
    return {str(node[1]).lower()}


def _time_bounds(node: Node | None) -> tuple[int | None, int | None]:
    """The ``activityDateTime`` range (microseconds, inclusive) an and-chain asks for."""
    lo: int | None = None
    hi: int | None = None
    if node is None:
        return lo, hi
    clauses, stack = [], [node]
    while stack:
        n = stack.pop()
        if n[0] == "and":
            stack += [n[1], n[2]]
        else:
            clauses.append(n)
    for op, name, *rest in clauses:
        if str(name).lower() != "activitydatetime" or op not in ("eq", "ge", "gt", "le", "lt"):
            continue
        value = rest[0]
        if isinstance(value, str):
            value = parse_iso(value)
        if not isinstance(value, datetime):
            continue
        at = micros(value)
        if op in ("eq", "ge", "gt"):
            lo = max(lo if lo is not None else at, at + (op == "gt"))
        if op in ("eq", "le", "lt"):
            hi = min(hi if hi is not None else at, at - (op == "lt"))
    return lo, hi


class AuditLister:
    """Answers list requests for one audit log."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log

    def _written(self, lo: int, hi: int, desc: bool) -> Iterator[Key]:
        times = self.log.times
        first, last = bisect.bisect_left(times, lo), bisect.bisect_right(times, hi)
        indexes = range(last - 1, first - 1, -1) if desc else range(first, last)
        return ([times[i], 1, i] for i in indexes)

    def _generated(self, lo: int, hi: int, desc: bool) -> Iterator[Key]:
        history = self.log.history
        if history is None:
            return iter(())
        first, end = history.first_at_or_after(lo), history.first_at_or_after(hi + 1)
        indexes = range(end - 1, first - 1, -1) if desc else range(first, end)
        return ([history.time_of(k), 0, k] for k in indexes)

    def _keys(self, lo: int, hi: int, desc: bool) -> Iterator[Key]:
        return heapq.merge(self._generated(lo, hi, desc), self._written(lo, hi, desc),
                           reverse=desc)

    def _check(self, q: Query) -> Callable[[Key], dict[str, Any] | None]:
        """``key -> the entry`` when it passes the filter, else None (built only then)."""
        history, written, predicate = self.log.history, self.log.entries, q.predicate
        early = q.filter is not None and _names(q.filter) <= SKELETON

        def check(key: Key) -> dict[str, Any] | None:
            if key[1]:
                entry = written[key[2]]
                return entry if predicate is None or predicate(entry) else None
            assert history is not None
            if early and predicate is not None and not predicate(history.skeleton(key[2])):
                return None
            entry = history.entry(key[2])
            return entry if predicate is None or early or predicate(entry) else None

        return check

    def page(self, request: Request, spec: ResourceSpec, q: Query) -> Response:
        """The page for ``q`` (newest first unless ``$orderby=activityDateTime asc``)."""
        desc = q.orderby is None or q.orderby[1]
        lo, hi = _time_bounds(q.filter)
        lo = max(lo if lo is not None else 0, self.log.window_start())
        hi = hi if hi is not None else micros(self.log.clock())
        after = q.token.get("k") if isinstance(q.token, dict) else None
        if isinstance(after, list) and len(after) == 3:
            hi, lo = (min(hi, after[0]), lo) if desc else (hi, max(lo, after[0]))
        else:
            after = None
        check, top = self._check(q), q.top or spec.page_max
        picked: list[dict[str, Any]] = []
        state: dict[str, Any] | None = None
        scanned = 0
        last: Key = []
        last_picked: Key = []
        for key in self._keys(lo, hi, desc):
            if after is not None and (key >= after if desc else key <= after):
                continue  # served on an earlier page (same microsecond)
            if scanned == SCAN_BUDGET:  # a short page; the next one goes on from here
                state = {"k": last}
                break
            scanned += 1
            last = key
            entry = check(key)
            if entry is None:
                continue
            if len(picked) == top:  # one more exists: the next page starts with it
                state = {"k": last_picked}
                break
            picked.append(entry)
            last_picked = key
        return page_body(request, spec, q, picked, state)
