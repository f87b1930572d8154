"""App registration, service principal and delegated permission grant columns (v1.0).

Redirect URIs of the web, SPA and public-client platforms are one ``; ``-joined column. Client
secrets are never readable (Graph returns only their metadata); the ``secretsExpire`` column
shows when the first of them runs out, read from that metadata (no secret text is kept).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import joined
from .columns import Column


def redirect_uris(record: Mapping[str, Any]) -> str | None:
    """Every platform's redirect URIs (web, SPA, public client), in that order, once each."""
    uris: dict[str, None] = {}
    for platform in ("web", "spa", "publicClient"):
        settings = record.get(platform)
        values = settings.get("redirectUris") if isinstance(settings, Mapping) else None
        uris.update(dict.fromkeys(str(v) for v in values or () if v))
    return joined(uris)


def first_expiry(prop: str) -> Any:
    """A getter for the earliest ``endDateTime`` among ``prop`` (password or key credentials)."""

    def get(record: Mapping[str, Any]) -> str | None:
        items = record.get(prop)
        ends = [str(i["endDateTime"]) for i in items or ()
                if isinstance(i, Mapping) and i.get("endDateTime")]
        return min(ends) if ends else None

    return get


APPLICATION_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=30),
    Column("appId", "Client id", width=36),
    Column("signInAudience", "Audience", width=20),
    Column("createdDateTime", "Created", kind="datetime", width=16),
    Column("redirectUris", "Redirect URIs", select=("web", "spa", "publicClient"),
           get=redirect_uris, width=40),
    Column("secretsExpire", "Secret expires", select=("passwordCredentials",),
           get=first_expiry("passwordCredentials"), kind="datetime", width=16),
    Column("id", "Object id", width=36),
)

APPLICATION_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("publisherDomain", "Publisher domain"),
    Column("identifierUris", "App ID URIs", width=40),
    Column("certificatesExpire", "Certificate expires", select=("keyCredentials",),
           get=first_expiry("keyCredentials"), kind="datetime", width=16),
    Column("isFallbackPublicClient", "Public client", kind="bool"),
    Column("notes", "Notes"),
    Column("tags", "Tags"),
    Column("description", "Description"),
)

SERVICE_PRINCIPAL_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=30),
    Column("appId", "Client id", width=36),
    Column("servicePrincipalType", "Type", width=12),
    Column("accountEnabled", "Enabled", kind="bool", width=7),
    Column("appOwnerOrganizationId", "Owner tenant", width=36),
    Column("id", "Object id", width=36),
)

SERVICE_PRINCIPAL_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("appDisplayName", "App name"),
    Column("signInAudience", "Audience", width=20),
    Column("servicePrincipalNames", "Names", width=40),
    Column("appRoleAssignmentRequired", "Assignment required", kind="bool"),
    Column("preferredSingleSignOnMode", "SSO mode"),
    Column("tags", "Tags"),
)

#: Delegated permission grants: client and resource are service principal object ids.
GRANT_COLUMNS: tuple[Column, ...] = (
    Column("clientId", "Client (service principal)", width=36),
    Column("resourceId", "Resource (service principal)", width=36),
    Column("consentType", "Consent", width=13),
    Column("principalId", "User", width=36),
    Column("scope", "Scope", width=40),
    Column("id", "Id", width=44),
)
