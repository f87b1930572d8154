"""Records of applications, service principals and grants as Graph returns them, and the
seeded apps every demo tenant has."""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso, seeded_uuid

if TYPE_CHECKING:
    from ..store import Store
    from .apps import AppDirectory

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
EXTENSIONS_APP_NAME = "b2c-extensions-app. Do not modify. Used by AADB2C for storing user data."
#: The well-known delegated scopes Microsoft Graph exposes that the seeded grants use.
GRAPH_SCOPES = {
    "openid": "37f7f235-527c-4136-accd-4a02d197296e",
    "offline_access": "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
    "User.Read": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
}

#: (displayName, signInAudience, kind) of the apps every demo tenant has.
SEEDED_APPS = [
    (EXTENSIONS_APP_NAME, "AzureADMyOrg", "extensions"),
    ("IdentityExperienceFramework", "AzureADMyOrg", "ief"),
    ("ProxyIdentityExperienceFramework", "AzureADMyOrg", "proxy"),
    ("Contoso Web", "AzureADandPersonalMicrosoftAccount", "web"),
    ("Contoso Mobile", "AzureADandPersonalMicrosoftAccount", "mobile"),
    ("Contoso API", "AzureADandPersonalMicrosoftAccount", "api"),
    ("b2c-tui", "AzureADMyOrg", "daemon"),
]


def _unverified_publisher() -> dict[str, Any]:
    return {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None}


def application(
    object_id: str,
    app_id: str,
    display_name: str,
    created: str,
    publisher_domain: str,
    sign_in_audience: str = "AzureADandPersonalMicrosoftAccount",
) -> dict[str, Any]:
    """A complete application object with Graph's defaults."""
    return {
        "id": object_id,
        "deletedDateTime": None,
        "appId": app_id,
        "applicationTemplateId": None,
        "disabledByMicrosoftStatus": None,
        "createdDateTime": created,
        "displayName": display_name,
        "description": None,
        "groupMembershipClaims": None,
        "identifierUris": [],
        "isDeviceOnlyAuthSupported": None,
        "isFallbackPublicClient": None,
        "notes": None,
        "oauth2RequiredPostResponse": False,
        "publisherDomain": publisher_domain,
        # not in the documented resource, but in every documented answer (null unless SAML)
        "samlMetadataUrl": None,
        "signInAudience": sign_in_audience,
        "tags": [],
        "tokenEncryptionKeyId": None,
        "verifiedPublisher": _unverified_publisher(),
        "addIns": [],
        "api": {
            "acceptMappedClaims": None,
            "knownClientApplications": [],
            "requestedAccessTokenVersion": 2,
            "oauth2PermissionScopes": [],
            "preAuthorizedApplications": [],
        },
        "appRoles": [],
        "info": {
            "logoUrl": None,
            "marketingUrl": None,
            "privacyStatementUrl": None,
            "supportUrl": None,
            "termsOfServiceUrl": None,
        },
        "keyCredentials": [],
        "optionalClaims": None,
        "parentalControlSettings": {"countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow"},
        "passwordCredentials": [],
        "publicClient": {"redirectUris": []},
        "requiredResourceAccess": [],
        "spa": {"redirectUris": []},
        "web": {
            "homePageUrl": None,
            "logoutUrl": None,
            "redirectUris": [],
            "implicitGrantSettings": {
                "enableAccessTokenIssuance": False,
                "enableIdTokenIssuance": False,
            },
        },
    }


def service_principal(
    object_id: str, app: dict[str, Any], owner_tenant: str, publisher: str
) -> dict[str, Any]:
    """A service principal for ``app`` (an application object or a first-party stub),
    published by the tenant named ``publisher``."""
    return {
        "id": object_id,
        "deletedDateTime": None,
        "accountEnabled": True,
        "alternativeNames": [],
        "appDisplayName": app["displayName"],
        "appDescription": None,
        "appId": app["appId"],
        "applicationTemplateId": None,
        "appOwnerOrganizationId": owner_tenant,
        "appRoleAssignmentRequired": False,
        "description": None,
        "disabledByMicrosoftStatus": None,
        "displayName": app["displayName"],
        "homepage": None,
        "loginUrl": None,
        "logoutUrl": None,
        "notes": None,
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": None,
        # in the documented answers though not in the resource: the publishing tenant's name
        "publisherName": publisher,
        "replyUrls": list((app.get("web") or {}).get("redirectUris") or []),
        "servicePrincipalNames": [app["appId"], *app.get("identifierUris", [])],
        "servicePrincipalType": "Application",
        "signInAudience": app.get("signInAudience", "AzureADMyOrg"),
        "tags": [],
        "tokenEncryptionKeyId": None,
        "verifiedPublisher": _unverified_publisher(),
        "addIns": [],
        "appRoles": list(app.get("appRoles") or []),
        "info": dict(app.get("info") or {}),
        "keyCredentials": [],
        "oauth2PermissionScopes": list((app.get("api") or {}).get("oauth2PermissionScopes") or []),
        "passwordCredentials": [],
        "samlSingleSignOnSettings": None,
    }


