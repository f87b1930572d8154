"""A DataFrame that grows a Graph page at a time, holding only the columns a view shows.

Raw records are not kept: a million users as JSON dicts would take gigabytes. Each page is
reduced to its column values in compact dtypes (``str`` for text with repeated values shared,
``bool``/``boolean`` for flags, ``datetime64[us, UTC]`` for timestamps), plus the object ``id``
so a caller can re-fetch the full record when a detail view opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .columns import Column, visible

#: A text column whose first values hold more distinct strings than this is not pooled.
POOL_LIMIT = 4096


class _Pool:
    """Shares equal strings of a low-cardinality column (``LocalAccount``, ``Member``, ...)."""

    __slots__ = ("active", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.active = True

    def share(self, items: list[Any]) -> list[Any]:
        if not self.active:
            return items
        setdefault = self.values.setdefault
        shared = [setdefault(v, v) if isinstance(v, str) else v for v in items]
        if len(self.values) > POOL_LIMIT:  # high cardinality: pooling would only cost memory
            self.active = False
            self.values = {}
        return shared


#: Loaded text stays in Python-object storage (pandas' ``str`` without pyarrow): the table reads
#: single cells and scans ids in numpy, both of which would convert Arrow-backed strings back
#: to Python objects on every access. The notebook API converts to Arrow strings itself.
TEXT_DTYPE = pd.StringDtype("python", na_value=np.nan)


def _text(values: list[Any]) -> Any:
    items = [v if v is None or isinstance(v, str) else str(v) for v in values]
    return pd.array(items, dtype=TEXT_DTYPE)


def _bool(values: list[Any]) -> Any:
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool)
    return pd.array([v if isinstance(v, bool) else None for v in values], dtype="boolean")


def _datetime(values: list[Any]) -> Any:
    items = [v if isinstance(v, str) and v else None for v in values]
    index = pd.to_datetime(items, utc=True, format="ISO8601", errors="coerce")
    return pd.DatetimeIndex(index).as_unit("us").array


def _number(values: list[Any]) -> Any:
    items = [None if isinstance(v, bool) else v for v in values]
    return pd.to_numeric(pd.Series(items, dtype=object), errors="coerce").to_numpy()


_CONVERTERS = {"bool": _bool, "datetime": _datetime, "number": _number}


def _plain(series: pd.Series) -> list[Any]:
    """A column's values as JSON-ready Python objects (``None`` for missing)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series):
        series = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return series.astype(object).where(series.notna(), None).tolist()


def _concat(arrays: list[Any]) -> Any:
    """One column from its pages' arrays. Pages of one array type are joined by that type
    (``np.concatenate``, ``ExtensionArray._concat_same_type``: about 7x faster than
    ``pd.concat`` of a thousand Series); a column whose pages differ (a flag column with and
    without missing values) goes through ``pd.concat``."""
    kinds = {type(a) for a in arrays}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is np.ndarray and len({a.dtype for a in arrays}) == 1:
            return pd.Series(np.concatenate(arrays), copy=False)
        if isinstance(arrays[0], pd.api.extensions.ExtensionArray) and \
                len({a.dtype for a in arrays}) == 1:
            return pd.Series(kind._concat_same_type(arrays), copy=False)
    return pd.concat([pd.Series(a, copy=False) for a in arrays], ignore_index=True)


