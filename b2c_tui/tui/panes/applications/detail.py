"""The application detail view's sections: the registration, its redirect URIs, secrets and
certificates (metadata only; expiring ones marked), exposed scopes, the permissions it asks
for, its service principal and the permissions granted to it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ... import kit
from ...kit.spec import JOINED
from ...safe_text import safe
from .credentials import EXPIRED, EXPIRING, credentials
from .listing import GRANTS, SP

#: Names of the resource service principals the grants point at (filled by the pane).
RESOURCES = JOINED + "resources"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
#: Microsoft Graph's delegated permissions B2C apps ask for, by their well-known ids.
GRAPH_SCOPES = {
    "37f7f235-527c-4136-accd-4a02d197296e": "openid",
    "7427e0e9-2fba-42fe-b0c0-848c9e6a8182": "offline_access",
    "e1fe6dd8-ba31-4d61-89e7-88639da4683d": "User.Read",
}
Render = Callable[[Mapping[str, Any]], RenderableType]


def _grid(*headers: str) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2))
    for header in headers:
        table.add_column(header, style="bold" if header == headers[0] else None)
    return table


def _none(text: str) -> Text:
    return Text(text, style="dim italic")


def redirects(record: Mapping[str, Any]) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for prop, label in (("web", "Web"), ("spa", "Single-page app"),
                        ("publicClient", "Mobile and desktop")):
        grid.add_row(label, kit.show_value((record.get(prop) or {}).get("redirectUris")))
    implicit = ((record.get("web") or {}).get("implicitGrantSettings") or {})
    grid.add_row("ID tokens (implicit)",
                 kit.show_value(bool(implicit.get("enableIdTokenIssuance"))))
    return grid


def secrets(now: datetime) -> Render:
    def render(record: Mapping[str, Any]) -> RenderableType:
        found = credentials(record)
        if not found:
            return _none("No secrets or certificates. a adds a secret.")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for c in found:
            status = c.status(now)
            flagged = status[:1] in (EXPIRED, EXPIRING)
            text = Text(safe(c.name) or "(no description)")
            if c.masked_hint:
                text.append(f"  {safe(c.masked_hint)}")
            ends = c.end.strftime("%Y-%m-%d %H:%M UTC") if c.end else "never"
            text.append(f"\nends {ends} · ")
            text.append(status, style="bold" if flagged else "")
            text.append(f"\nkey id {safe(c.key_id)}", style="dim")
            grid.add_row(c.kind, text)
        return Group(grid, _none("Secret values are shown once, when added; Graph never "
                                 "returns them again."))

    return render


def scopes(record: Mapping[str, Any]) -> RenderableType:
    items = (record.get("api") or {}).get("oauth2PermissionScopes") or []
    if not items:
        return _none("This app exposes no scopes.")
    table = _grid("Scope", "Who consents", "Enabled", "Description")
    for scope in items:
        table.add_row(kit.show_value(scope.get("value")), kit.show_value(scope.get("type")),
                      kit.show_value(bool(scope.get("isEnabled"))),
                      kit.show_value(scope.get("adminConsentDescription")))
    return table


def required(record: Mapping[str, Any]) -> RenderableType:
    items = record.get("requiredResourceAccess") or []
    if not items:
        return _none("This app asks for no API permissions.")
    table = _grid("API", "Permission", "Type")
    for resource in items:
        app_id = str(resource.get("resourceAppId") or "")
        api = "Microsoft Graph" if app_id == GRAPH_APP_ID else app_id
        for access in resource.get("resourceAccess") or ():
            key = str(access.get("id") or "")
            name = GRAPH_SCOPES.get(key, key) if app_id == GRAPH_APP_ID else key
            kind = "delegated" if access.get("type") == "Scope" else "application"
            table.add_row(kit.show_value(api), kit.show_value(name), Text(kind))
    return table


def principal(record: Mapping[str, Any]) -> RenderableType:
    sp = record.get(SP)
    if not isinstance(sp, Mapping):
        return _none("No service principal: the app cannot be consented to or signed in to "
                     "in this tenant until one is created.")
    return kit.fields_table((("Object id", "id"), ("Name", "displayName"),
                             ("Enabled", "accountEnabled"), ("Type", "servicePrincipalType"),
                             ("Owner tenant", "appOwnerOrganizationId")))(sp)


def grants(record: Mapping[str, Any]) -> RenderableType:
    items = record.get(GRANTS) or []
    if not items:
        return _none("No delegated permissions are granted to this app.")
    names = record.get(RESOURCES) or {}
    table = _grid("Resource", "Consent", "For", "Scopes")
    for grant in items:
        resource = str(grant.get("resourceId") or "")
        who = "all users" if grant.get("consentType") == "AllPrincipals" else \
            str(grant.get("principalId") or "")
        table.add_row(kit.show_value(names.get(resource) or resource),
                      kit.show_value(grant.get("consentType")), kit.show_value(who),
                      kit.show_value(grant.get("scope")))
    return table


def sections(now: datetime) -> tuple[kit.Section, ...]:
    """The detail view of an application; expiry marks relative to ``now`` (the tenant's)."""
    return (
        kit.Section("Application", kit.fields_table((
            ("Name", "displayName"), ("Client id", "appId"), ("Object id", "id"),
            ("Audience", "signInAudience"), ("Created", "createdDateTime"),
            ("Publisher domain", "publisherDomain"), ("App ID URIs", "identifierUris"),
            ("Notes", "notes")))),
        kit.Section("Redirect URIs", redirects),
        kit.Section("Secrets and certificates", secrets(now)),
        kit.Section("Exposed scopes", scopes),
        kit.Section("API permissions it asks for", required),
        kit.Section("Service principal", principal),
        kit.Section("Permissions granted", grants),
    )
