"""Export cells as Arrow string arrays: guarded and escaped with ``pyarrow.compute``, written by
``pyarrow.csv``.

Both exports end here: the loaded rows (a DataFrame, a column at a time, without a Python loop
over cells for text, booleans, numbers and dates) and the streamed pages (a page's values from
the columns' getters). Every cell becomes text first, so both write the same bytes for the same
values. The formula guard and the escaping of control characters are regular expressions run
by Arrow over a whole column; only the rare cells that hold a control character go through
Python (``str.translate``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ._export_cells import _DENIED_LOWER, FORMULA_PREFIXES, Getter, raw_texts
from .columns import Column

#: Characters written escaped by default: Unicode's control characters (``Cc``: C0, DEL, C1)
#: except TAB, LF and CR, which CSV cells may legitimately hold. ESC, BEL, CSI (U+009B) and
#: friends are what lets a file drive the terminal that ``cat``-s it.
ESCAPED_CONTROLS = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
_ESCAPES = {code: f"\\u{code:04x}" for code in ESCAPED_CONTROLS}
_C0_ESCAPED = np.zeros(256, dtype=bool)
_C0_ESCAPED[[c for c in ESCAPED_CONTROLS if c < 0x80]] = True
_FORMULA_FIRST = np.zeros(256, dtype=bool)
_FORMULA_FIRST[[ord(c) for c in FORMULA_PREFIXES]] = True


def escape_controls(text: str) -> str:
    """``text`` with each escaped control character written as ``\\uXXXX`` (``\\x1b`` becomes
    the six characters ``\\u001b``); TAB, LF and CR are kept."""
    return text.translate(_ESCAPES)


def text_array(values: Sequence[Any]) -> pa.Array:
    """Python texts (``None`` for missing) as an Arrow string array.

    A lone surrogate (which UTF-8 cannot hold) is written as its ``\\udXXX`` escape, as a
    text file opened with ``errors="backslashreplace"`` would."""
    try:
        return pa.array(values, type=pa.string())
    except UnicodeEncodeError:
        return pa.array([v.encode("utf-8", "backslashreplace").decode("utf-8")
                         if isinstance(v, str) else v for v in values], type=pa.string())


def safe_text(array: pa.Array | pa.ChunkedArray, *, guard: bool,
              escape: bool) -> pa.Array | pa.ChunkedArray:
    """Cells ready to write: missing values empty, control characters escaped (``escape``),
    formula starts prefixed with ``'`` (``guard``)."""
    if isinstance(array, pa.ChunkedArray):
        return pa.chunked_array([_safe_chunk(c, guard, escape) for c in array.chunks],
                                type=pa.string())
    return _safe_chunk(array, guard, escape)


def _safe_chunk(array: pa.Array, guard: bool, escape: bool) -> pa.Array:
    if array.null_count:
        array = pc.fill_null(array, "")
    if array.type != pa.string():
        array = array.cast(pa.string())
    if not (guard or escape) or not len(array):
        return array
    # The checks read Arrow's buffers with numpy (a few comparisons per byte, a fifth of what
    # a regular expression costs); only the rows they hit are rewritten.
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
        array.offset: array.offset + len(array) + 1]
    data_buffer = array.buffers()[2]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, np.uint8))
    if escape:
        rows = _control_rows(offsets, data)
        if rows is not None:
            fixed = [escape_controls(v) for v in array.filter(rows).to_pylist()]
            array = pc.replace_with_mask(array, rows, pa.array(fixed, type=pa.string()))
            if not guard:
                return array
            offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
                array.offset: array.offset + len(array) + 1]
            data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    if guard and len(data):
        nonempty = offsets[1:] > offsets[:-1]
        first = data[np.minimum(offsets[:-1], len(data) - 1)]
        hits = np.flatnonzero(_FORMULA_FIRST[first] & nonempty)
        if len(hits):
            array = _prefix_rows(offsets, data, hits, ord("'"))
    return array


def _prefix_rows(offsets: np.ndarray, data: np.ndarray, rows: np.ndarray, byte: int) -> pa.Array:
    """A string array (no nulls) with ``byte`` inserted before the text of each of ``rows``:
    one pass over the bytes instead of an Arrow ``if_else`` that copies every value."""
    base = int(offsets[0])
    new_data = np.insert(data[base:int(offsets[-1])], offsets[rows] - base, byte)
    shift = np.zeros(len(offsets), dtype=np.int64)
    shift[rows + 1] = 1
    new_offsets = (offsets - base + np.cumsum(shift)).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(offsets) - 1,
                                 [None, pa.py_buffer(new_offsets), pa.py_buffer(new_data)])


