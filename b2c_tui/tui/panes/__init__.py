"""Resource panes: one module per resource, registered here in navigation order.

Adding a resource means adding a pane module and a line to :data:`PANES`; a pane whose issue
has not landed yet shows as "coming".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaneInfo:
    """A navigation entry: ``module:Class`` of the pane, or ``None`` while it is coming."""

    id: str
    title: str
    target: str | None
    aliases: tuple[str, ...] = ()
    summary: str = ""


PANES: tuple[PaneInfo, ...] = (
    PaneInfo("users", "Users", "b2c_tui.tui.panes.users:UsersPane", ("user", "u"),
             "Consumer and admin accounts, sign-in names, extension attributes"),
    PaneInfo("auth-methods", "Auth methods", "b2c_tui.tui.panes.auth_methods:AuthMethodsPane",
             ("methods", "mfa", "phone"), "Phone, email and OATH methods of the selected user"),
    PaneInfo("identity-providers", "Identity providers", None, ("idp", "idps"),
             "Social and OpenID Connect identity providers"),
    PaneInfo("user-flows", "User flows", None, ("flows", "uf"), "B2C user flows"),
    PaneInfo("external-flows", "External ID flows", None, ("events", "ext"),
             "Entra External ID sign-up flows"),
    PaneInfo("auth-policy", "Auth methods policy", None, ("amp",),
             "The B2C authentication methods policy"),
    PaneInfo("policies", "Custom policies", None, ("policy", "ief", "tf"),
             "Trust Framework policies (XML)"),
    PaneInfo("keysets", "Policy keys", None, ("keys", "keyset"), "Policy keysets and keys"),
    PaneInfo("applications", "Applications", None, ("apps", "app"),
             "App registrations, service principals, grants"),
    PaneInfo("attributes", "User-flow attributes", None, ("attrs", "attribute"),
             "Built-in and custom attributes"),
    PaneInfo("conditional-access", "Conditional access", None, ("ca",),
             "Conditional access policies and templates"),
    PaneInfo("deleted", "Deleted items", None, ("deleted-items", "trash", "bin"),
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