class PagedFrame:
    """Rows of one resource view, appended a Graph page at a time.

    ``frame`` has an ``id`` column (always, shown or not) and one column per visible spec, keyed
    by ``Column.key``. ``has_more`` is set by the caller from ``@odata.nextLink``: B2C has no
    ``$count``, so "more available" is all that is known about the total.

    Pages are kept as plain column arrays, not DataFrames: a DataFrame is some 60 objects the
    garbage collector walks on every full collection, a page of arrays about a dozen, which
    keeps GC pauses from growing with the rows loaded.
    """

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns: tuple[Column, ...] = tuple(visible(columns))
        self.has_more = False
        self._pages: list[dict[str, Any]] = []
        self._rows = 0
        #: ids of rows removed since they were loaded (deleted objects)
        self._removed: set[str] = set()
        self._frame: pd.DataFrame | None = None
        self._pools = {c.key: _Pool() for c in self.columns if c.kind == "text"}

    @property
    def keys(self) -> list[str]:
        """The frame's column names: ``id`` then each visible column's key."""
        return ["id", *(c.key for c in self.columns if c.key != "id")]

    def add_records(self, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """Append one page of Graph records; returns it as a DataFrame (index = row positions,
        sharing the stored arrays)."""
        rows = list(records)
        arrays: dict[str, Any] = {"id": _text([r.get("id") for r in rows])}
        for column in self.columns:
            if column.key == "id":
                continue
            values = [column.value(r) for r in rows]
            convert = _CONVERTERS.get(column.kind)
            if convert is not None:
                arrays[column.key] = convert(values)
            else:
                arrays[column.key] = _text(self._pools[column.key].share(values))
        start = self._rows
        self._pages.append(arrays)
        self._rows += len(rows)
        self._frame = None
        return self._page_frame(arrays, start)

    def _page_frame(self, arrays: dict[str, Any], start: int) -> pd.DataFrame:
        index = pd.RangeIndex(start, start + len(arrays["id"]))
        return pd.DataFrame(arrays, index=index, columns=self.keys, copy=False)

    def discard(self, ids: Iterable[str]) -> None:
        """Forget the loaded rows with these ids (objects deleted since they were listed).

        O(ids): the rows are only left out when :attr:`frame` or :attr:`chunks` are next built
        (which is O(rows) anyway). ``ids`` must be ids of loaded rows (each loaded once, as
        Graph lists them), so that ``len()`` stays exact without a search.
        """
        self._removed.update(map(str, ids))
        self._frame = None

    def _kept(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not self._removed:
            return frame
        return frame[~frame["id"].isin(self._removed)]

    @property
    def chunks(self) -> tuple[pd.DataFrame, ...]:
        """Each page as a DataFrame (built on demand; they share the stored arrays unless rows
        were discarded from them). The index is each row's position in arrival order."""
        return tuple(self.iter_chunks())

    def iter_chunks(self) -> Iterator[pd.DataFrame]:
        """:attr:`chunks`, one page at a time (O(page) each: for streaming the loaded rows)."""
        start = 0
        for arrays in list(self._pages):
            yield self._kept(self._page_frame(arrays, start))
            start += len(arrays["id"])

    def iter_records(self) -> Iterator[list[dict[str, Any]]]:
        """The loaded rows as they are shown, a page of plain records at a time: keyed by
        ``Column.key`` (``id`` first), missing values ``None``, times in Graph's ISO form."""
        keys = self.keys
        for chunk in self.iter_chunks():
            values = [_plain(chunk[key]) for key in keys]
            yield [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)]

    def values_of(self, ids: Iterable[str], key: str) -> dict[str, Any]:
        """Column ``key`` of the loaded rows with these ids, by id (discarded rows and ids not
        loaded left out). O(rows) in numpy, a page at a time: :attr:`frame` is neither built
        nor kept."""
        wanted = set(map(str, ids))
        found: dict[str, Any] = {}
        if not wanted or key not in self.keys:
            return found
        for chunk in self.iter_chunks():
            hits = chunk[chunk["id"].isin(wanted)]
            found.update(zip(hits["id"], hits[key], strict=True))
            if len(found) == len(wanted):
                break
        return found

    def plan_values(self, updates: Mapping[str, Mapping[str, Any]]
                    ) -> list[tuple[int, str, Any]]:
        """New column arrays holding ``updates`` (object id -> {column key: the property's
        new value, as Graph has it}) for the loaded pages that have those ids: ``(page start
        row, column key, array)`` each. O(rows) to find the ids, O(page) per page changed;
        reads a snapshot of the pages, so it may run in a thread. :meth:`set_arrays` puts
        them in (after a commit the loaded rows show the values Graph took)."""
        by_column = {c.key: c for c in self.columns if c.key != "id"}
        wanted = {str(k): v for k, v in updates.items()}
        planned: list[tuple[int, str, Any]] = []
        start = 0
        for arrays in list(self._pages):
            ids = np.asarray(arrays["id"], dtype=object)
            hits = [(int(i), str(ids[i])) for i in np.flatnonzero(np.isin(ids, list(wanted)))]
            for key in {k for _, object_id in hits for k in wanted[object_id]}:
                column = by_column.get(key)
                if column is None:
                    continue
                values = _plain(pd.Series(arrays[key], copy=False))
                for local, object_id in hits:
                    if key in wanted[object_id]:
                        values[local] = Column(key, key).value(
                            {key: wanted[object_id][key]})
                convert = _CONVERTERS.get(column.kind, _text)
                planned.append((start, key, convert(values)))
            start += len(arrays["id"])
        return planned

    def set_arrays(self, planned: Iterable[tuple[int, str, Any]]) -> None:
        """Put in the arrays :meth:`plan_values` made (pages not found are skipped)."""
        index, start = {}, 0
        for number, arrays in enumerate(self._pages):
            index[start] = number
            start += len(arrays["id"])
        for page_start, key, array in planned:
            found = index.get(page_start)
            if found is not None and len(self._pages[found]["id"]) == len(array):
                # a new dict: snapshots taken before (an export running) keep what they had
                self._pages[found] = {**self._pages[found], key: array}
        self._frame = None

    def snapshot(self) -> PagedFrame:
        """The rows loaded now, as a frame that later pages and discards leave alone.

        O(pages + discarded ids), sharing the page arrays: take it on the event loop, then
        build its :attr:`frame` in a thread while this one keeps growing. Read-only: it takes
        no pages."""
        copy = PagedFrame.__new__(PagedFrame)
        copy.columns, copy.has_more = self.columns, self.has_more
        copy._pages, copy._rows = list(self._pages), self._rows
        copy._removed, copy._frame = set(self._removed), self._frame
        copy._pools = {}
        return copy

    @property
    def frame(self) -> pd.DataFrame:
        """All rows loaded so far (less the discarded ones), concatenated on first use after a
        change and then cached.

        Concatenation is O(rows) and the cached copy holds the rows a second time: call it from
        a worker, an export or a script, not per keystroke (the TUI takes pages as they come).
        """
        if self._frame is None:
            if not self._pages:
                self._frame = self._empty()
            elif len(self._pages) == 1:
                self._frame = self._page_frame(self._pages[0], 0)
            else:
                self._frame = pd.DataFrame({
                    key: _concat([p[key] for p in self._pages]) for key in self.keys
                }, columns=self.keys)
            if self._removed:
                self._frame = self._kept(self._frame).reset_index(drop=True)
        return self._frame

    def _empty(self) -> pd.DataFrame:
        return pd.DataFrame({"id": _text([]), **{
            c.key: (_CONVERTERS.get(c.kind) or _text)([]) for c in self.columns if c.key != "id"
        }}, columns=self.keys)

    def __len__(self) -> int:
        return self._rows - len(self._removed)

    def memory_bytes(self) -> int:
        """Bytes held by the loaded rows (``memory_usage(deep=True)``; O(rows); a string
        shared by many rows is counted once per row)."""
        return int(sum(pd.Series(a, copy=False).memory_usage(deep=True, index=False)
                       for page in self._pages for a in page.values()))

    def clear(self) -> None:
        """Forget every row (``has_more`` is reset too)."""
        self._pages.clear()
        self._rows = 0
        self._removed = set()
        self._frame = None
        self.has_more = False
        self._pools = {c.key: _Pool() for c in self.columns if c.kind == "text"}