def _control_rows(offsets: np.ndarray, data: np.ndarray) -> pa.Array | None:
    """Which rows hold a control character to escape (``None`` when none does)."""
    used = data[offsets[0]:offsets[-1]]
    if not len(used):
        return None
    # Control characters are single bytes below 0x20 or 0x7f; C1 controls are 0xc2 0x80-0x9f
    # (0xc2 is always a lead byte in UTF-8). Reductions answer "any?" without a boolean array
    # per test (which costs more than the test); positions are found only when there are some.
    parts = []
    if used.min() < 0x20:
        parts.append(np.flatnonzero(used < 0x20))
    scratch = np.empty_like(used)
    for byte_value in (0x7F, 0xC2):
        np.bitwise_xor(used, byte_value, out=scratch)
        if scratch.min() == 0:
            parts.append(np.flatnonzero(scratch == 0))
    if not parts:
        return None
    candidates = np.concatenate(parts)
    byte = used[candidates]
    after = used[np.minimum(candidates + 1, len(used) - 1)]
    hit = (_C0_ESCAPED[byte] | ((byte == 0xC2) & (after >= 0x80) & (after <= 0x9F)
                                & (candidates + 1 < len(used))))
    if not hit.any():
        return None
    positions = candidates[hit] + offsets[0]
    mask = np.zeros(len(offsets) - 1, dtype=bool)
    mask[np.searchsorted(offsets, positions, side="right") - 1] = True
    return pa.array(mask)


def values_array(values: list[Any], *, guard: bool, escape: bool,
                 denied: frozenset[str] = _DENIED_LOWER) -> pa.Array | pa.ChunkedArray:
    """A page's raw values of one column (from its getter) as safe cell texts."""
    texts, still_guard = raw_texts(values, guard, denied)
    return safe_text(text_array(texts), guard=still_guard, escape=escape)


def page_arrays(items: list[dict[str, Any]], getters: Sequence[Getter], *, guard: bool,
                escape: bool, denied: frozenset[str] = _DENIED_LOWER) -> list[Any]:
    """One page of records as one safe text array per column."""
    return [values_array(get(items), guard=guard, escape=escape, denied=denied)
            for get in getters]


#: Rows converted and written at a time from a frame: the buffers of one slice are reused by
#: the next (a whole million-row column at once costs page faults and cache misses).
FRAME_SLICE = 1 << 16


def frame_batches(df: pd.DataFrame, cols: Sequence[Column], *, guard: bool, escape: bool,
                  denied: frozenset[str] = _DENIED_LOWER,
                  rows: int = FRAME_SLICE) -> Iterator[list[Any]]:
    """The frame's ``cols`` (by key, else label) as safe text arrays, ``rows`` rows at a time;
    a column the frame does not have is written empty. What a column's text looks like (whole
    numbers, fractions of seconds) is decided once for the whole column."""
    plans = [_plan(df, col) for col in cols]
    for start in range(0, len(df), rows):
        stop = min(start + rows, len(df))
        batch = []
        for plan in plans:
            text, still_guard = _slice_text(plan, start, stop, guard, denied)
            batch.append(safe_text(text, guard=still_guard, escape=escape))
        yield batch


def frame_arrays(df: pd.DataFrame, cols: Sequence[Column], *, guard: bool, escape: bool,
                 denied: frozenset[str] = _DENIED_LOWER) -> list[Any]:
    """The whole frame's ``cols`` as safe text arrays (one batch of :func:`frame_batches`)."""
    batches = list(frame_batches(df, cols, guard=guard, escape=escape, denied=denied,
                                 rows=max(1, len(df))))
    return batches[0] if batches else [pa.array([], type=pa.string()) for _ in cols]


def _plan(df: pd.DataFrame, col: Column) -> tuple[pd.Series | None, str]:
    """The frame's series for ``col`` (``None`` if missing) and how to turn it into text."""
    name = col.key if col.key in df.columns else col.label if col.label in df.columns else None
    if name is None:
        return None, "missing"
    series = df[name]
    if isinstance(series, pd.DataFrame):  # duplicate column names: the first one
        series = series.iloc[:, 0]
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return series, "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        known = series.dropna()
        fractions = bool(((known.dt.microsecond != 0) | (known.dt.nanosecond != 0)).any())
        return series, "datetime-fractions" if fractions else "datetime"
    if pd.api.types.is_float_dtype(dtype):
        finite = series.dropna()
        whole = bool(((finite % 1 == 0) & (finite.abs() < 2**53)).all())
        return series, "counts" if whole else "float"  # counts stored as floats: no ".0"
    if pd.api.types.is_integer_dtype(dtype):
        return series, "int"
    if isinstance(dtype, pd.StringDtype):
        return series, "string"
    return series, "object"


def _slice_text(plan: tuple[pd.Series | None, str], start: int, stop: int, guard: bool,
                denied: frozenset[str]) -> tuple[Any, bool]:
    """Rows ``start:stop`` of a planned column as Arrow text, and whether the guard applies
    (never to numbers, booleans or dates)."""
    series, kind = plan
    if series is None:
        return pa.array([""] * (stop - start), type=pa.string()), False
    s = series.iloc[start:stop]
    if kind == "bool":
        return pa.array(s.array).cast(pa.string()), False
    if kind.startswith("datetime"):
        return _iso(s, fractions=kind == "datetime-fractions"), False
    if kind == "counts":
        return pa.array(s.astype("Int64").array).cast(pa.string()), False
    if kind == "float":
        return text_array([None if v != v else repr(v) for v in s.tolist()]), False
    if kind == "int":
        return pa.array(s.array).cast(pa.string()), False
    if kind == "string":
        return _string_array(s), guard
    values = s.astype(object).tolist()
    if s.hasnans:
        values = [None if missing else v
                  for v, missing in zip(values, s.isna().tolist(), strict=True)]
    texts, still_guard = raw_texts(values, guard, denied)
    return text_array(texts), still_guard


