"""The Graph families the emulator serves, one class each, imported explicitly.

A family that fails to import fails the emulator's start: nothing is looked up by name and
no error is swallowed. Families never import each other (an import-linter contract holds
them apart); what they share lives in the store's parts.
"""

from __future__ import annotations

from .applications import Applications, PermissionGrants, ServicePrincipals
from .audit import DirectoryAudits
from .auth_methods import AuthenticationMethods
from .b2c_auth_policy import B2CAuthenticationMethodsPolicy
from .base import Family
from .conditional_access import ConditionalAccess
from .deleted_items import DeletedItems
from .external_flows import AuthenticationEventsFlows
from .identity_providers import IdentityProviders
from .keysets import KeySets
from .organization import Organization
from .trust_framework import TrustFrameworkPolicies
from .user_flow_attributes import UserFlowAttributes
from .user_flow_parts import B2CUserFlowParts, EventsFlowApplications
from .user_flows import B2CUserFlows
from .users import Users

#: Every family, in the order they are registered.
FAMILIES: tuple[type[Family], ...] = (
    Users,
    AuthenticationMethods,
    Applications,
    ServicePrincipals,
    PermissionGrants,
    DeletedItems,
    DirectoryAudits,
    Organization,
    IdentityProviders,
    B2CUserFlows,
    B2CUserFlowParts,
    AuthenticationEventsFlows,
    EventsFlowApplications,
    B2CAuthenticationMethodsPolicy,
    TrustFrameworkPolicies,
    KeySets,
    UserFlowAttributes,
    ConditionalAccess,
)

__all__ = ["FAMILIES", "Family"]
