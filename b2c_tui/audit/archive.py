"""A tenant's audit archive: what the pane and ``b2c-tui audit show`` read.

    archive = AuditArchive.for_tenant("contoso.onmicrosoft.com")
    found = archive.query(AuditFilter(category="Authentication", result="failure"), limit=500)
    found.table          # pyarrow Table, newest first (found.frame() for pandas)
    found.skipped        # files that could not be read, with reasons
    archive.entries(found.table.column("id").to_pylist()[:5])   # whole entries

:func:`merge_views` joins what the tenant returns (its last seven days) with the archive,
each entry once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .query import AuditFilter
from .schema import DICTIONARY_COLUMNS, VIEW_COLUMNS, empty_table, entries_of, to_table
from .store import ROW_GROUP, ArchiveFiles, SkippedFile, _reason

#: Days read at once by a query.
READ_THREADS = 4
#: Columns kept in memory between queries: timestamps, low-cardinality text (a few bytes a
#: row) and the targets' names (about 40 bytes a row: free text reads them on every query);
#: ids are read again when a filter needs them.
CACHED_COLUMNS = frozenset({"activityDateTime", "targets", *DICTIONARY_COLUMNS})

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ArchiveResult:
    """Matching entries (``table``: the view columns, newest first unless asked otherwise),
    how many matched before ``limit``, and the files skipped because they could not be read."""

    table: pa.Table
    matched: int
    skipped: list[SkippedFile] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """``table`` as a DataFrame (Arrow-backed text, UTC timestamps)."""
        import pandas as pd

        table = self.table
        for index, column in enumerate(table.columns):
            if pa.types.is_dictionary(column.type):
                table = table.set_column(index, table.field(index).name,
                                         pc.cast(column, column.type.value_type))
        return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


class AuditArchive:
    """One tenant's archive folder (see :mod:`b2c_tui.audit.store` for the files).

    A query reads in two steps: the columns its filter needs, from every day in its time
    range, to find the matches (timestamps and low-cardinality columns are kept in memory
    between queries, per file, until the file changes: the pane's next filter does not read
    them again); then the shown columns of the matches it returns, a row group at a time."""

    def __init__(self, folder: str | Path) -> None:
        self.files = ArchiveFiles(Path(folder))
        self._cache: dict[date, tuple[tuple[int, int, int], pa.Table]] = {}

    @classmethod
    def for_tenant(cls, tenant: str) -> AuditArchive:
        """The archive under the user's data folder (``paths.tenant_dir("audit", tenant)``)."""
        from ..paths import tenant_dir

        return cls(tenant_dir("audit", tenant))

    @property
    def folder(self) -> Path:
        return self.files.folder

    def days(self) -> list[date]:
        """Days with a file, oldest first."""
        return self.files.days()

    def query(self, where: AuditFilter | None = None, *, columns: Sequence[str] | None = None,
              limit: int | None = None, newest_first: bool = True) -> ArchiveResult:
        """Entries matching ``where`` over the whole archive, answered locally.

        Only the days in ``where``'s time range are opened; an unreadable file is skipped and
        listed in the result (never silently). ``limit`` keeps the newest (or oldest)
        matches; ``matched`` counts them all."""
        where = where or AuditFilter()
        shown = list(columns or VIEW_COLUMNS)
        days: list[date] = []
        skipped: list[SkippedFile] = []
        hits_time: list[np.ndarray] = []
        hits_row: list[np.ndarray] = []
        names = sorted(where.columns())
        for day, table in self._read_days(where.days(self.days()), names, skipped):
            mask = where.mask(table)
            rows = (np.arange(table.num_rows) if mask is None
                    else np.flatnonzero(mask.to_numpy(zero_copy_only=False)))
            days.append(day)
            hits_row.append(rows)
            times = table.column("activityDateTime").to_numpy().view(np.int64)
            hits_time.append(times[rows])
        matched = int(sum(len(r) for r in hits_row))
        if not matched:
            return ArchiveResult(empty_table(shown), 0, skipped)
        times = np.concatenate(hits_time)
        owner = np.concatenate([np.full(len(r), i) for i, r in enumerate(hits_row)])
        rows = np.concatenate(hits_row)
        picked = _order(times, limit, newest_first)
        table = self._shown(days, owner[picked], rows[picked], shown, skipped)
        return ArchiveResult(table, matched, skipped)

    def _read_days(self, days: list[date], names: list[str], skipped: list[SkippedFile]
                   ) -> list[tuple[date, pa.Table]]:
        """``names`` of each day, read by a few threads (pyarrow decodes without the GIL);
        unreadable days go to ``skipped``."""
        def one(day: date) -> tuple[date, pa.Table | BaseException]:
            try:
                return day, self._filter_columns(day, names)
            except Exception as exc:  # a damaged file must not hide the others
                return day, exc

        with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
            results = list(pool.map(one, days))
        found = []
        for day, outcome in results:
            if isinstance(outcome, BaseException):
                skipped.append(SkippedFile(self.files.path(day), _reason(outcome)))
            else:
                found.append((day, outcome))
        return found

    def _filter_columns(self, day: date, names: list[str]) -> pa.Table:
        """``names`` of one day, from memory where they were read before (and the file has
        not changed since); only cheap columns are kept."""
        stamp = self.files.stamp(day)
        cached = self._cache.get(day)
        held = cached[1] if cached is not None and cached[0] == stamp else None
        missing = [n for n in names if held is None or n not in held.column_names]
        if missing:
            # One chunk per column (a file has a chunk per row group): a filter then costs a
            # few compute calls per day, not per row group.
            fresh = self.files.read(day, missing).unify_dictionaries().combine_chunks()
            keep = [n for n in missing if n in CACHED_COLUMNS]
            if keep:
                base = held if held is not None else fresh.select([])
                for name in keep:
                    base = base.append_column(name, fresh.column(name))
                self._cache[day] = (stamp, base)
                held = base
            columns = {n: fresh.column(n) for n in missing}
        else:
            columns = {}
        return pa.table({n: columns[n] if n in columns else held.column(n)  # type: ignore
                         for n in names})

    def _shown(self, days: list[date], owner: np.ndarray, rows: np.ndarray,
               shown: list[str], skipped: list[SkippedFile]) -> pa.Table:
        """The ``shown`` columns of the picked rows, in the order picked: columns held in
        memory are taken from there, the others read from the row groups holding the rows."""
        parts: list[pa.Table] = []
        positions: list[np.ndarray] = []
        for index in np.unique(owner):
            day = days[int(index)]
            mine = np.flatnonzero(owner == index)
            wanted = rows[mine]
            try:
                parts.append(self._rows_of(day, wanted, shown))
            except Exception as exc:
                skipped.append(SkippedFile(self.files.path(day), _reason(exc)))
                continue
            positions.append(mine)
        if not parts:
            return empty_table(shown)
        table = pa.concat_tables([_plain_lists(t) for t in parts], promote_options="permissive")
        order = np.argsort(np.concatenate(positions), kind="stable")
        return table.take(pa.array(order))

    def _rows_of(self, day: date, wanted: np.ndarray, shown: list[str]) -> pa.Table:
        cached = self._cache.get(day)
        held = cached[1] if cached is not None and cached[0] == self.files.stamp(day) else None
        have = set(held.column_names) if held is not None else set()
        columns: dict[str, Any] = {}
        missing = [n for n in shown if n not in have]
        if missing:
            groups = np.unique(wanted // ROW_GROUP)
            table = self.files.read(day, missing, row_groups=[int(g) for g in groups])
            # Row r of the day is row (r - its group's start) after the groups read before it.
            starts = np.zeros(int(groups.max()) + 1, dtype=np.int64)
            starts[groups] = np.arange(len(groups)) * ROW_GROUP
            local = pa.array(starts[wanted // ROW_GROUP] + wanted % ROW_GROUP)
            columns.update({n: table.column(n).take(local) for n in missing})
        if held is not None:
            at = pa.array(wanted)
            columns.update({n: held.column(n).take(at) for n in shown if n in have})
        return pa.table({n: columns[n] for n in shown})

    def entries(self, ids: Iterable[str], *, days: Sequence[date] | None = None
                ) -> list[dict[str, Any]]:
        """The whole archived entries with these ids (in archive order); ``days`` narrows the
        files searched (the days of the entries' ``activityDateTime``)."""
        wanted = pa.array(list(dict.fromkeys(ids)), type=pa.string())
        if not len(wanted):
            return []
        found: list[dict[str, Any]] = []
        tables, _ = self.files.read_many(list(days) if days is not None else self.days(),
                                         ["id", "entry"])
        for table in tables:
            hits = table.filter(pc.is_in(table.column("id"), value_set=wanted))
            found.extend(entries_of(hits))
        return found

    def count(self) -> tuple[int, list[SkippedFile]]:
        """Entries archived (from the files' metadata) and unreadable files."""
        import pyarrow.parquet as pq

        total, skipped = 0, []
        for day in self.days():
            path = self.files.path(day)
            try:
                total += pq.ParquetFile(path).metadata.num_rows
            except Exception as exc:
                skipped.append(SkippedFile(path, f"{type(exc).__name__}: {exc}"[:300]))
        return total, skipped


def _order(times: np.ndarray, limit: int | None, newest_first: bool) -> np.ndarray:
    """Positions of the ``limit`` newest (or oldest) times, in that order (ties: stable)."""
    keys = -times if newest_first else times
    if limit is not None and limit < len(keys):
        if limit <= 0:
            return np.zeros(0, dtype=np.int64)
        top = np.argpartition(keys, limit - 1)[:limit]
        return top[np.argsort(keys[top], kind="stable")]
    return np.argsort(keys, kind="stable")


def _plain_lists(table: pa.Table) -> pa.Table:
    """List columns with dictionary items as plain text lists (days' dictionaries differ)."""
    for index, field_ in enumerate(table.schema):
        if pa.types.is_list(field_.type) and pa.types.is_dictionary(field_.type.value_type):
            table = table.set_column(index, field_.name,
                                     pc.cast(table.column(index), pa.list_(pa.string())))
    return table


def merge_views(tenant: Iterable[Mapping[str, Any]] | pa.Table, archived: pa.Table,
                *, newest_first: bool = True) -> pa.Table:
    """The tenant's entries (records from Graph, or a table from :func:`to_table`) and the
    archive's, each id once (the tenant's copy wins), sorted by time. Columns: those of
    ``archived``."""
    fresh = tenant if isinstance(tenant, pa.Table) else to_table(tenant)
    columns = archived.column_names
    fresh = fresh.select(columns)
    archived = archived.filter(pc.invert(pc.is_in(archived.column("id"),
                                                  value_set=fresh.column("id"))))
    fresh = _like(fresh, archived)
    table = pa.concat_tables([fresh, archived], promote_options="permissive")
    order = pc.sort_indices(table, sort_keys=[
        ("activityDateTime", "descending" if newest_first else "ascending"), ("id", "ascending")])
    return table.take(order)


def _like(table: pa.Table, model: pa.Table) -> pa.Table:
    """``table`` with dictionary columns where ``model`` has them (so both concatenate)."""
    for index, name in enumerate(table.column_names):
        wanted = model.schema.field(name).type
        if table.schema.field(name).type != wanted:
            table = table.set_column(index, name, pc.cast(table.column(name), wanted))
    return table
