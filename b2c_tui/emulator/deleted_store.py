"""Soft-deleted directory objects (``/directory/deletedItems``), restorable for 30 days.

Expiry is evaluated against the store's clock whenever the collection is read, so a test can
advance a :class:`~b2c_tui.emulator.clock.ManualClock` by 31 days and see items gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .clock import iso

if TYPE_CHECKING:
    from .store import Store

RETENTION = timedelta(days=30)


@dataclass(slots=True)
class DeletedItem:
    """One soft-deleted object: its type (``user``, ``application``, ``servicePrincipal``),
    the object as it was (with ``deletedDateTime``) and type-specific restore data."""

    kind: str
    record: dict[str, Any]
    deleted_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)


class DeletedItems:
    """Deleted users, applications and service principals, oldest deletion first."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._items: dict[str, DeletedItem] = {}

    def __len__(self) -> int:
        self.purge_expired()
        return len(self._items)

    def add(
        self, kind: str, record: dict[str, Any], *, when: datetime | None = None, **extra: Any
    ) -> DeletedItem:
        """Soft-delete ``record`` (now, or at ``when``); returns the entry."""
        now = when or self.store.clock()
        rec = dict(record)
        rec["deletedDateTime"] = iso(now)
        item = DeletedItem(kind, rec, now, dict(extra))
        self._items[rec["id"].lower()] = item
        return item

    def get(self, object_id: str) -> DeletedItem | None:
        """The live (not expired) deleted item with this id."""
        self.purge_expired()
        return self._items.get(object_id.lower())

    def pop(self, object_id: str) -> DeletedItem | None:
        """Remove and return an item (restore or permanent delete)."""
        self.purge_expired()
        return self._items.pop(object_id.lower(), None)

    def of_kind(self, kind: str) -> list[DeletedItem]:
        """Deleted items of one type, in deletion order."""
        self.purge_expired()
        return [item for item in self._items.values() if item.kind == kind]

    def purge_expired(self) -> int:
        """Drop items deleted more than 30 days ago; returns how many went."""
        cutoff = self.store.clock() - RETENTION
        expired = [key for key, item in self._items.items() if item.deleted_at <= cutoff]
        for key in expired:
            del self._items[key]
        return len(expired)
