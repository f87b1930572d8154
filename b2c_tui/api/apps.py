"""Application families of :class:`~b2c_tui.api.Tenant`: app registrations, service
principals, delegated permission grants, and conditional access policies and templates."""

from __future__ import annotations

import pandas as pd

from ..frames.applications import (
    APPLICATION_COLUMNS,
    APPLICATION_OPTIONAL_COLUMNS,
    GRANT_COLUMNS,
    SERVICE_PRINCIPAL_COLUMNS,
    SERVICE_PRINCIPAL_OPTIONAL_COLUMNS,
)
from ..frames.conditional_access import POLICY_COLUMNS, POLICY_OPTIONAL_COLUMNS, TEMPLATE_COLUMNS
from .base import Select, TenantBase, listing_methods
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


class AppsMixin(TenantBase):
    """Applications, service principals, grants and conditional access."""

    applications, applications_async = listing_methods(
        "applications", APPLICATIONS,
        """App registrations: name, client id, audience, created, redirect URIs, when the first
        client secret expires, object id.""")

    service_principals, service_principals_async = listing_methods(
        "service_principals", SERVICE_PRINCIPALS,
        """Service principals (the tenant's instances of apps): name, client id, type,
        enabled, owner tenant, object id.""")

    grants, grants_async = listing_methods(
        "grants", GRANTS,
        """Delegated permission grants (consents): client and resource service principals,
        consent type, the user for a ``Principal`` grant, and the scopes.""")

    conditional_access, conditional_access_async = listing_methods(
        "conditional_access", CA_POLICIES,
        """Conditional access policies: name, state, grant controls, who and which apps they
        include, created and modified.""")

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
