"""Application families of :class:`~b2c_tui.api.Tenant`: app registrations, service
principals, delegated permission grants, and conditional access policies and templates."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..frames.applications import (
    APPLICATION_COLUMNS,
    APPLICATION_OPTIONAL_COLUMNS,
    GRANT_COLUMNS,
    SERVICE_PRINCIPAL_COLUMNS,
    SERVICE_PRINCIPAL_OPTIONAL_COLUMNS,
)
from ..frames.conditional_access import POLICY_COLUMNS, POLICY_OPTIONAL_COLUMNS, TEMPLATE_COLUMNS
from ..graph.query import Filter
from .base import TenantBase
from .frames import Listing

APPLICATIONS = Listing("Applications", APPLICATION_COLUMNS, APPLICATION_OPTIONAL_COLUMNS,
                       resource="applications", max_top=999, server_select=True,
                       pages=lambda c, query, prefetch: c.applications.list(
                           query, prefetch=prefetch))
SERVICE_PRINCIPALS = Listing("Service principals", SERVICE_PRINCIPAL_COLUMNS,
                             SERVICE_PRINCIPAL_OPTIONAL_COLUMNS, resource="servicePrincipals",
                             max_top=999, server_select=True, dtypes={"accountEnabled": "bool"},
                             pages=lambda c, query, prefetch: c.applications
                             .list_service_principals(query, prefetch=prefetch))
GRANTS = Listing("Permission grants", GRANT_COLUMNS, resource="oauth2PermissionGrants",
                 pages=lambda c, query, prefetch: c.applications.list_permission_grants(
                     query, prefetch=prefetch))
CA_POLICIES = Listing("Conditional access policies", POLICY_COLUMNS, POLICY_OPTIONAL_COLUMNS,
                      resource="conditionalAccessPolicies",
                      pages=lambda c, query, prefetch: c.conditional_access.list_policies(
                          query, prefetch=prefetch))
CA_TEMPLATES = Listing("Conditional access templates", TEMPLATE_COLUMNS,
                       pages=lambda c, query, prefetch, scenario: c.conditional_access
                       .list_templates(query, scenario=scenario, prefetch=prefetch))

Select = Iterable[str] | str | None
Where = str | Filter | None


class AppsMixin(TenantBase):
    """Applications, service principals, grants and conditional access."""

    def applications(self, *, filter: Where = None, select: Select = None,
                     limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        """App registrations: name, client id, audience, created, redirect URIs, when the first
        client secret expires, object id."""
        return self._frame(APPLICATIONS, progress, filter=filter, select=select, limit=limit)

    async def applications_async(self, *, filter: Where = None, select: Select = None,
                                 limit: int | None = None,
                                 progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`applications`."""
        return await self._frame_async(APPLICATIONS, progress, filter=filter, select=select,
                                       limit=limit)

    def service_principals(self, *, filter: Where = None, select: Select = None,
                           limit: int | None = None,
                           progress: bool | None = None) -> pd.DataFrame:
        """Service principals (the tenant's instances of apps): name, client id, type,
        enabled, owner tenant, object id."""
        return self._frame(SERVICE_PRINCIPALS, progress, filter=filter, select=select,
                           limit=limit)

    async def service_principals_async(self, *, filter: Where = None, select: Select = None,
                                       limit: int | None = None,
                                       progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`service_principals`."""
        return await self._frame_async(SERVICE_PRINCIPALS, progress, filter=filter,
                                       select=select, limit=limit)

    def grants(self, *, filter: Where = None, select: Select = None, limit: int | None = None,
               progress: bool | None = None) -> pd.DataFrame:
        """Delegated permission grants (consents): client and resource service principals,
        consent type, the user for a ``Principal`` grant, and the scopes."""
        return self._frame(GRANTS, progress, filter=filter, select=select, limit=limit)

    async def grants_async(self, *, filter: Where = None, select: Select = None,
                           limit: int | None = None,
                           progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`grants`."""
        return await self._frame_async(GRANTS, progress, filter=filter, select=select,
                                       limit=limit)

    def conditional_access(self, *, filter: Where = None, select: Select = None,
                           limit: int | None = None,
                           progress: bool | None = None) -> pd.DataFrame:
        """Conditional access policies: name, state, grant controls, who and which apps they
        include, created and modified."""
        return self._frame(CA_POLICIES, progress, filter=filter, select=select, limit=limit)

    async def conditional_access_async(self, *, filter: Where = None, select: Select = None,
                                       limit: int | None = None,
                                       progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`conditional_access`."""
        return await self._frame_async(CA_POLICIES, progress, filter=filter, select=select,
                                       limit=limit)

    def conditional_access_templates(self, *, scenario: str | None = None,
                                     select: Select = None, limit: int | None = None,
                                     progress: bool | None = None) -> pd.DataFrame:
        """Conditional access templates, optionally of one ``scenario`` (``secureFoundation``,
        ``zeroTrust``, ``protectAdmins``...)."""
        return self._frame(CA_TEMPLATES, progress, scenario=scenario, select=select,
                           limit=limit)

    async def conditional_access_templates_async(
        self, *, scenario: str | None = None, select: Select = None, limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Async twin of :meth:`conditional_access_templates`."""
        return await self._frame_async(CA_TEMPLATES, progress, scenario=scenario,
                                       select=select, limit=limit)
