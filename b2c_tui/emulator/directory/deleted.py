"""Soft-deleted directory objects (``/directory/deletedItems``), restorable for 30 days, and
the rules of restoring and purging them.

Expiry is evaluated against the store's clock whenever the collection is read, so a test can
advance a :class:`~b2c_tui.emulator.clock.ManualClock` by 31 days and see items gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..odata import DIRECTORY
from ..users.accounts import user_target
from ..users.schema import check_upn
from .apps import CATEGORY as APP_CATEGORY
from .apps import DUPLICATE, app_target, sp_target
from .audit_log import target

if TYPE_CHECKING:
    from ..store import Store

RETENTION = timedelta(days=30)
TYPE_NAMES = {"user": "User", "application": "Application", "servicePrincipal": "ServicePrincipal"}


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

    # -- rules -------------------------------------------------------------------------------
    def restore(self, item: DeletedItem, new_upn: str | None = None) -> dict[str, Any]:
        """Bring ``item`` back (a user under ``new_upn`` when given); Graph's 400 when another
        object now holds its userPrincipalName, sign-in names or appId. Returns the record."""
        store = self.store
        rec = dict(item.record)
        rec["deletedDateTime"] = None
        apps = store.apps
        if item.kind == "user":
            _restore_user(store, item, rec, new_upn)
            return rec
        if item.kind == "application":
            existing, add, activity = apps.app_by_app_id, apps.add_app, "Restore application"
        elif item.kind == "servicePrincipal":
            existing, add, activity = apps.sp_by_app_id, apps.add_sp, "Restore service principal"
        else:
            return rec
        if existing(rec["appId"]) is not None:
            raise DIRECTORY.bad_request(DUPLICATE.format("appId"))
        self.pop(rec["id"])
        add(rec)
        target_of = app_target if item.kind == "application" else sp_target
        store.audit(activity, APP_CATEGORY, target_of(rec))
        return rec

    def purge(self, item: DeletedItem) -> None:
        """Delete ``item`` for good."""
        self.pop(item.record["id"])
        rec = item.record
        kind = "service principal" if item.kind == "servicePrincipal" else item.kind
        self.store.audit(
            f"Hard delete {kind}",
            "UserManagement" if item.kind == "user" else APP_CATEGORY,
            target(
                rec["id"],
                rec.get("displayName"),
                TYPE_NAMES.get(item.kind, item.kind),
                user_principal_name=rec.get("userPrincipalName"),
            ),
        )


def _restore_user(
    store: Store, item: DeletedItem, rec: dict[str, Any], new_upn: str | None
) -> None:
    users = store.users
    if new_upn is not None:
        check_upn(new_upn, store.tenant_domain)
        rec["userPrincipalName"] = new_upn
        rec["identities"] = [
            {**i, "issuerAssignedId": new_upn} if i.get("signInType") == "userPrincipalName" else i
            for i in rec.get("identities") or ()
        ]
    if users.find(rec["userPrincipalName"]) is not None:
        raise DIRECTORY.bad_request(DUPLICATE.format("userPrincipalName"))
    for ident in rec.get("identities") or ():
        if ident.get("signInType") == "userPrincipalName":
            continue
        if users.find_identity(ident["issuer"], ident["issuerAssignedId"]):
            raise DIRECTORY.bad_request(DUPLICATE.format("identities"))
    store.deleted.pop(rec["id"])
    users.restore(
        item.extra["ordinal"],
        rec,
        item.extra.get("methods") or {"phones": {}, "email": None, "oath": []},
    )
    store.audit("Restore user", "UserManagement", user_target(rec))
