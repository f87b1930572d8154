"""Sign-in configuration families of :class:`~b2c_tui.api.Tenant`: identity providers, B2C user
flows, External ID flows, the B2C authentication methods policy and user-flow attributes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..frames.attributes import ATTRIBUTE_COLUMNS
from ..frames.auth_methods_policy import AUTH_METHODS_POLICY_COLUMNS
from ..frames.external_flows import EXTERNAL_FLOW_COLUMNS, EXTERNAL_FLOW_OPTIONAL_COLUMNS
from ..frames.identity_providers import (
    IDENTITY_PROVIDER_COLUMNS,
    IDENTITY_PROVIDER_OPTIONAL_COLUMNS,
)
from ..frames.user_flows import USER_FLOW_COLUMNS, USER_FLOW_OPTIONAL_COLUMNS
from .base import Select, TenantBase, listing_methods
from .frames import Listing, records_frame
from .progress import Progress

IDENTITY_PROVIDERS = Listing("Identity providers", IDENTITY_PROVIDER_COLUMNS,
                             IDENTITY_PROVIDER_OPTIONAL_COLUMNS,
                             pages=lambda c, query, prefetch, version: c.identity_providers.list(
                                 query, version=version, prefetch=prefetch))
USER_FLOWS = Listing("User flows", USER_FLOW_COLUMNS, USER_FLOW_OPTIONAL_COLUMNS,
                     dtypes={"isLanguageCustomizationEnabled": "bool"},
                     pages=lambda c, query, prefetch, expand: c.b2c_user_flows.list(
                         query, expand=expand, prefetch=prefetch))
EXTERNAL_FLOWS = Listing("External ID flows", EXTERNAL_FLOW_COLUMNS,
                         EXTERNAL_FLOW_OPTIONAL_COLUMNS, resource="authenticationEventsFlows",
                         dtypes={"priority": "Int64"},
                         pages=lambda c, query, prefetch: c.external_flows.list(
                             query, prefetch=prefetch))
AUTH_METHODS_POLICY = Listing("Auth methods policy", AUTH_METHODS_POLICY_COLUMNS,
                              dtypes={c.key: "bool" for c in AUTH_METHODS_POLICY_COLUMNS})
ATTRIBUTES = Listing("User-flow attributes", ATTRIBUTE_COLUMNS, resource="userFlowAttributes",
                     server_select=True,
                     pages=lambda c, query, prefetch: c.user_flow_attributes.list(
                         query, prefetch=prefetch))


def _user_flow_options(providers: bool, select: Select) -> dict[str, Any]:
    """Each flow's providers are expanded when asked for (``providers=True`` adds them as
    columns; selecting ``identityProviders`` names the column)."""
    named = select is not None and "identityProviders" in (
        [select] if isinstance(select, str) else list(select))
    return {"expand": "identityProviders" if providers or named else None,
            "extra": USER_FLOW_OPTIONAL_COLUMNS if providers else ()}


class IdentityMixin(TenantBase):
    """Identity providers, user flows, External ID flows, the auth methods policy and
    user-flow attributes."""

    # -- identity providers ----------------------------------------------------------------
    def identity_providers(self, *, version: str | None = None, select: Select = None,
                           limit: int | None = None,
                           progress: bool | None = None) -> pd.DataFrame:
        """The tenant's identity providers (social, Apple, built-in); ``version="beta"`` also
        shows B2C OpenID Connect providers. ``kind`` is each record's type; client secrets are
        never included."""
        return self._frame(IDENTITY_PROVIDERS, progress, version=version, select=select,
                           limit=limit)

    async def identity_providers_async(self, *, version: str | None = None,
                                       select: Select = None, limit: int | None = None,
                                       progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`identity_providers`."""
        return await self._frame_async(IDENTITY_PROVIDERS, progress, version=version,
                                       select=select, limit=limit)

    # -- B2C user flows --------------------------------------------------------------------
    def user_flows(self, *, providers: bool = False, select: Select = None,
                   limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        """The B2C user flows (``B2C_1_...``, beta): type, version, languages;
        ``providers=True`` adds each flow's identity providers."""
        return self._frame(USER_FLOWS, progress, select=select, limit=limit,
                           **_user_flow_options(providers, select))

    async def user_flows_async(self, *, providers: bool = False, select: Select = None,
                               limit: int | None = None,
                               progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`user_flows`."""
        return await self._frame_async(USER_FLOWS, progress, select=select, limit=limit,
                                       **_user_flow_options(providers, select))

    # -- External ID flows -----------------------------------------------------------------
    external_flows, external_flows_async = listing_methods(
        "external_flows", EXTERNAL_FLOWS,
        """Entra External ID sign-up flows: whether sign-up is allowed, the identity providers
        and attributes each collects, the applications it serves.""")

    # -- the B2C authentication methods policy ---------------------------------------------
    def auth_methods_policy(self) -> pd.DataFrame:
        """The B2C authentication methods policy (beta) as one row of three flags: email +
        password, user name + password, phone one-time code."""
        return self._sync(self._auth_policy, None, None)

    async def auth_methods_policy_async(self) -> pd.DataFrame:
        """Async twin of :meth:`auth_methods_policy`."""
        return await self._async(self._auth_policy, None, None)

    async def _auth_policy(self, _bar: Progress | None) -> pd.DataFrame:
        record: dict[str, Any] = await self.client.b2c_auth_methods_policy.get()
        return records_frame([record] if record else [], AUTH_METHODS_POLICY.columns,
                             AUTH_METHODS_POLICY.dtypes)

    # -- user-flow attributes --------------------------------------------------------------
    user_flow_attributes, user_flow_attributes_async = listing_methods(
        "user_flow_attributes", ATTRIBUTES,
        """Built-in and custom user-flow attributes: name, data type, kind (``builtIn``,
        ``custom``), description and id (``extension_<app>_<Name>`` for custom ones).""")
