"""Every pane of the explorer in navigation order, imported explicitly (never by name).

Adding a resource: write its pane module under :mod:`b2c_tui.tui.panes` (see the kit's guide in
:mod:`b2c_tui.tui.kit`), and here a loader that imports its class and returns it (as the ones
below) in its entry. An entry whose pane is ``None`` shows as "coming".

Loaders, not imports at the top: a pane module is imported when its pane is first shown (or
the help lists its keys), so start-up pays for the first pane only. Keep pane imports out of
this module's top (``tests/unit/test_startup_imports.py`` checks that no pane is imported with
the app).
"""

from __future__ import annotations

from functools import cache

from .kit.base import PaneInfo, ResourcePane


@cache
def _users() -> type[ResourcePane]:
    from .panes.users import UsersPane

    return UsersPane


@cache
def _auth_methods() -> type[ResourcePane]:
    from .panes.auth_methods import AuthMethodsPane

    return AuthMethodsPane


@cache
def _identity_providers() -> type[ResourcePane]:
    from .panes.identity_providers import IdentityProvidersPane

    return IdentityProvidersPane


@cache
def _user_flows() -> type[ResourcePane]:
    from .panes.user_flows import UserFlowsPane

    return UserFlowsPane


@cache
def _external_flows() -> type[ResourcePane]:
    from .panes.external_flows import ExternalFlowsPane

    return ExternalFlowsPane


@cache
def _auth_policy() -> type[ResourcePane]:
    from .panes.auth_policy import AuthPolicyPane

    return AuthPolicyPane


@cache
def _policies() -> type[ResourcePane]:
    from .panes.policies import PoliciesPane

    return PoliciesPane


@cache
def _keys() -> type[ResourcePane]:
    from .panes.keys import KeysPane

    return KeysPane


@cache
def _applications() -> type[ResourcePane]:
    from .panes.applications import ApplicationsPane

    return ApplicationsPane


@cache
def _attributes() -> type[ResourcePane]:
    from .panes.attributes import AttributesPane

    return AttributesPane


@cache
def _conditional_access() -> type[ResourcePane]:
    from .panes.conditional_access import ConditionalAccessPane

    return ConditionalAccessPane


@cache
def _deleted() -> type[ResourcePane]:
    from .panes.deleted import DeletedItemsPane

    return DeletedItemsPane


@cache
def _audit() -> type[ResourcePane]:
    from .panes.audit import AuditPane

    return AuditPane


@cache
def _tenant() -> type[ResourcePane]:
    from .panes.tenant import TenantPane

    return TenantPane


PANES: tuple[PaneInfo, ...] = (
    PaneInfo("tenant", "Tenant", _tenant, ("dashboard", "home", "quota", "org", "organization"),
             "The tenant at a glance: quota, object counts, health"),
    PaneInfo("users", "Users", _users, ("user", "u"),
             "Consumer and admin accounts, sign-in names, extension attributes"),
    PaneInfo("auth-methods", "Auth methods", _auth_methods,
             ("methods", "mfa", "phone"), "Phone, email and OATH methods of the selected user"),
    PaneInfo("identity-providers", "Identity providers", _identity_providers, ("idp", "idps"),
             "Social and OpenID Connect identity providers"),
    PaneInfo("user-flows", "User flows", _user_flows, ("flows", "uf"), "B2C user flows"),
    PaneInfo("external-flows", "External ID flows", _external_flows,
             ("events", "ext", "external-flows"),
             "Entra External ID sign-up flows"),
    PaneInfo("auth-policy", "Auth methods policy", _auth_policy, ("amp",),
             "The B2C authentication methods policy"),
    PaneInfo("policies", "Custom policies", _policies, ("policy", "ief", "tf"),
             "Trust Framework policies (XML)"),
    PaneInfo("keysets", "Policy keys", _keys, ("keys", "keyset"), "Policy keysets and keys"),
    PaneInfo("applications", "Applications", _applications, ("apps", "app"),
             "App registrations, service principals, grants"),
    PaneInfo("attributes", "User-flow attributes", _attributes, ("attrs", "attribute"),
             "Built-in and custom attributes"),
    PaneInfo("conditional-access", "Conditional access", _conditional_access, ("ca",),
             "Conditional access policies and templates"),
    PaneInfo("deleted", "Deleted items", _deleted, ("deleted-items", "trash", "bin"),
             "Deleted users and applications (restorable for 30 days)"),
    PaneInfo("audit", "Audit log", _audit, ("audits", "logs"),
             "Directory audit entries: the tenant's, archived, or both"),
)


def find_pane(name: str) -> PaneInfo | None:
    """A pane by id, alias, title or unambiguous prefix (for `:` and the palette)."""
    key = name.strip().lower()
    if not key:
        return None
    for pane in PANES:
        if key in (pane.id, pane.title.lower(), *pane.aliases):
            return pane
    matches = [p for p in PANES if p.id.startswith(key) or p.title.lower().startswith(key)]
    return matches[0] if len(matches) == 1 else None
