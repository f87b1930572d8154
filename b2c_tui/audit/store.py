"""The archive's files: one Parquet file per tenant and UTC day, each written atomically.

``<data dir>/audit/<tenant>/2025-01-15.parquet`` holds that day's entries, sorted by time, one
row per entry id. A file is replaced only whole: the new content goes to a hidden temporary file
in the same folder, is flushed to disk (fsync), then renamed over the old one (``os.replace``)
and the folder is synced, so a crash at any moment leaves either the old file or the new one.
Files and folder are private (0600/0700). A file that cannot be read is reported (never
silently dropped) and left in place for the reader; a pull that must add to such a day moves it
aside as ``<day>.parquet.corrupt-<time>`` first, so its bytes are kept for inspection.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import DICTIONARY_COLUMNS, SCHEMA

log = logging.getLogger(__name__)

_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.parquet$")
STATE_FILE = "pull-state.json"
#: Rows per Parquet row group: a view's few matches are read a row group at a time, so the
#: shown columns of 500 entries cost a few small reads, not the whole day.
ROW_GROUP = 2048


@dataclass(frozen=True)
class SkippedFile:
    """An archive file that could not be read, and why (plain text)."""

    path: Path
    reason: str


class ArchiveFiles:
    """The day files of one tenant's archive in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # -- listing --------------------------------------------------------------------------
    def days(self) -> list[date]:
        """The days that have a file, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _DAY_FILE.match(path.name)
            if match:
                with contextlib.suppress(ValueError):
                    found.append(date.fromisoformat(match.group(1)))
        return sorted(found)

    def path(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.parquet"

    # -- reading --------------------------------------------------------------------------
    def read(self, day: date, columns: list[str] | None = None, *,
             row_groups: list[int] | None = None) -> pa.Table:
        """One day's entries (``columns`` only, the ``row_groups`` given or all;
        low-cardinality text comes back dictionary-encoded). Raises on a missing or unreadable
        file, or one without a column asked for."""
        names = list(columns or SCHEMA.names)
        # Lists (policyIds, applicationIds) are read plain: pyarrow cannot read a nested
        # dictionary column that spans several pages ("Nested data conversions not implemented
        # for chunked array outputs"), which a day of a few thousand entries does.
        dictionary = [c for c in names if c in DICTIONARY_COLUMNS
                      and not pa.types.is_list(SCHEMA.field(c).type)]
        # ParquetFile rather than read_table: no dataset machinery for one known file.
        file = pq.ParquetFile(self.path(day), read_dictionary=dictionary)
        table = (file.read(columns=names) if row_groups is None
                 else file.read_row_groups(row_groups, columns=names))
        for name in names:
            if name not in table.column_names:
                raise ValueError(f"column {name} is missing")
            if not _compatible(table.schema.field(name).type, SCHEMA.field(name).type):
                raise ValueError(f"column {name} has type {table.schema.field(name).type}")
        return table.select(names)

    def stamp(self, day: date) -> tuple[int, int, int]:
        """What changes when a day's file is replaced (a new file: inode, time, size)."""
        info = self.path(day).stat()
        return info.st_ino, info.st_mtime_ns, info.st_size

    def read_many(self, days: list[date], columns: list[str] | None = None
                  ) -> tuple[list[pa.Table], list[SkippedFile]]:
        """Tables of the readable days and the files skipped, with reasons."""
        tables: list[pa.Table] = []
        skipped: list[SkippedFile] = []
        for day in days:
            try:
                tables.append(self.read(day, columns))
            except Exception as exc:  # a damaged file must not hide the others
                skipped.append(SkippedFile(self.path(day), _reason(exc)))
                log.warning("audit archive: skipping %s: %s", self.path(day).name,
                            _reason(exc))
        return tables, skipped

    # -- writing --------------------------------------------------------------------------
    def write(self, day: date, table: pa.Table) -> Path:
        """Replace ``day``'s file with ``table`` (sorted by time), atomically."""
        from ..paths import atomic_file, private_dir

        private_dir(self.folder)
        order = pc.sort_indices(table, sort_keys=[("activityDateTime", "ascending"),
                                                  ("id", "ascending")])
        table = table.take(order).cast(SCHEMA)
        with atomic_file(self.path(day), suffix=".tmp") as handle:
            pq.write_table(table, handle, compression="zstd", use_dictionary=True,
                           row_group_size=ROW_GROUP)
        self._sync_folder()
        return self.path(day)

    def quarantine(self, day: date) -> Path:
        """Move an unreadable day file aside (kept, renamed) and return its new path."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        target = self.path(day).with_name(f"{self.path(day).name}.corrupt-{stamp}")
        os.replace(self.path(day), target)
        self._sync_folder()
        return target

    def clean_temporaries(self) -> int:
        """Remove temporary files a crashed write left behind; returns how many."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed

    def _sync_folder(self) -> None:
        if os.name != "posix":
            return
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    # -- pull state -----------------------------------------------------------------------
    def load_state(self) -> dict[str, Any]:
        try:
            value = orjson.loads((self.folder / STATE_FILE).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        return value if isinstance(value, dict) else {}

    def save_state(self, state: dict[str, Any]) -> None:
        """Write the pull state atomically (temp file, fsync, rename)."""
        from ..paths import atomic_file, private_dir

        private_dir(self.folder)
        with atomic_file(self.folder / STATE_FILE, suffix=".tmp") as handle:
            handle.write(orjson.dumps(state, option=orjson.OPT_INDENT_2))

    def newest(self) -> tuple[datetime | None, list[SkippedFile]]:
        """The time of the newest readable entry (``None`` for an empty archive), looking
        back past unreadable days (which are reported)."""
        skipped: list[SkippedFile] = []
        for day in reversed(self.days()):
            try:
                times = self.read(day, ["activityDateTime"]).column("activityDateTime")
            except Exception as exc:
                skipped.append(SkippedFile(self.path(day), _reason(exc)))
                continue
            newest = pc.max(times).as_py()
            if newest is not None:
                return newest.astimezone(UTC), skipped
        return None, skipped


def _plain_type(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(kind):
        return kind.value_type
    if pa.types.is_list(kind):
        return pa.list_(_plain_type(kind.value_type))
    return kind


def _compatible(found: pa.DataType, expected: pa.DataType) -> bool:
    found = _plain_type(found)
    return bool(found == expected or (pa.types.is_timestamp(found)
                                      and pa.types.is_timestamp(expected)))


def iter_days(start: date, end: date) -> Iterator[date]:
    """Every day from ``start`` to ``end`` inclusive."""
    current = start
    while current <= end:
        yield current
        current = date.fromordinal(current.toordinal() + 1)


def _reason(exc: BaseException) -> str:
    from ..graph.redact import redact

    text = f"{type(exc).__name__}: {exc}"
    text = redact(text)
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:300]
