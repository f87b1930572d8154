"""Filters over the archive, answered locally with pyarrow compute: the same questions the audit
pane asks Graph (time range, category, activity, result, initiator, policy, application, free
text), over every archived day at once.

Days outside the time range are not opened (files are per day); only the columns the filters
need are read to find the matches, then the shown columns of the matches alone (see
:mod:`b2c_tui.audit.archive`). Text comparisons ignore case, as Graph's do; free text is looked
for in what an entry says in words (:data:`~b2c_tui.audit.schema.TEXT_COLUMNS`), not in ids
(which have filters of their own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import TEXT_COLUMNS


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every given condition must hold (``None``: no condition).

    ``since``/``until`` bound ``activityDateTime`` (inclusive; a ``date`` means the whole day,
    UTC; naive datetimes are UTC). ``category``, ``result``, ``logged_by_service`` and
    ``activity`` are equal to one of the values given (a string or a list); ``activity_prefix``
    starts the activity name. ``initiated_by`` matches the initiating user's id, UPN or name or
    the initiating app's id or name; ``initiated_by_user_id``, ``initiated_by_upn`` and
    ``initiated_by_app_id`` match one of them exactly. ``policy_id`` and ``application_id``
    find a policy (``B2C_1A_signup_signin``) or an application (client id) in the entry's
    details or targets; ``target_id`` a target; ``text`` is found in what the entry says in
    words: its activity, result reason, initiator, targets and details (ids have filters of
    their own: ``correlation_id``, ``target_id``...).
    """

    since: datetime | date | None = None
    until: datetime | date | None = None
    category: str | Sequence[str] | None = None
    activity: str | Sequence[str] | None = None
    activity_prefix: str | None = None
    result: str | Sequence[str] | None = None
    logged_by_service: str | Sequence[str] | None = None
    initiated_by: str | None = None
    initiated_by_user_id: str | None = None
    initiated_by_upn: str | None = None
    initiated_by_app_id: str | None = None
    policy_id: str | None = None
    application_id: str | None = None
    target_id: str | None = None
    correlation_id: str | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "", ()) for f in fields(self))

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """``since`` and ``until`` as aware UTC datetimes (a date's whole day)."""
        return _start(self.since), _end(self.until)

    def days(self, available: Sequence[date]) -> list[date]:
        """The archived days this filter can match (by time range alone)."""
        lo, hi = self.bounds()
        return [d for d in available if (lo is None or d >= lo.date())
                and (hi is None or d <= hi.date())]

    def columns(self) -> set[str]:
        """The archive columns the filter reads."""
        wanted = {"activityDateTime"}
        for name, column in _COLUMNS.items():
            if getattr(self, name) not in (None, ""):
                wanted.update(column)
        return wanted

    def mask(self, table: pa.Table) -> pa.ChunkedArray | None:
        """Which rows of ``table`` match (``None``: all)."""
        parts: list[Any] = []
        lo, hi = self.bounds()
        times = table.column("activityDateTime") if (lo or hi) else None
        if lo is not None:
            parts.append(pc.greater_equal(times, pa.scalar(lo, pa.timestamp("us", "UTC"))))
        if hi is not None:
            parts.append(pc.less_equal(times, pa.scalar(hi, pa.timestamp("us", "UTC"))))
        for name, column in (("category", "category"), ("activity", "activityDisplayName"),
                             ("result", "result"), ("logged_by_service", "loggedByService")):
            values = getattr(self, name)
            if values not in (None, ""):
                parts.append(_one_of(table.column(column), values))
        if self.activity_prefix:
            prefix = self.activity_prefix
            parts.append(_on_values(table.column("activityDisplayName"), lambda values: (
                pc.starts_with(values, prefix, ignore_case=True))))
        for name, column in (("initiated_by_user_id", "initiatedByUserId"),
                             ("initiated_by_upn", "initiatedByUserPrincipalName"),
                             ("initiated_by_app_id", "initiatedByAppId"),
                             ("correlation_id", "correlationId")):
            value = getattr(self, name)
            if value:
                parts.append(_one_of(table.column(column), value))
        if self.initiated_by:
            parts.append(_any_of([_one_of(table.column(c), self.initiated_by)
                                  for c in _COLUMNS["initiated_by"]]))
        for name, column in (("policy_id", "policyIds"), ("application_id", "applicationIds"),
                             ("target_id", "targetIds")):
            value = getattr(self, name)
            if value:
                parts.append(_list_has(table.column(column), value.lower()))
        if self.text:
            needle = self.text
            parts.append(_any_of([_on_values(table.column(c), lambda values: (
                pc.match_substring(values, needle, ignore_case=True))) for c in TEXT_COLUMNS]))
        if not parts:
            return None
        result = parts[0]
        for part in parts[1:]:
            result = pc.and_kleene(result, part)
        return pc.fill_null(result, False)


_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("category",), "activity": ("activityDisplayName",),
    "activity_prefix": ("activityDisplayName",), "result": ("result",),
    "logged_by_service": ("loggedByService",),
    "initiated_by": ("initiatedByUserId", "initiatedByUserPrincipalName",
                     "initiatedByUserDisplayName", "initiatedByAppId",
                     "initiatedByAppDisplayName"),
    "initiated_by_user_id": ("initiatedByUserId",),
    "initiated_by_upn": ("initiatedByUserPrincipalName",),
    "initiated_by_app_id": ("initiatedByAppId",), "correlation_id": ("correlationId",),
    "policy_id": ("policyIds",), "application_id": ("applicationIds",),
    "target_id": ("targetIds",), "text": TEXT_COLUMNS,
}


def _values(value: str | Sequence[str]) -> list[str]:
    return [value.lower()] if isinstance(value, str) else [str(v).lower() for v in value]


def _one_of(column: pa.ChunkedArray, value: str | Sequence[str]) -> Any:
    """Case-insensitive equality with one of ``value``."""
    wanted = pa.array(_values(value), type=pa.string())
    return _on_values(column, lambda values: pc.is_in(pc.utf8_lower(values), value_set=wanted))


def _on_values(column: pa.ChunkedArray, test: Callable[[Any], Any]) -> Any:
    """``test`` over a column's values; a dictionary-encoded column is tested once per
    distinct value, not once per row."""
    if not pa.types.is_dictionary(column.type):
        return test(column)
    chunks = [pc.take(test(chunk.dictionary), chunk.indices) for chunk in column.chunks]
    return pa.chunked_array(chunks, type=pa.bool_())


def _list_has(column: pa.ChunkedArray, value: str) -> Any:
    """Whether each row's list holds ``value`` (lists are stored lower case; their items may
    be dictionary-encoded)."""
    chunks = []
    for chunk in column.chunks:
        hit = np.zeros(len(chunk), dtype=bool)
        flat = pc.list_flatten(chunk)
        if len(flat):
            if pa.types.is_dictionary(flat.type):
                equal = pc.take(pc.equal(flat.dictionary, value), flat.indices)
            else:
                equal = pc.equal(flat, value)
            rows = pc.filter(pc.list_parent_indices(chunk), equal).to_numpy()
            hit[rows] = True
        chunks.append(pa.array(hit))
    return pa.chunked_array(chunks, type=pa.bool_())


def _any_of(parts: list[Any]) -> Any:
    result = pc.fill_null(parts[0], False)
    for part in parts[1:]:
        result = pc.or_(result, pc.fill_null(part, False))
    return result


def _start(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _end(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=UTC) + timedelta(days=1, microseconds=-1)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
