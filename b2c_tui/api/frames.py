"""Listing a family into a DataFrame: columns chosen by name, the B2C-checked query, paging with
a limit, and the notebook dtypes.

Dtypes (documented in the README, "From a notebook"):

- text: Arrow-backed strings (``string[pyarrow]``, missing values ``<NA>``);
- timestamps: ``datetime64[ns, UTC]`` (a value outside that range, such as Graph's
  ``0001-01-01``, becomes ``NaT``);
- flags: ``bool`` where Graph always sends the property, nullable ``boolean`` where it may be
  missing (a "bool" column that does come back with a gap is kept ``boolean``, never filled in);
- numbers: nullable ``Int64`` for counts, ``Float64`` otherwise;
- lists and nested values: the shape the explorer shows, lists joined with ``; `` and objects as
  ``k=v, ...`` text, with the important nested values given their own columns (a user's sign-in
  names, an audit entry's initiator and targets, a flow's providers...).

Every frame has the object ``id`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..frames.columns import Column, select_for, visible
from ..graph.errors import UnsupportedQueryError
from ..graph.query import Filter, Query
from .builder import FrameBuilder, build
from .progress import Progress

Record = dict[str, Any]
Pages = Any  # a PageIterator, ChainedPages or anything with __anext__ and aclose()
#: ``pages(client, query, prefetch, **options)``: a family's listing on the Graph client.
PagesOf = Callable[..., Pages]


def _denied(name: str) -> bool:
    """A property the export never writes (passwords, client secrets, key material...)."""
    from ..frames.export import DENIED_PROPERTIES

    return name.split("/", 1)[0].lower() in {p.lower() for p in DENIED_PROPERTIES}


@dataclass(frozen=True)
class Listing:
    """What a family can be asked: its columns, and which query options Graph takes for it.

    ``resource`` names the collection's B2C query rules (``None``: Graph cannot filter it, so a
    ``filter=`` is refused before anything is sent); ``max_top`` is the largest page Graph
    gives (``None``: no ``$top``, a limit is applied as records arrive); ``server_select``
    sends ``$select`` for the chosen columns. ``dtypes`` maps column keys to ``bool`` (never
    missing) or ``Int64`` (a count). ``pages`` lists the family on the Graph client
    (``pages(client, query, prefetch, **options)``), for families listed as they page.
    """

    title: str
    columns: tuple[Column, ...]
    optional: tuple[Column, ...] = ()
    resource: str | None = None
    max_top: int | None = None
    server_select: bool = False
    dtypes: Mapping[str, str] = field(default_factory=dict)
    pages: PagesOf | None = None

    @property
    def known(self) -> dict[str, Column]:
        """Every column of the family by key (default and optional)."""
        return {c.key: c for c in (*self.columns, *self.optional)}

    def choose(self, select: Iterable[str] | str | None,
               extra: Sequence[Column] = ()) -> list[Column]:
        """The columns for ``select`` (names of columns, or any Graph property, which becomes a
        column of its own), else the default ones plus ``extra``. Secret columns are refused."""
        if select is None:
            return [*self.columns, *extra]
        names = [select] if isinstance(select, str) else list(select)
        known = {**self.known, **{c.key: c for c in extra}}
        chosen: list[Column] = []
        for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
            column = known.get(name) or Column(name, name)
            if column.secret or _denied(name):
                raise UnsupportedQueryError(
                    f"{name} is secret: it is never selected, shown or exported.")
            if name != "id":
                chosen.append(column)
        return chosen

    def query(self, columns: Sequence[Column], filter: str | Filter | None,
              limit: int | None) -> tuple[Query | None, bool]:
        """The checked query (``None`` when there is nothing to ask) and whether to prefetch.

        A limit of at most one page asks for exactly that many (``$top=limit``) and does not
        prefetch, so it costs one request.
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise ValueError(f"limit must be a whole number of at least 1, not {limit!r}")
        if filter is not None and self.resource is None:
            raise UnsupportedQueryError(
                f"Graph cannot filter {self.title.lower()}; load them and filter the DataFrame "
                "(df.query(...) or a boolean mask) instead.")
        query = Query(self.resource or None)
        if filter is not None:
            query = query.filter(filter)
        if self.server_select:
            query = query.select(*select_for(columns))
        top = None
        if self.max_top is not None:
            top = min(limit, self.max_top) if limit is not None else self.max_top
            query = query.top(top)
        prefetch = limit is None or top is None or limit > top
        return (query if query.params() else None), prefetch


async def collect(pages: Pages, columns: Sequence[Column], *, limit: int | None,
                  progress: Progress | None,
                  prepare: Callable[[Record], Record] | None = None,
                  into: FrameBuilder | None = None) -> FrameBuilder:
    """Page through ``pages`` into a :class:`FrameBuilder` of ``columns`` (or onto ``into``)
    until it holds ``limit`` rows, counting rows on ``progress``; the iterator is closed
    either way."""
    rows = into if into is not None else FrameBuilder(columns)
    try:
        while limit is None or len(rows) < limit:
            try:
                page = await pages.__anext__()
            except StopAsyncIteration:
                break
            items = page.items
            if prepare is not None:
                items = [prepare(item) for item in items]
            if limit is not None:
                items = items[: limit - len(rows)]
            rows.add(items)
            if progress is not None:
                progress.add(len(items))
    finally:
        await pages.aclose()
    return rows


async def listing_frame(spec: Listing, pages: Callable[[Query | None, bool], Pages], *,
                        select: Iterable[str] | str | None, filter: str | Filter | None,
                        limit: int | None, progress: Progress | None,
                        extra: Sequence[Column] = (),
                        prepare: Callable[[Record], Record] | None = None) -> pd.DataFrame:
    """The whole recipe: choose columns, build the checked query, page, convert."""
    columns = visible(spec.choose(select, extra))
    query, prefetch = spec.query(columns, filter, limit)
    rows = await collect(pages(query, prefetch), columns, limit=limit, progress=progress,
                         prepare=prepare)
    return rows.frame(spec.dtypes)


def records_frame(records: Iterable[Record], columns: Sequence[Column],
                  dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A frame of records already in hand (a singleton, keys of keysets...)."""
    return build(records, columns, dtypes)


