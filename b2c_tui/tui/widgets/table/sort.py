"""Sort permutations for :class:`VirtualTable`, computed in a thread off the event loop.

A sort must not stall the UI, and CPython lets a thread starve the event loop whenever it holds
the GIL inside C code: sorting a million Python strings with ``argsort`` on an object array
holds it for the whole sort (about 2 s). So text keys are first built a chunk at a time into
numpy's ``StringDType`` (yielding the GIL between chunks), and ``argsort`` on that dtype (and on
the numeric keys of the other kinds) runs in C with the GIL released.

Sorts are stable, case-insensitive for text, and put empty values last in both directions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

_STRING = np.dtypes.StringDType()


def yield_to_loop() -> None:
    """For a thread working chunk by chunk: let the event loop take the GIL between chunks
    (a plain release is not enough: the thread would usually take it straight back)."""
    time.sleep(0)


def _text_keys(parts: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys of the non-empty rows, their rows, the empty rows), lower-cased.

    The keys are built without ever indexing a ``StringDType`` array by position: that copy
    holds the GIL (some 300 ms for a million strings), so rows are split chunk by chunk here.
    """
    keys, present, empty, start = [], [], [], 0
    for part in parts:
        lowered = [v.lower() if isinstance(v, str) else _other_text(v)
                   for v in np.asarray(part, dtype=object)]
        mask = np.fromiter((v != "" for v in lowered), dtype=bool, count=len(lowered))
        keys.append(np.array([v for v in lowered if v], dtype=_STRING))
        present.append(np.flatnonzero(mask) + start)
        empty.append(np.flatnonzero(~mask) + start)
        start += len(lowered)
        yield_to_loop()
    return (np.concatenate(keys), np.concatenate(present).astype(np.intp, copy=False),
            np.concatenate(empty).astype(np.intp, copy=False))


def _other_text(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value).lower()


def _numeric_keys(parts: Sequence[Any], kind: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    keys, empty = [], []
    for part in parts:
        if kind == "bool":
            values = pd.array(part, dtype="boolean")
            keys.append(values.to_numpy(dtype="int8", na_value=0))
            empty.append(np.asarray(values.isna()))
        elif kind == "datetime":
            index = pd.DatetimeIndex(part)
            if index.tz is not None:
                index = index.tz_convert("UTC")
            keys.append(index.as_unit("us").asi8)
            empty.append(np.asarray(index.isna()))
        else:
            values = pd.to_numeric(pd.Series(part, dtype=object), errors="coerce")
            keys.append(values.to_numpy(dtype="float64", na_value=np.nan))
            empty.append(np.asarray(values.isna()))
        yield_to_loop()
    missing = np.concatenate(empty)
    present = np.flatnonzero(~missing)
    return np.concatenate(keys)[present], present, np.flatnonzero(missing)


def sort_order(parts: Sequence[Any], kind: str, reverse: bool = False,
               lengths: Sequence[int] | None = None) -> np.ndarray:
    """The display order (global row per display row) sorting ``parts`` (one array per chunk).

    A ``None`` part (a chunk without the column; its length from ``lengths``) counts as empty
    values. Stable: equal values keep their arrival order whichever the direction.
    """
    if any(p is None for p in parts):
        if lengths is None:
            raise ValueError("lengths are needed for chunks without the column")
        if all(p is None for p in parts):
            return np.arange(sum(lengths), dtype=np.intp)
        parts = [np.full(n, None, dtype=object) if p is None else p
                 for p, n in zip(parts, lengths, strict=True)]
    if not parts:
        return np.arange(0, dtype=np.intp)
    if reverse:
        # Stable descending = ascending over the rows read backwards, then reversed. The rows
        # are reversed here, chunk by chunk, rather than the keys afterwards: reordering a
        # StringDType array holds the GIL.
        parts = [p[::-1] for p in reversed(parts)]
    try:
        if kind in ("bool", "datetime", "number"):
            values, present, empty = _numeric_keys(parts, kind)
        else:
            values, present, empty = _text_keys(parts)
    except (TypeError, ValueError):
        # A column whose values do not fit its kind still sorts, as text.
        values, present, empty = _text_keys(parts)
    ranks = np.argsort(values, kind="stable")
    order = present[ranks]
    if reverse:
        last = sum(len(p) for p in parts) - 1
        order, empty = (last - order)[::-1], (last - empty)[::-1]
    return np.concatenate([order, empty]).astype(np.intp, copy=False)


def inverse(order: np.ndarray) -> np.ndarray:
    """global row -> display row for a full permutation ``order``."""
    result = np.empty(len(order), dtype=np.intp)
    result[order] = np.arange(len(order), dtype=np.intp)
    return result
