"""Deleted items: list by type, get, restore, delete permanently (v1.0).

Endpoints: ``/directory/deletedItems/microsoft.graph.{type}`` (the cast segment is required:
there is no untyped list), ``/directory/deletedItems/{id}``, ``.../{id}/restore``. Deleted
users, applications, service principals, Microsoft 365 groups and administrative units stay
restorable for 30 days; a permanent delete cannot be undone. Restoring an application does not
restore its service principal.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from ..batch import BatchRequest, BatchResult
from ..errors import ValidationError
from ..paging import PageIterator
from ._query import QueryArg
from .base import ResourceAPI, mutating, seg

DELETED_ITEMS = "/directory/deletedItems"
ITEM_TYPES = ("user", "application", "servicePrincipal", "group", "administrativeUnit")
_BY_LOWER = {t.lower(): t for t in ITEM_TYPES}


def check_item_type(item_type: str) -> str:
    """One of :data:`ITEM_TYPES` (any case, with or without ``microsoft.graph.``)."""
    text = item_type.strip() if isinstance(item_type, str) else ""
    text = text.removeprefix("#").removeprefix("microsoft.graph.")
    canonical = _BY_LOWER.get(text.lower())
    if canonical is None:
        raise ValidationError(
            f"{item_type!r} is not a type of deleted item; use one of {', '.join(ITEM_TYPES)}.",
            field="item_type")
    return canonical


class DeletedItemsAPI(ResourceAPI):
    """``/directory/deletedItems`` (v1.0)."""

    def list(self, item_type: str, query: QueryArg = None, *,
             select: Iterable[str] | None = None, top: int | None = None,
             prefetch: bool = True) -> PageIterator:
        """Pages of deleted objects of one type:
        ``GET /directory/deletedItems/microsoft.graph.{type}`` (``$top`` up to 999)."""
        path = f"{DELETED_ITEMS}/microsoft.graph.{check_item_type(item_type)}"
        return self._list(path, query, select=select, top=top, prefetch=prefetch,
                          resource="deletedItems")

    async def get(self, item_id: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        """One deleted object (of its own type): ``GET /directory/deletedItems/{id}``."""
        return await self._get(f"{DELETED_ITEMS}/{seg(item_id)}", select=select)

    @mutating
    async def restore(
        self,
        item_id: str,
        *,
        new_user_principal_name: str | None = None,
        auto_reconcile_proxy_conflict: bool | None = None,
    ) -> dict[str, Any]:
        """Bring an object back: ``POST /directory/deletedItems/{id}/restore`` (200, the restored
        object with its ``@odata.type``).

        For users only, ``new_user_principal_name`` restores under another UPN and
        ``auto_reconcile_proxy_conflict`` drops proxy addresses an active user now holds.
        """
        body: dict[str, Any] = {}
        if new_user_principal_name is not None:
            if not new_user_principal_name.strip() or "@" not in new_user_principal_name:
                raise ValidationError(
                    f"{new_user_principal_name!r} is not a userPrincipalName (name@domain).",
                    field="new_user_principal_name")
            body["newUserPrincipalName"] = new_user_principal_name.strip()
        if auto_reconcile_proxy_conflict is not None:
            body["autoReconcileProxyConflict"] = bool(auto_reconcile_proxy_conflict)
        return await self._send("POST", f"{DELETED_ITEMS}/{seg(item_id)}/restore", body or None)

    @mutating
    async def delete(self, item_id: str) -> None:
        """Delete for good (irreversible): ``DELETE /directory/deletedItems/{id}`` (204)."""
        await self._core.request("DELETE", f"{DELETED_ITEMS}/{seg(item_id)}")

    @mutating
    async def restore_many(self, item_ids: Iterable[str]) -> builtins.list[BatchResult]:
        """Restore several objects through ``$batch`` (20 a request); one result per id, in
        order (a refusal, e.g. a name another object took meanwhile, is that item's
        result)."""
        return await self._core.batch(
            [BatchRequest("POST", f"{DELETED_ITEMS}/{seg(i)}/restore") for i in item_ids])

    @mutating
    async def delete_many(self, item_ids: Iterable[str]) -> builtins.list[BatchResult]:
        """Delete several objects for good through ``$batch``; one result per id, in order."""
        return await self._core.batch(
            [BatchRequest("DELETE", f"{DELETED_ITEMS}/{seg(i)}") for i in item_ids])
