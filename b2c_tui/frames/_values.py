"""Small getters the column specs of several families share (no pandas, no Textual)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

Record = Mapping[str, Any]


def path(*keys: str) -> Callable[[Record], Any]:
    """A getter for a nested property: ``path("a", "b")`` reads ``record["a"]["b"]``."""

    def get(record: Record) -> Any:
        value: Any = record
        for key in keys:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    return get


def pluck(items: Any, key: str) -> list[Any] | None:
    """``key`` of every object in ``items`` (a list of objects), missing ones left out."""
    if not isinstance(items, list):
        return None
    return [i.get(key) for i in items if isinstance(i, Mapping) and i.get(key) is not None]


def joined(values: Iterable[Any] | None) -> str | None:
    """Values joined with ``; `` (``None`` when there are none), the shape of list cells."""
    texts = [str(v) for v in values or () if v is not None and v != ""]
    return "; ".join(texts) or None


def aware_time(value: Any) -> datetime | None:
    """ISO 8601 text (``Z`` or an offset; a naive time is UTC) as an aware datetime; ``None``
    for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def epoch_iso(value: Any) -> str | None:
    """A NumericDate (seconds since 1970, as in JWKs) as ISO 8601 UTC text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def iso_plus_days(value: Any, days: int) -> str | None:
    """An ISO 8601 timestamp ``days`` later (``None`` for anything that is not one)."""
    moment = aware_time(value)
    if moment is None:
        return None
    return (moment + timedelta(days=days)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def odata_kind(record: Record) -> str | None:
    """``#microsoft.graph.socialIdentityProvider`` -> ``socialIdentityProvider``."""
    value = record.get("@odata.type")
    if not isinstance(value, str) or not value:
        return None
    return value.lstrip("#").removeprefix("microsoft.graph.")
