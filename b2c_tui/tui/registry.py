"""Every pane of the explorer in navigation order, imported explicitly (never by name).

Adding a resource: write its pane module under :mod:`b2c_tui.tui.panes` (see the kit's guide in
:mod:`b2c_tui.tui.kit`) and put its class in its entry here. An entry whose pane is ``None`` shows
as "coming".
"""

from __future__ import annotations

from .kit.base import PaneInfo
from .panes.applications import ApplicationsPane
from .panes.attributes import AttributesPane
from .panes.auth_methods import AuthMethodsPane
from .panes.auth_policy import AuthPolicyPane
from .panes.conditional_access import ConditionalAccessPane
from .panes.deleted import DeletedItemsPane
from .panes.external_flows import ExternalFlowsPane
from .panes.identity_providers import IdentityProvidersPane
from .panes.keys import KeysPane
from .panes.policies import PoliciesPane
from .panes.user_flows import UserFlowsPane
from .panes.users import UsersPane

PANES: tuple[PaneInfo, ...] = (
    PaneInfo("users", "Users", UsersPane, ("user", "u"),
             "Consumer and admin accounts, sign-in names, extension attributes"),
    PaneInfo("auth-methods", "Auth methods", AuthMethodsPane,
             ("methods", "mfa", "phone"), "Phone, email and OATH methods of the selected user"),
    PaneInfo("identity-providers", "Identity providers", IdentityProvidersPane, ("idp", "idps"),
             "Social and OpenID Connect identity providers"),
    PaneInfo("user-flows", "User flows", UserFlowsPane, ("flows", "uf"), "B2C user flows"),
    PaneInfo("external-flows", "External ID flows", ExternalFlowsPane,
             ("events", "ext", "external-flows"),
             "Entra External ID sign-up flows"),
    PaneInfo("auth-policy", "Auth methods policy", AuthPolicyPane, ("amp",),
             "The B2C authentication methods policy"),
    PaneInfo("policies", "Custom policies", PoliciesPane, ("policy", "ief", "tf"),
             "Trust Framework policies (XML)"),
    PaneInfo("keysets", "Policy keys", KeysPane, ("keys", "keyset"), "Policy keysets and keys"),
    PaneInfo("applications", "Applications", ApplicationsPane, ("apps", "app"),
             "App registrations, service principals, grants"),
    PaneInfo("attributes", "User-flow attributes", AttributesPane, ("attrs", "attribute"),
             "Built-in and custom attributes"),
    PaneInfo("conditional-access", "Conditional access", ConditionalAccessPane, ("ca",),
             "Conditional access policies and templates"),
    PaneInfo("deleted", "Deleted items", DeletedItemsPane, ("deleted-items", "trash", "bin"),
             "Deleted users and applications (restorable for 30 days)"),
    PaneInfo("audit", "Audit log", None, ("audits", "logs"), "Directory audit entries"),
    PaneInfo("quota", "Tenant quota", None, ("org", "organization"),
             "Directory size quota and tenant details"),
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
