"""Parquet exports: typed columns (text, booleans, UTC timestamps, numbers) named by
``Column.key``, written in row groups of about :data:`ROW_GROUP` rows.

Parquet feeds programs, not spreadsheets or terminals: no formula guard and no escaping of
control characters; nested values are flattened to text (denied keys removed) as in CSV."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ._export_cells import getter, raw_texts
from ._export_io import PartialFile
from .columns import Column

#: Rows buffered before a row group is written.
ROW_GROUP = 65_536

_TYPES = {"text": pa.string(), "bool": pa.bool_(), "datetime": pa.timestamp("us", tz="UTC"),
          "number": pa.float64()}


def _array(values: list[Any], kind: str, denied: frozenset[str]) -> pa.Array:
    if kind == "bool":
        return pa.array([v if isinstance(v, bool) else None for v in values], type=pa.bool_())
    if kind == "datetime":
        stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601",
                                errors="coerce")
        return pa.array(stamps.dt.as_unit("us"), type=_TYPES["datetime"])
    if kind == "number":
        numbers = pd.to_numeric(pd.Series([None if isinstance(v, bool) else v for v in values],
                                          dtype=object), errors="coerce")
        return pa.array(numbers.astype("float64"), type=pa.float64(), from_pandas=True)
    texts, _ = raw_texts(values, False, denied)
    try:
        return pa.array(texts, type=pa.string())
    except UnicodeEncodeError:  # a lone surrogate: its \udXXX escape, as in CSV
        return pa.array([t.encode("utf-8", "backslashreplace").decode("utf-8")
                         if isinstance(t, str) else t for t in texts], type=pa.string())


class ParquetSink:
    """Writes pages to a Parquet file; :meth:`close` writes the footer (without it the file is
    not readable, so a kept partial export is closed too)."""

    def __init__(self, partial: PartialFile, cols: list[Column], *, denied: frozenset[str]):
        self.partial, self.denied = partial, denied
        self.kinds = [c.kind for c in cols]
        self.getters = [getter(c) for c in cols]
        self.schema = pa.schema([(c.key, _TYPES.get(c.kind, pa.string())) for c in cols])
        self.writer = pq.ParquetWriter(partial.open_binary(), self.schema, compression="zstd")
        self._pending: list[pa.RecordBatch] = []
        self._rows = 0

    def write(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        arrays = [_array(get(items), kind, self.denied)
                  for get, kind in zip(self.getters, self.kinds, strict=True)]
        self._pending.append(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self._rows += len(items)
        if self._rows >= ROW_GROUP:
            self.finish()

    def finish(self) -> None:
        """Write the buffered rows as one row group."""
        if self._pending:
            self.writer.write_table(pa.Table.from_batches(self._pending, schema=self.schema))
            self._pending, self._rows = [], 0

    def close(self) -> None:
        self.finish()
        self.writer.close()
