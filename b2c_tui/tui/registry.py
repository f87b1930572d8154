"""Every pane of the explorer in navigation order, imported explicitly (never by name).

Adding a resource: write its pane module under :mod:`b2c_tui.tui.panes` (see the kit's guide in
:mod:`b2c_tui.tui.kit`) and put its class in its entry here. An entry whose pane is ``None`` shows
as "coming".
"""

from __future__ import annotations

from .kit.base import PaneInfo
from .panes.attributes import AttributesPane
from .panes.audit import AuditPane
from .panes.auth_methods import AuthMethodsPane
from .panes.tenant import TenantPane
from .panes.users import UsersPane

PANES: tuple[PaneInfo, ...] = (
    PaneInfo("tenant", "Tenant", TenantPane, ("dashboard", "home", "quota", "org", "organization"),
             "The tenant at a glance: quota, object counts, health"),
    PaneInfo("users", "Users", UsersPane, ("user", "u"),
             "Consumer and admin accounts, sign-in names, extension attributes"),
    PaneInfo("auth-methods", "Auth methods", AuthMethodsPane,
             ("methods", "mfa", "phone"), "Phone, email and OATH methods of the selected user"),
    PaneInfo("identity-providers", "Identity providers", None, ("idp", "idps"),
             "Social and OpenID Connect identity providers"),
    PaneInfo("user-flows", "User flows", None, ("flows", "uf"), "B2C user flows"),
    PaneInfo("external-flows", "External ID flows", None, ("events", "ext", "external-flows"),
             "Entra External ID sign-up flows"),
    PaneInfo("auth-policy", "Auth methods policy", None, ("amp",),
             "The B2C authentication methods policy"),
    PaneInfo("policies", "Custom policies", None, ("policy", "ief", "tf"),
             "Trust Framework policies (XML)"),
    PaneInfo("keysets", "Policy keys", None, ("keys", "keyset"), "Policy keysets and keys"),
    PaneInfo("applications", "Applications", None, ("apps", "app"),
             "App registrations, service principals, grants"),
    PaneInfo("attributes", "User-flow attributes", AttributesPane, ("attrs", "attribute"),
             "Built-in and custom attributes"),
    PaneInfo("conditional-access", "Conditional access", None, ("ca",),
             "Conditional access policies and templates"),
    PaneInfo("deleted", "Deleted items", None, ("deleted-items", "trash", "bin"),
             "Deleted users and applications (restorable for 30 days)"),
    PaneInfo("audit", "Audit log", AuditPane, ("audits", "logs"),
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
