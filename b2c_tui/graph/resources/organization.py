"""The tenant's organization record and its directory quota.

Endpoints: ``/organization`` (a collection of exactly one) and ``/organization/{id}``, v1.0 or
beta. ``directorySizeQuota`` (``used``/``total`` directory objects; 50,000 is the usual B2C
total) is defined on the beta resource and is not reliably in the default projection, so
:meth:`OrganizationAPI.quota` asks beta for it by ``$select``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..paging import PageIterator
from .base import ResourceAPI, seg

ORGANIZATION = "/organization"
QUOTA_PROPERTY = "directorySizeQuota"
#: ``organization.tenantType``: what kind of tenant this is.
B2C_TENANT = "AAD B2C"
EXTERNAL_ID_TENANT = "CIAM"
WORKFORCE_TENANT = "AAD"


class OrganizationAPI(ResourceAPI):
    """``/organization``."""

    def list(
        self, *, select: Iterable[str] | None = None, version: str | None = None,
        prefetch: bool = True,
    ) -> PageIterator:
        """The tenant's organization (one record): ``GET /organization``."""
        return self._list(ORGANIZATION, select=select, version=version, prefetch=prefetch)

    async def get(
        self, org_id: str, *, select: Iterable[str] | None = None, version: str | None = None
    ) -> dict[str, Any]:
        """The organization by id (the tenant id): ``GET /organization/{id}``; ``version`` is
        ``"v1.0"`` (default) or ``"beta"``."""
        return await self._get(f"{ORGANIZATION}/{seg(org_id)}", select=select, version=version)

    async def current(
        self, *, select: Iterable[str] | None = None, version: str | None = None
    ) -> dict[str, Any]:
        """The tenant's organization without knowing its id (``value[0]`` of the list)."""
        records = await self.list(select=select, version=version, prefetch=False).collect(1)
        return records[0] if records else {}

    async def quota(self, org_id: str | None = None) -> dict[str, Any]:
        """``{"used": n, "total": m}`` directory objects, from beta
        ``GET /organization/{id}?$select=directorySizeQuota`` (or ``/organization`` when no id
        is given). Empty when the tenant does not report it."""
        select = [QUOTA_PROPERTY]
        if org_id is None:
            record = await self.current(select=select, version="beta")
        else:
            record = await self.get(org_id, select=select, version="beta")
        quota = record.get(QUOTA_PROPERTY)
        return dict(quota) if isinstance(quota, dict) else {}

    async def tenant_type(self) -> str | None:
        """``tenantType`` of the organization (``AAD B2C``, ``CIAM`` for Entra External ID,
        ``AAD`` for a workforce tenant), from ``GET /organization?$select=id,tenantType``;
        ``None`` when Graph does not say."""
        record = await self.current(select=["id", "tenantType"])
        value = record.get("tenantType")
        return str(value) if isinstance(value, str) and value else None
