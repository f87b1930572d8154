"""``GET /users``: one page of users, cheap at any tenant size.

Unsorted listings walk ordinals (cursor = next ordinal, so users created meanwhile land after
it: no duplicates, no losses). Filters draw candidates from :mod:`.user_index` and verify each;
a filter that needs a scan stops after :data:`SCAN_BUDGET` users and answers a short (maybe
empty) page with a nextLink, as Graph may. ``$orderby`` walks the lazily sorted streams.
Unfiltered pages are joined once and kept (LRU, invalidated by any change to the directory),
so a repeated listing costs the server less than decoding costs the client; the first time,
default-property pages are serialized from arrays (:class:`.DefaultJsonWriter`).
"""

from __future__ import annotations

import bisect
import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from ..http import Request, Response, raw_json_response
from ..odata.query import Query, context, next_link, project
from .directory import BATCH_MIN, UserDirectory
from .index import Source, display_groups, display_stream, plan, upn_stream
from .schema import USER_SPEC

SCAN_BUDGET = 10_000
#: Bytes of joined default-listing pages kept for repeated listings (LRU).
PAGE_CACHE_BYTES = 192 * 1024 * 1024  # a 100k-user listing with $select fits
#: Bodies at least this large are sent in parts rather than joined (a copy of a large body
#: lands in fresh memory, whose page faults cost more than the copy itself).
LARGE_BODY = 64 * 1024


