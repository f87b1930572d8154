"""Tenant quota columns: the organization record's ``directorySizeQuota`` (beta) as one row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import path
from .columns import Column


def used_percent(record: Mapping[str, Any]) -> float | None:
    """Directory objects used, as a percentage of the quota (one decimal)."""
    used = path("directorySizeQuota", "used")(record)
    total = path("directorySizeQuota", "total")(record)
    if isinstance(used, bool) or isinstance(total, bool):
        return None
    if not isinstance(used, (int, float)) or not isinstance(total, (int, float)) or not total:
        return None
    return round(100.0 * used / total, 1)


QUOTA_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Tenant", width=24),
    Column("tenantType", "Tenant type", width=10),
    Column("used", "Objects used", select=("directorySizeQuota",),
           get=path("directorySizeQuota", "used"), kind="number", width=12),
    Column("total", "Quota", select=("directorySizeQuota",),
           get=path("directorySizeQuota", "total"), kind="number", width=10),
    Column("usedPercent", "Used %", select=("directorySizeQuota",), get=used_percent,
           kind="number", width=7),
    Column("id", "Tenant id", width=36),
)
