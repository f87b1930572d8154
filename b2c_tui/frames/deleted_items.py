"""Deleted item columns (``/directory/deletedItems/microsoft.graph.{type}``).

Records carry the item type the listing asked for (``type``: ``user``, ``application``...);
``purgeAfter`` is when Graph deletes the object for good (30 days after ``deletedDateTime``).
"""

from __future__ import annotations

from ._values import iso_plus_days
from .columns import Column

#: Days a deleted object stays restorable.
RETENTION_DAYS = 30

DELETED_ITEM_COLUMNS: tuple[Column, ...] = (
    # Filled in by the listing (one query per type); it needs no property of its own.
    Column("type", "Type", select=("id",), width=16),
    Column("displayName", "Name", width=30),
    Column("deletedDateTime", "Deleted", kind="datetime", width=16),
    Column("purgeAfter", "Purged after", select=("deletedDateTime",),
           get=lambda r: iso_plus_days(r.get("deletedDateTime"), RETENTION_DAYS),
           kind="datetime", width=16),
    Column("userPrincipalName", "User principal name", width=40),
    Column("appId", "Client id", width=36),
    Column("id", "Object id", width=36),
)

#: Properties only some types have: Graph refuses to ``$select`` them on the others.
TYPE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "user": ("userPrincipalName",),
    "application": ("appId",),
    "servicePrincipal": ("appId",),
}
