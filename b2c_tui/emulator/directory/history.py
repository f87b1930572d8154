"""History of the demo tenant: what happened before it was made that its state still shows.

Users deleted 2, 9 and 24 days before (the last one is purged within a week). Runs once at
store creation, touches a handful of objects whatever the tenant size and is deterministic for
a seed; the audit trail of those days is :class:`.audit_history.AuditHistory`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store

#: Days before the tenant was made when the seeded deleted users were deleted.
DELETED_DAYS_AGO = (2, 9, 24)


def seed_history(store: Store) -> None:
    """Seed the deleted users (in tenants of more than 20 users)."""
    users = store.users
    n = users.base_count
    if n <= 20:
        return
    for k, days in enumerate(DELETED_DAYS_AGO):
        ordinal = n - 7 - 5 * k
        gone, methods = users.delete(ordinal)
        store.deleted.add(
            "user", gone, when=store.anchor - timedelta(days=days), ordinal=ordinal, methods=methods
        )
