"""Registering an application the way B2C needs it: a web app, a single-page app or an API
with scopes, v2 access tokens, and (ticked by default, as in the portal) admin consent to
``openid`` and ``offline_access`` on Microsoft Graph.

The form checks what Graph would refuse before anything is sent (redirect URIs: https, or
http://localhost while developing, no wildcards; an API's App ID URI and scope names). Then
three requests, as the portal makes them: ``POST /applications``, ``POST /servicePrincipals``
(an app needs one to be consented to), ``POST /oauth2PermissionGrants``. If the app was
created but a later step failed, the create succeeded and the pane says what is missing.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from ....graph.client import GraphClient
from ....graph.errors import B2CTuiError, ValidationError
from ... import kit
from ...kit.spec import NOTE
from .detail import GRAPH_APP_ID, GRAPH_SCOPES

MAX_URI = 256
SCOPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
SIGN_IN = "openid offline_access"
KINDS = (("Web app: signs users in on a server", "web"),
         ("Single-page app (SPA)", "spa"),
         ("API: exposes scopes to other apps", "api"))
AUDIENCE_CHOICES = (
    ("Any identity provider or organization (user flows)", "AzureADandPersonalMicrosoftAccount"),
    ("This directory only", "AzureADMyOrg"),
)

FIELDS = (
    kit.FieldSpec("displayName", "Name", required=True, placeholder="Contoso Orders"),
    kit.FieldSpec("kind", "Kind", "choice", choices=KINDS),
    kit.FieldSpec("signInAudience", "Who can sign in", "choice", choices=AUDIENCE_CHOICES,
                  help="User flows and custom policies need the first."),
    kit.FieldSpec("redirectUris", "Redirect URIs", placeholder="https://orders.contoso.com/auth",
                  help="Web app and SPA: space-separated; https, or http://localhost while "
                       "developing."),
    kit.FieldSpec("identifierUri", "App ID URI",
                  placeholder="https://contosob2c.onmicrosoft.com/orders-api",
                  help="API: the name tokens give it; unique in the tenant."),
    kit.FieldSpec("scopes", "Scopes", placeholder="orders.read orders.write",
                  help="API: the permissions it exposes, space-separated."),
    kit.FieldSpec("consent", "Admin consent", "bool", default=True,
                  placeholder="grant openid and offline_access on Microsoft Graph",
                  help="What sign-in with B2C needs (the portal's checkbox)."),
)
HINTS = (("identifieruris", "identifierUri"), ("redirecturi", "redirectUris"),
         ("displayname", "displayName"), ("signinaudience", "signInAudience"),
         ("oauth2permissionscopes", "scopes"))


def _uri(text: str) -> str:
    lower = text.lower()
    if len(text) > MAX_URI:
        raise ValidationError(f"{text[:40]}… is longer than {MAX_URI} characters.",
                              field="redirectUris")
    if "*" in text:
        raise ValidationError(f"{text}: B2C redirect URIs cannot hold wildcards.",
                              field="redirectUris")
    local = re.match(r"http://(localhost|127\.0\.0\.1)([:/]|$)", lower)
    if not (lower.startswith("https://") and len(lower) > 8) and not local:
        raise ValidationError(f"{text}: use https (http only for localhost).",
                              field="redirectUris")
    return text


def check(values: dict[str, Any]) -> dict[str, Any]:
    """What Graph would refuse, across fields (see the module docs); the typed text becomes
    lists of redirect URIs and scopes."""
    kind = values.get("kind") or "web"
    uris = [_uri(u) for u in str(values.get("redirectUris") or "").replace(",", " ").split()]
    scopes = str(values.get("scopes") or "").replace(",", " ").split()
    identifier = str(values.get("identifierUri") or "").strip()
    if kind in ("web", "spa") and not uris:
        raise ValidationError("A web app or SPA needs at least one redirect URI.",
                              field="redirectUris")
    if kind != "api" and (scopes or identifier):
        raise ValidationError("Only an API exposes scopes: choose API, or leave the App ID URI "
                              "and scopes empty.", field="scopes" if scopes else "identifierUri")
    if kind == "api":
        if not re.match(r"(https|api)://\S+$", identifier):
            raise ValidationError("An API needs an App ID URI such as "
                                  "https://<tenant>.onmicrosoft.com/<name>.",
                                  field="identifierUri")
        if not scopes:
            raise ValidationError("An API needs at least one scope.", field="scopes")
        bad = [s for s in scopes if not SCOPE.fullmatch(s)]
        if bad:
            raise ValidationError(f"{bad[0]}: scopes are letters, digits, '.', '_' and '-'.",
                                  field="scopes")
        if len(set(scopes)) != len(scopes):
            raise ValidationError("A scope is named twice.", field="scopes")
    return {**values, "kind": kind, "redirectUris": uris, "scopes": scopes,
            "identifierUri": identifier}


def body(values: dict[str, Any]) -> dict[str, Any]:
    """The ``POST /applications`` body for checked form values."""
    kind = values["kind"]
    out: dict[str, Any] = {
        "displayName": values["displayName"],
        "signInAudience": values.get("signInAudience") or AUDIENCE_CHOICES[0][1],
        # Accounts from any identity provider need v2 access tokens.
        "api": {"requestedAccessTokenVersion": 2},
    }
    if kind == "web":
        out["web"] = {"redirectUris": values["redirectUris"],
                      "implicitGrantSettings": {"enableIdTokenIssuance": False,
                                                "enableAccessTokenIssuance": False}}
    elif kind == "spa":
        out["spa"] = {"redirectUris": values["redirectUris"]}
    else:
        out["identifierUris"] = [values["identifierUri"]]
        out["api"]["oauth2PermissionScopes"] = [
            {"id": str(uuid.uuid4()), "value": s, "type": "Admin", "isEnabled": True,
             "adminConsentDisplayName": s, "adminConsentDescription": f"Allows {s}"}
            for s in values["scopes"]]
    if values.get("consent"):
        ids = {name: key for key, name in GRAPH_SCOPES.items()}
        out["requiredResourceAccess"] = [{"resourceAppId": GRAPH_APP_ID, "resourceAccess": [
            {"id": ids[s], "type": "Scope"} for s in SIGN_IN.split()]}]
    return out


async def create_app(client: GraphClient, values: dict[str, Any]) -> dict[str, Any]:
    """Register the app, then its service principal, then the consent; Graph refusing the
    app itself raises (the form shows why), a later step is reported in ``app[NOTE]``."""
    apps = client.applications
    app = await apps.create(body(values))
    step = "its service principal was not created (nothing can be consented to it yet)"
    try:
        sp = await apps.create_service_principal(str(app["appId"]))
        step = "sign-in consent was not granted"
        if values.get("consent"):
            graph = await apps.get_service_principal_by_app_id(GRAPH_APP_ID, select=["id"])
            await apps.create_permission_grant(client_id=str(sp["id"]),
                                               resource_id=str(graph["id"]), scope=SIGN_IN)
    except B2CTuiError as exc:
        app[NOTE] = f"The app was registered, but {step}: {exc}"
    return app

CREATE = kit.Create(kit.FormSpec("New app registration", FIELDS, save_label="Register",
                                 subtitle="As B2C needs it: v2 tokens, and sign-in consent.",
                                 hints=HINTS, check=check),
                    send=create_app)
