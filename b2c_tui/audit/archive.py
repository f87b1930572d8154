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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .query import AuditFilter
from .schema import VIEW_COLUMNS, empty_table, entries_of, to_table
from .store import ArchiveFiles, SkippedFile

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
    """One tenant's archive folder (see :mod:`b2c_tui.audit.store` for the files)."""

    def __init__(self, folder: str | Path) -> None:
        self.files = ArchiveFiles(Path(folder))

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

        Only the days in ``where``'s time range are opened and only the columns needed are
        read; an unreadable file is skipped and listed in the result (never silently)."""
        where = where or AuditFilter()
        shown = list(columns or VIEW_COLUMNS)
        needed = list(dict.fromkeys([*shown, *sorted(where.columns())]))
        tables, skipped = self.files.read_many(where.days(self.days()), needed)
        if not tables:
            return ArchiveResult(empty_table(shown), 0, skipped)
        table = pa.concat_tables(tables, promote_options="permissive")
        mask = where.mask(table)
        if mask is not None:
            table = table.filter(mask)
        matched = table.num_rows
        order = pc.sort_indices(table, sort_keys=[
            ("activityDateTime", "descending" if newest_first else "ascending"),
            ("id", "ascending")])
        if limit is not None:
            order = order[:limit]
        return ArchiveResult(table.select(shown).take(order), matched, skipped)

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