def _string_array(s: pd.Series) -> Any:
    try:
        return pa.array(s.array, type=pa.string())
    except UnicodeEncodeError:
        return text_array(s.astype(object).where(s.notna(), None).tolist())


def _iso(s: pd.Series, *, fractions: bool) -> Any:
    """Datetimes as ISO 8601 text: ``2024-01-02T03:04:05Z`` (``Z`` for UTC, nothing for naive
    times), with ``.ffffff`` when ``fractions``."""
    utc = s.dt.tz is not None
    if utc:
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return iso_text(s.to_numpy(dtype="datetime64[us]"), fractions=fractions, utc=utc)


#: "HH:MM:SS" for every second of a day, and "000"-"999": text by table look-up.
_TIMES = np.array([f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60)
                   for s in range(60)], dtype="S8")
_THREE = np.array([f"{i:03d}" for i in range(1000)], dtype="S3")
_DAY_US = 86_400_000_000
_MAX_DAY_SPAN = 400_000  # days in the look-up table of dates (about 1,100 years)


def iso_text(raw: np.ndarray, *, fractions: bool, utc: bool) -> pa.Array:
    """``datetime64[us]`` values (NaT missing) as ISO 8601 Arrow strings.

    Arrow's ``strftime`` costs about 0.8 µs a value and numpy's ``datetime_as_string`` 0.4 µs
    plus the conversion to Arrow; this builds fixed-width rows by table look-up (dates of the
    column's span, seconds of the day) straight into an Arrow buffer, some 50 ns a value.
    """
    n = len(raw)
    missing = np.isnat(raw)
    micros = np.where(missing, 0, raw.view(np.int64))
    day = micros // _DAY_US
    of_day = micros - day * _DAY_US
    lo, hi = (int(day.min()), int(day.max())) if n else (0, 0)
    years_ok = n == 0 or (np.datetime64(lo, "D") >= np.datetime64("0001-01-01")
                          and np.datetime64(hi, "D") <= np.datetime64("9999-12-31"))
    if not years_ok:  # outside 4-digit years: numpy writes them its own way, rare enough
        text = np.datetime_as_string(raw, unit="us" if fractions else "s",
                                     timezone="UTC" if utc else "naive")
        return pa.array([None if m else str(t) for t, m in zip(text, missing, strict=True)],
                        type=pa.string())
    if hi - lo <= _MAX_DAY_SPAN:
        dates = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]"))
        date_text = dates.astype("S10")[day - lo]
    else:
        unique, inverse = np.unique(day, return_inverse=True)
        date_text = np.datetime_as_string(unique.astype("datetime64[D]")).astype("S10")[inverse]
    fields: list[tuple[str, str]] = [("date", "S10"), ("T", "S1"), ("time", "S8")]
    if fractions:
        fields += [("dot", "S1"), ("milli", "S3"), ("micro", "S3")]
    if utc:
        fields.append(("Z", "S1"))
    rows = np.empty(n, dtype=fields)
    rows["date"], rows["T"] = date_text, b"T"
    rows["time"] = _TIMES[of_day // 1_000_000]
    if fractions:
        rows["dot"] = b"."
        rows["milli"] = _THREE[of_day // 1000 % 1000]
        rows["micro"] = _THREE[of_day % 1000]
    if utc:
        rows["Z"] = b"Z"
    width = rows.dtype.itemsize
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    validity = pa.array(~missing).buffers()[1] if missing.any() else None
    return pa.Array.from_buffers(pa.string(), n, [validity, pa.py_buffer(offsets),
                                                  pa.py_buffer(rows.view(np.uint8))])


class CsvTableWriter:
    """Writes rows of safe text arrays as CSV: every field quoted (``"`` doubled inside),
    CRLF line ends, UTF-8 (with a BOM for Excel when ``excel``)."""

    def __init__(self, handle: IO[bytes], columns: int, *, excel: bool = False) -> None:
        if excel:
            handle.write(b"\xef\xbb\xbf")
        self._names = [f"c{i}" for i in range(columns)]
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid",
                                     eol="\r\n", batch_size=4096)
        self._writer = pacsv.CSVWriter(handle, pa.schema([(n, pa.string()) for n in self._names]),
                                       write_options=options)

    def write(self, arrays: Sequence[Any]) -> None:
        """One batch of rows (each array a column of the same length)."""
        arrays = [a.cast(pa.string()) if a.type != pa.string() else a for a in arrays]
        self._writer.write_table(pa.Table.from_arrays(list(arrays), names=self._names))

    def close(self) -> None:
        self._writer.close()


def header_arrays(labels: Sequence[str], *, guard: bool, escape: bool) -> list[Any]:
    """The header row (the columns' labels) as one-row safe text arrays."""
    return [safe_text(text_array([label]), guard=guard, escape=escape) for label in labels]