def grant_id(client_id: str, resource_id: str, principal_id: str | None) -> str:
    """An oAuth2PermissionGrant id: opaque base64url, derived from its key like Graph's."""
    raw = uuid.UUID(client_id).bytes + uuid.UUID(resource_id).bytes
    if principal_id:
        raw += uuid.UUID(principal_id).bytes
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _customize(app: dict[str, Any], kind: str, tenant_name: str) -> None:
    if kind == "web":
        app["web"]["redirectUris"] = [
            "https://jwt.ms",
            f"https://www.{tenant_name}.example/signin-oidc",
        ]
        app["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] = True
        app["requiredResourceAccess"] = [
            {
                "resourceAppId": GRAPH_APP_ID,
                "resourceAccess": [
                    {"id": GRAPH_SCOPES["openid"], "type": "Scope"},
                    {"id": GRAPH_SCOPES["offline_access"], "type": "Scope"},
                ],
            }
        ]
    elif kind == "mobile":
        app["publicClient"]["redirectUris"] = [f"msal{app['appId']}://auth"]
        app["isFallbackPublicClient"] = True
    elif kind == "api":
        app["identifierUris"] = [f"https://{tenant_name}.onmicrosoft.com/api"]
        app["api"]["oauth2PermissionScopes"] = [
            {
                "id": str(uuid.UUID(hashlib.md5(f"{app['id']}:{s}".encode()).hexdigest())),
                "value": s,
                "type": "User",
                "isEnabled": True,
                "adminConsentDisplayName": s,
                "adminConsentDescription": f"Allows {s}",
                "userConsentDisplayName": None,
                "userConsentDescription": None,
                "origin": None,
            }
            for s in ("demo.read", "demo.write")
        ]
    elif kind == "ief":
        app["identifierUris"] = [
            f"https://{tenant_name}.onmicrosoft.com/IdentityExperienceFramework"
        ]
        app["signInAudience"] = "AzureADMyOrg"
    elif kind == "proxy":
        app["publicClient"]["redirectUris"] = ["myapp://auth"]
        app["isFallbackPublicClient"] = True


def seed_apps(
    directory: AppDirectory, rng: random.Random, store: Store, *, extensions_app: bool = True
) -> None:
    """Add Microsoft Graph's service principal and the apps of :data:`SEEDED_APPS` (without
    the b2c-extensions-app when ``extensions_app`` is false), with their grants."""
    created = store.anchor - timedelta(days=3 * 365 + 5)
    graph_app = {
        "displayName": "Microsoft Graph",
        "appId": GRAPH_APP_ID,
        "web": {},
        "appRoles": [],
        "info": {},
    }
    graph_sp = service_principal(
        seeded_uuid(rng), graph_app, "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "Microsoft Services"
    )
    graph_sp["oauth2PermissionScopes"] = [
        {
            "id": sid,
            "value": name,
            "type": "User",
            "isEnabled": True,
            "adminConsentDisplayName": name,
            "adminConsentDescription": name,
            "userConsentDisplayName": None,
            "userConsentDescription": None,
            "origin": None,
        }
        for name, sid in GRAPH_SCOPES.items()
    ]
    directory.add_sp(graph_sp)
    for n, (name, audience, kind) in enumerate(SEEDED_APPS):
        app = application(
            seeded_uuid(rng),
            seeded_uuid(rng),
            name,
            iso(created + timedelta(hours=n)),
            store.tenant_domain,
            audience,
        )
        _customize(app, kind, store.tenant_name)
        sp = service_principal(seeded_uuid(rng), app, store.tenant_id, store.display_name)
        if kind == "extensions":
            # the ids are drawn either way, so the other apps keep theirs without it
            directory.extensions_app_id = app["appId"]
            if not extensions_app:
                continue
        directory.add_app(app)
        if kind == "daemon":
            directory.client_app_id = app["appId"]
        directory.add_sp(sp)
        if kind in ("web", "mobile", "proxy"):
            gid = grant_id(sp["id"], graph_sp["id"], None)
            directory.add_grant(
                {
                    "id": gid,
                    "clientId": sp["id"],
                    "consentType": "AllPrincipals",
                    "principalId": None,
                    "resourceId": graph_sp["id"],
                    "scope": "openid offline_access",
                }
            )