class UserLister:
    """Builds list pages for one user directory."""

    def __init__(self, users: UserDirectory, *, reference: bool = False) -> None:
        self.users = users
        #: Build filtered pages the plain way (every candidate checked, one user serialized
        #: at a time, nothing cached): the reference the fast paths are compared with.
        self.reference = reference
        self._groups: list[tuple[str, list[int]]] | None = None
        self._sorted_overlay: dict[str, tuple[int, list[tuple[str, int]]]] = {}
        self._pages: OrderedDict[tuple[Any, ...], tuple[int, bytes, int | None]] = OrderedDict()
        self._page_bytes = 0

    # -- candidates -------------------------------------------------------------------------
    def _overlay_from(self, start: int) -> Iterator[int]:
        users = self.users
        keys = users.overlay_keys
        for o in keys[bisect.bisect_left(keys, start) :]:
            if users.overlay.get(o) is not None:
                yield o

    def _filtered(self, source: Source | None, start: int) -> Iterator[int]:
        """Candidate ordinals from ``start``: the source's generated ones, and every changed
        or created user."""
        users = self.users
        n = users.base_count
        generated = source.iter_from(start) if source is not None else iter(range(start, n))
        overlay = users.overlay
        gen_only = (o for o in generated if o not in overlay)
        return heapq.merge(gen_only, self._overlay_from(start))

    # -- sorted ---------------------------------------------------------------------------
    def _key(self, rec: dict[str, Any], prop: str) -> str:
        value = rec.get(prop) or ""
        return value.casefold() if prop == "displayName" else value.lower()

    def _overlay_sorted(self, prop: str) -> list[tuple[str, int]]:
        cached = self._sorted_overlay.get(prop)
        if cached is not None and cached[0] == self.users.version:
            return cached[1]
        items = sorted(
            (self._key(rec, prop), o) for o, rec in self.users.overlay.items() if rec is not None
        )
        self._sorted_overlay[prop] = (self.users.version, items)
        return items

    def _ordered(
        self, prop: str, desc: bool, after: tuple[str, int] | None
    ) -> Iterator[tuple[str, int]]:
        users = self.users
        n = users.base_count
        if prop == "displayName":
            if self._groups is None:
                self._groups = display_groups(users.gen)
            gen_stream = display_stream(users.gen, self._groups, n, after, desc)
        else:
            gen_stream = upn_stream(users.gen, n, after[0] if after else None, desc)
        overlay = users.overlay
        gen_only = (item for item in gen_stream if item[1] not in overlay)
        over = self._overlay_sorted(prop)
        if desc:
            over_iter = (x for x in reversed(over) if after is None or x < tuple(after))
        else:
            over_iter = (x for x in over if after is None or x > tuple(after))
        return heapq.merge(gen_only, over_iter, reverse=desc)

    def _default_page(self, start: int, top: int) -> tuple[bytes, int | None]:
        """The joined users of an unfiltered default-property page."""
        return self._cached_page((None, start, top), lambda: self._default_chunks(start, top))

    def _default_chunks(self, start: int, top: int) -> tuple[list[bytes], int | None]:
        """Up to ``top`` live users from ordinal ``start`` in the default property set.

        Returns (chunks, ordinal to continue from or None at the end): a chunk is one
        serialized user or a run of them joined with commas, so ``b",".join(chunks)`` is the
        inside of the ``value`` array. A run of unchanged generated users is serialized in
        one piece by :class:`.DefaultJsonWriter`, bypassing the per-user fragment cache.
        """
        users = self.users
        keys, overlay = users.overlay_keys, users.overlay
        base, end = users.base_count, users.next_ordinal
        chunks: list[bytes] = []
        o = start
        k = bisect.bisect_left(keys, o)
        count = 0  # users in chunks
        while o < end and count < top:
            while k < len(keys) and keys[k] < o:
                k += 1
            nxt = keys[k] if k < len(keys) else end
            stop = min(nxt, base, o + top - count)
            if o + BATCH_MIN <= stop:
                chunks.append(users.writer.page(o, stop))
                count += stop - o
                o = stop
            elif o < stop:  # a short run between changed users: one at a time is cheaper
                chunks.append(users.default_json(o))
                count += 1
                o += 1
            elif o == nxt:
                rec = overlay[o]
                if rec is not None:
                    chunks.append(users.default_json(o, rec))
                    count += 1
                o += 1
            else:  # past the generated range, between created users
                o = nxt
        more = any(True for _ in users.iter_live(o)) if o < end else False
        return chunks, (o if more else None)

    def _select_page(
        self, start: int, top: int, select: tuple[str, ...]
    ) -> tuple[bytes, int | None]:
        """The joined users of an unfiltered page with ``$select``."""

        def build() -> tuple[list[bytes], int | None]:
            parts: list[bytes] = []
            cont: int | None = None
            for o in self.users.iter_live(start):
                if len(parts) == top:
                    cont = o
                    break
                parts.append(orjson.dumps(project(self.users.get(o) or {}, select)))
            return parts, cont

        return self._cached_page((select, start, top), build)

    def _cached_page(
        self,
        key: tuple[Any, ...],
        build: Callable[[], tuple[list[bytes], int | None]],
    ) -> tuple[bytes, int | None]:
        """A page of joined users, cached while the directory is unchanged (a repeated
        listing then costs one dict lookup); least recently used pages go first."""
        if self.reference:
            parts, cont = build()
            return b",".join(parts), cont
        hit = self._pages.get(key)
        if hit is not None and hit[0] == self.users.version:
            self._pages.move_to_end(key)
            return hit[1], hit[2]
        parts, cont = build()
        value = b",".join(parts)
        if hit is not None:
            self._page_bytes -= len(hit[1])
        self._pages[key] = (self.users.version, value, cont)
        self._page_bytes += len(value)
        while self._page_bytes > PAGE_CACHE_BYTES and len(self._pages) > 1:
            _, old = self._pages.popitem(last=False)
            self._page_bytes -= len(old[1])
        return value, cont

    # -- page -----------------------------------------------------------------------------
    def page(self, request: Request, query: Query) -> Response:
        """The page for ``query`` (the nextLink carries the cursor)."""
        top = query.top if query.top is not None else USER_SPEC.page_max  # users always page
        token = query.token if isinstance(query.token, dict) else {}
        picked: list[tuple[int, dict[str, Any] | None]] = []
        state: dict[str, Any] | None = None
        if query.orderby is not None:
            prop, desc = query.orderby
            after = (token["k"], token["o"]) if "k" in token else None
            stream = self._ordered(prop, desc, after)
            last: tuple[str, int] | None = None
            for key, o in stream:
                if len(picked) == top:
                    state = {"k": last[0], "o": last[1]} if last else None
                    break
                picked.append((o, None))
                last = (key, o)
        elif query.filter is None and not query.select_given:
            value, cont = self._default_page(int(token.get("o", 0)), top)
            return self._body(request, query, [value], None if cont is None else {"o": cont})
        elif query.filter is None:
            select = tuple(query.select or ())
            value, cont = self._select_page(int(token.get("o", 0)), top, select)
            return self._body(request, query, [value], None if cont is None else {"o": cont})
        else:
            start = int(token.get("o", 0))
            shown = query.select if query.select_given else None
            page_key = ("filter", request.arg("$filter"), shown, start, top)
            value, cont = self._cached_page(
                page_key, lambda: self._filtered_page(query, start, top)
            )
            return self._body(request, query, [value], None if cont is None else {"o": cont})
        return self._body(request, query, self._serialize(query, picked), state)

    def _filtered_page(self, query: Query, start: int, top: int) -> tuple[list[bytes], int | None]:
        """The users of a filtered page, serialized, and the ordinal to go on from.

        Candidates come from the filter's source (:func:`.index.plan`); when it is exact,
        unchanged generated users are taken as they come (no record is built to check them)
        and serialized from arrays, as an unfiltered page is. Changed and created users are
        always checked; a scan stops after :data:`SCAN_BUDGET` checks (a short page).
        """
        users = self.users
        source = plan(query.filter, users.gen, users.base_count) if query.filter else None
        exact = source is not None and source.exact and not self.reference
        overlay, predicate = users.overlay, query.predicate
        picked: list[tuple[int, dict[str, Any] | None]] = []
        cont: int | None = None
        scanned = 0
        for o in self._filtered(source, start):
            if len(picked) == top or scanned >= SCAN_BUDGET:
                cont = o
                break
            if exact and o not in overlay:
                picked.append((o, None))
                continue
            scanned += 1
            rec = users.get(o)
            if rec is not None and (predicate is None or predicate(rec)):
                picked.append((o, rec))
        return self._serialize(query, picked), cont

    def _serialize(
        self, query: Query, picked: list[tuple[int, dict[str, Any] | None]]
    ) -> list[bytes]:
        """The JSON of each picked ``(ordinal, record or None)``."""
        users = self.users
        if query.select_given:
            return [
                orjson.dumps(project((rec if rec is not None else users.get(o)) or {},
                                     query.select))
                for o, rec in picked
            ]
        if self.reference:  # one user at a time, from the per-user reference serializer
            return [users.default_json(o, rec) for o, rec in picked]
        return users.default_json_many(picked)

    def _body(
        self, request: Request, query: Query, parts: list[bytes], state: dict[str, Any] | None
    ) -> Response:
        ctx = context(request, USER_SPEC, query.select if query.select_given else None)
        head = b'{"@odata.context":' + orjson.dumps(ctx)
        if state is not None:
            head += b',"@odata.nextLink":' + orjson.dumps(next_link(request, state))
        value = b",".join(parts)  # a cached page is its only part: no copy
        if len(value) < LARGE_BODY:
            return raw_json_response(200, b"".join((head, b',"value":[', value, b"]}")))
        # sent in three parts, so the (cached) page is never copied into a fresh buffer
        return raw_json_response(200, (head + b',"value":[', value, b"]}"))
