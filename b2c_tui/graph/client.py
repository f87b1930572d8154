"""``GraphClient``: the async Graph client, one attribute per resource family.

    async with GraphClient.for_token_source(provider) as graph:
        async for page in graph.users.list(select=USER_SELECT, top=999):
            ...

Every family lives in its own module under :mod:`b2c_tui.graph.resources`; this class only
wires them to one :class:`~b2c_tui.graph.core.GraphCore`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import httpx

from .core import DEFAULT_GRAPH_URL, GraphCore, TokenSource
from .resources.applications import ApplicationsAPI
from .resources.audit import AuditAPI
from .resources.auth_methods import AuthMethodsAPI
from .resources.b2c_auth_methods_policy import B2CAuthMethodsPolicyAPI
from .resources.b2c_user_flows import B2CUserFlowsAPI
from .resources.base import ResourceAPI, is_mutating
from .resources.conditional_access import ConditionalAccessAPI
from .resources.deleted_items import DeletedItemsAPI
from .resources.external_flows import ExternalFlowsAPI
from .resources.identity_providers import IdentityProvidersAPI
from .resources.keysets import KeySetsAPI
from .resources.organization import OrganizationAPI
from .resources.trust_framework import TrustFrameworkPoliciesAPI
from .resources.user_flow_attributes import UserFlowAttributesAPI
from .resources.users import UsersAPI
from .retry import RetryPolicy


class GraphClient:
    """Microsoft Graph for B2C and External ID tenants."""

    def __init__(self, core: GraphCore) -> None:
        self.core = core
        self.users = UsersAPI(core)
        self.auth_methods = AuthMethodsAPI(core)
        self.identity_providers = IdentityProvidersAPI(core)
        self.b2c_user_flows = B2CUserFlowsAPI(core)
        self.external_flows = ExternalFlowsAPI(core)
        self.b2c_auth_methods_policy = B2CAuthMethodsPolicyAPI(core)
        self.policies = TrustFrameworkPoliciesAPI(core)
        self.keysets = KeySetsAPI(core)
        self.applications = ApplicationsAPI(core)
        self.user_flow_attributes = UserFlowAttributesAPI(core)
        self.organization = OrganizationAPI(core)
        self.audit = AuditAPI(core)
        self.conditional_access = ConditionalAccessAPI(core)
        self.deleted_items = DeletedItemsAPI(core)

    @classmethod
    def create(
        cls,
        token_source: TokenSource | None,
        *,
        graph_url: str = DEFAULT_GRAPH_URL,
        read_only: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        **core_options: Any,
    ) -> GraphClient:
        """A client with its own core (and its own connection pool unless ``http`` is given)."""
        core = GraphCore(
            token_source, graph_url=graph_url, read_only=read_only, transport=transport,
            http=http, retry=retry, **core_options,
        )
        return cls(core)

    @property
    def read_only(self) -> bool:
        return self.core.read_only

    def families(self) -> Iterator[tuple[str, ResourceAPI]]:
        """(attribute name, family API) for every resource family."""
        for name, value in vars(self).items():
            if isinstance(value, ResourceAPI):
                yield name, value

    def operations(self) -> Iterator[tuple[str, str, Any, bool]]:
        """(family, method name, bound method, mutating?) for every public operation."""
        for family, api in self.families():
            for name, member in inspect.getmembers(api, inspect.ismethod):
                if name.startswith("_"):
                    continue
                yield family, name, member, is_mutating(member)

    async def aclose(self) -> None:
        await self.core.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
