"""Cells for exports: which columns may leave the tenant, and raw values turned into text.

Work is done a column at a time over a whole page: a type check picks a fast path (text, lists
of text, booleans, integers) that costs a C-level pass or none; only mixed or nested values go
through :func:`cell` (and ``flatten_value``) one by one. The texts then become Arrow arrays,
where the formula guard and the escaping of control characters run vectorised
(:mod:`._export_arrow`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

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


def raw_texts(values: list[Any], guard: bool,
              denied: frozenset[str] = _DENIED_LOWER) -> tuple[list[Any], bool]:
    """A column of raw values as texts (``None`` for missing) and whether the formula guard is
    still to be applied to them (numbers are never guarded; mixed columns are guarded per cell
    here, so that a number among texts stays unguarded).

    Columns of one simple kind (text, lists of text, booleans, integers) take at most one
    C-level pass over the page; anything else goes through :func:`cell`.
    """
    kinds = set(map(type, values))
    if kinds <= _STR_KINDS:
        return values, guard
    if kinds <= _BOOL_KINDS:
        return list(map(_BOOL_TEXT.__getitem__, values)), False
    if kinds <= _INT_KINDS:
        return [None if v is None else str(v) for v in values], False
    if kinds <= _LIST_KINDS and (texts := _join_lists(values)) is not None:
        return texts, guard  # lists of text (otherMails): what flatten_value makes of them
    return [cell(v, guard, denied) for v in values], False


def _join_lists(values: list[Any]) -> list[str] | None:
    try:
        return ["" if v is None else "; ".join(v) for v in values]
    except TypeError:  # not all text (None items, objects): the general path
        return None
