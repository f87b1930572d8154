"""Records -> one DataFrame in the notebook dtypes, built once at the end of a listing.

Why not the explorer's :class:`~b2c_tui.frames.paged.PagedFrame`: it turns every page into
display-ready arrays as it arrives (shared strings, timestamps parsed a page at a time) so the
table can show rows at once. A notebook wants a single frame when the listing is done; keeping
plain value lists and converting each column once (Arrow strings straight from the list, one
timestamp parse) costs about half as much CPU, which is most of what the facade adds to the
raw client (``benchmarks/bench_api.py``). Cell values are the same: :meth:`Column.value
<b2c_tui.frames.columns.Column.value>`'s flattening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..frames.columns import Column, flatten_value, visible

#: Arrow-backed text with ``<NA>`` for missing values.
TEXT = pd.StringDtype("pyarrow")
TIMESTAMP = "datetime64[ns, UTC]"
_MIN = pd.Timestamp.min.tz_localize("UTC")
_MAX = pd.Timestamp.max.tz_localize("UTC")
_PLAIN = (str, bool, int, float)


class FrameBuilder:
    """The values of ``columns`` (and ``id``) for every record added, as plain lists."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = [c for c in visible(columns) if c.key != "id"]
        self.values: dict[str, list[Any]] = {"id": [], **{c.key: [] for c in self.columns}}

    @property
    def keys(self) -> list[str]:
        return list(self.values)

    def add(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append the cells of ``records`` (nested values flattened as the explorer shows
        them)."""
        self.values["id"].extend([r.get("id") for r in records])
        for column in self.columns:
            get, key = column.get, column.key
            raw = [r.get(key) for r in records] if get is None else [get(r) for r in records]
            self.values[key].extend([v if v is None or type(v) in _PLAIN else flatten_value(v)
                                     for v in raw])

    def __len__(self) -> int:
        return len(self.values["id"])

    def frame(self, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
        """The rows as a DataFrame: ``id`` first, each column in its notebook dtype."""
        kinds = {c.key: c.kind for c in self.columns}
        data = {key: column(values, kinds.get(key, "text"), (dtypes or {}).get(key))
                for key, values in self.values.items()}
        return pd.DataFrame(data, columns=self.keys)


def column(values: list[Any], kind: str, want: str | None = None) -> Any:
    """One column's values in its notebook dtype (``want``: ``bool`` or ``Int64``)."""
    if kind == "bool":
        flags = pd.array([v if type(v) is bool else None for v in values], dtype="boolean")
        return flags.astype(bool) if want == "bool" and not flags.isna().any() else flags
    if kind == "datetime":
        texts = pd.Series([v if type(v) is str and v else None for v in values], dtype=object)
        moments = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
        in_range = moments.isna() | ((moments >= _MIN) & (moments <= _MAX))
        return moments.where(in_range).astype(TIMESTAMP).array
    if kind == "number":
        numbers = pd.to_numeric(pd.Series([None if type(v) is bool else v for v in values],
                                          dtype=object), errors="coerce")
        if want == "Int64":
            try:
                return numbers.astype("Int64").array
            except (TypeError, ValueError):  # a fraction after all: keep it exact
                pass
        return numbers.astype("Float64").array
    return pd.array([v if v is None or type(v) is str else str(v) for v in values], dtype=TEXT)


def build(records: Iterable[Mapping[str, Any]], columns: Sequence[Column],
          dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A frame of records already in hand."""
    builder = FrameBuilder(columns)
    builder.add(list(records))
    return builder.frame(dtypes)
