"""Cells for exports: which columns may leave the tenant, and values turned into CSV text fast.

Work is done a column at a time over a whole page: a type check picks a fast path (text, lists
of text, booleans, integers) made of C-level passes (one ``join`` answers "any formula?" and
"any quote?" for the whole column), and rows are joined with ``str.join`` instead of going
through ``csv.writer``, which costs about 20 ns per character. Only mixed or nested values go
through :func:`cell` (and ``flatten_value``) one by one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from .columns import Column, flatten_value

log = logging.getLogger(__name__)

#: Property names that are never exported, whatever the columns ask for (compared without case,
#: on ``Column.key`` and on each name in ``Column.select``; also removed from nested objects).
#: Credentials, password profiles, JWK private members and key material.
DENIED_PROPERTIES: frozenset[str] = frozenset({
    "passwordProfile", "password", "passwordCredentials",
    "keyCredentials", "secretText", "clientSecret", "client_secret", "secret", "secrets",
    "privateKey", "pfx", "key", "keys", "k", "d", "p", "q", "dp", "dq", "qi",
    "accessToken", "refreshToken", "idToken", "token", "assertion",
})
_DENIED_LOWER = frozenset(name.lower() for name in DENIED_PROPERTIES)

#: OWASP's CSV-injection starts: a spreadsheet evaluates cells beginning with these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
_FORMULA_AFTER_NEWLINE = re.compile("\n[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
_QUOTE = re.compile('"')
_NONE = type(None)
_STR_KINDS = frozenset({str, _NONE})
_BOOL_KINDS = frozenset({bool, _NONE})
_INT_KINDS = frozenset({int, _NONE})
_LIST_KINDS = frozenset({list, _NONE})
_BOOL_TEXT = {True: "true", False: "false", None: ""}

Getter = Callable[[list[dict[str, Any]]], list[Any]]


def _denied(name: str) -> bool:
    return name.split("/", 1)[0].split(".", 1)[0].lower() in _DENIED_LOWER


def exportable(columns: Iterable[Column]) -> list[Column]:
    """``columns`` without secret ones and without any that name a denied property."""
    out: list[Column] = []
    for col in columns:
        if col.secret or _denied(col.key) or any(_denied(s) for s in col.select):
            log.info("export: leaving out column %r (secret)", col.key)
            continue
        out.append(col)
    if not out:
        raise ValueError("Nothing to export: every column is secret or unknown.")
    return out


def denied_keys(columns: Iterable[Column]) -> frozenset[str]:
    """Lower-case property names to remove from nested values: the deny-list plus what the
    secret columns among ``columns`` name (so a column holding whole records cannot leak them)."""
    extra = {n.lower() for c in columns if c.secret for n in (c.key, *c.select)}
    return _DENIED_LOWER | extra


def scrub(value: Any, denied: frozenset[str] = _DENIED_LOWER) -> Any:
    """A copy of ``value`` without the ``denied`` keys (lower case) in any nested object."""
    if isinstance(value, dict):
        return {k: scrub(v, denied) for k, v in value.items() if str(k).lower() not in denied}
    if isinstance(value, (list, tuple)):
        return [scrub(v, denied) for v in value]
    return value


def getter(col: Column) -> Getter:
    """A function from a page's records to this column's raw values."""
    get = col.get
    if get is None:
        key = col.key
        return lambda items: [r.get(key) for r in items]

    def by_function(items: list[dict[str, Any]]) -> list[Any]:
        try:
            return list(map(get, items))
        except Exception:  # one odd record must not sink a million-row export
            log.warning("export: column %r failed on a record; written empty", col.key)
            return [_safe_call(get, r) for r in items]

    return by_function


def _safe_call(get: Callable[[dict[str, Any]], Any], record: dict[str, Any]) -> Any:
    try:
        return get(record)
    except Exception:
        return None


def cell(value: Any, guard: bool, denied: frozenset[str] = _DENIED_LOWER) -> str:
    """One value as the text of a cell (``""`` for nothing)."""
    if value is None or value is True or value is False:
        return _BOOL_TEXT[value]
    if isinstance(value, (int, float)):
        return str(value) if value == value else ""  # NaN is empty; numbers are not guarded
    if isinstance(value, (list, tuple, dict)):
        value = flatten_value(scrub(value, denied))
        if not isinstance(value, str):
            return cell(value, guard, denied)
    elif isinstance(value, (datetime, date)):
        value = value.isoformat()
    elif not isinstance(value, str):
        value = "" if pd.api.types.is_scalar(value) and pd.isna(value) else str(value)
    if guard and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text_column(values: list[Any], guard: bool, *, escape: bool = True,
                denied: frozenset[str] = _DENIED_LOWER) -> list[str]:
    """A column of raw values as cell texts (``"`` doubled when ``escape``).

    Columns of one simple kind (text, lists of text, booleans, integers) take a few C-level
    passes over the page instead of work per cell; anything else goes through :func:`cell`.
    """
    kinds = set(map(type, values))
    if kinds <= _STR_KINDS:
        if _NONE in kinds:
            values = [v if v is not None else "" for v in values]
    elif kinds <= _BOOL_KINDS:
        return list(map(_BOOL_TEXT.__getitem__, values))
    elif kinds <= _INT_KINDS:
        return ["" if v is None else str(v) for v in values]
    elif kinds <= _LIST_KINDS and (texts := _join_lists(values)) is not None:
        values = texts  # lists of text (otherMails): what flatten_value makes of them
    else:
        values = [cell(v, guard, denied) for v in values]
        guard = False  # done per cell
    # One C-level join answers "any formula?" and "any quote?" for the whole column.
    joined = "\n" + "\n".join(values)
    formula = guard and _FORMULA_AFTER_NEWLINE.search(joined) is not None
    quote = escape and '"' in joined
    if not (formula or quote):
        return values
    if joined.count("\n") == len(values):  # no newline inside a value: fix the hits only
        values = list(values)
        if formula:
            for i in _lines_hit(joined, _FORMULA_AFTER_NEWLINE.finditer(joined)):
                values[i] = "'" + values[i]
        if quote:
            for i in set(_lines_hit(joined, _QUOTE.finditer(joined))):
                values[i] = values[i].replace('"', '""')
        return values
    if formula:  # a formula start after a newline inside a value may be a false alarm
        first = _FORMULA_FIRST
        values = [("'" + v) if v[:1] in first else v for v in values]
    if quote:
        values = [v.replace('"', '""') for v in values]
    return values


def _lines_hit(joined: str, matches: Iterator[re.Match[str]]) -> Iterator[int]:
    """The value index of each match in ``"\n" + "\n".join(values)`` (no newline in values)."""
    line = pos = 0
    for match in matches:
        line += joined.count("\n", pos, match.start() + 1)
        pos = match.start() + 1
        yield line - 1


def _join_lists(values: list[Any]) -> list[str] | None:
    try:
        return ["" if v is None else "; ".join(v) for v in values]
    except TypeError:  # not all text (None items, objects): the general path
        return None


def csv_text(columns: Sequence[list[str]]) -> str:
    """Rows of cell texts (from :func:`text_column`) as CSV with every field quoted and CRLF
    line ends: what ``csv.writer(quoting=csv.QUOTE_ALL)`` writes, built with C-level joins."""
    if not columns or not columns[0]:
        return ""
    return '"' + '"\r\n"'.join(map('","'.join, zip(*columns, strict=True))) + '"\r\n'


def page_csv(items: list[dict[str, Any]], getters: Sequence[Getter], guard: bool,
             denied: frozenset[str] = _DENIED_LOWER) -> str:
    """One page of records as CSV text, built a column at a time."""
    return csv_text([text_column(get(items), guard, denied=denied) for get in getters])


def frame_text_columns(df: pd.DataFrame, cols: Sequence[Column], guard: bool,
                       denied: frozenset[str] = _DENIED_LOWER) -> pd.DataFrame:
    """The frame's ``cols`` (by key, else label) as text, numbers left to ``to_csv``."""
    data: dict[int, Any] = {}
    for i, col in enumerate(cols):
        name = col.key if col.key in df.columns else col.label if col.label in df.columns else None
        if name is None:
            data[i] = [None] * len(df)
            continue
        series = df[name]
        if isinstance(series, pd.DataFrame):  # duplicate column names: the first one
            series = series.iloc[:, 0]
        data[i] = _series_text(series, guard, denied)
    return pd.DataFrame(data, index=pd.RangeIndex(len(df)))


def _series_text(s: pd.Series, guard: bool, denied: frozenset[str]) -> Any:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        text = np.where(s.fillna(False).to_numpy(dtype=bool), "true", "false").astype(object)
        if s.hasnans:
            text[s.isna().to_numpy()] = None
        return text
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _with_missing(_iso(s).tolist(), s)
    if pd.api.types.is_float_dtype(dtype):
        finite = s.dropna()
        if ((finite % 1 == 0) & (finite.abs() < 2**53)).all():  # counts stored as floats
            return s.astype("Int64").array
        return s.to_numpy()
    if pd.api.types.is_numeric_dtype(dtype):
        return s.to_numpy()
    values = _with_missing(s.astype(object).tolist(), s)
    return text_column(values, guard, escape=False, denied=denied)


def _with_missing(values: list[Any], s: pd.Series) -> list[Any]:
    if not s.hasnans:
        return values
    return [None if missing else v for v, missing in zip(values, s.isna().tolist(), strict=True)]


def _iso(s: pd.Series) -> pd.Series:
    """Datetimes as ISO 8601 (``Z`` for UTC, fractions only when the column has any)."""
    suffix = ""
    if s.dt.tz is not None:
        s, suffix = s.dt.tz_convert("UTC"), "Z"
    known = s.dropna()
    frac = bool(((known.dt.microsecond != 0) | (known.dt.nanosecond != 0)).any())
    return s.dt.strftime("%Y-%m-%dT%H:%M:%S" + (".%f" if frac else "") + suffix)
