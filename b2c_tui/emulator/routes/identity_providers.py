"""``/identity/identityProviders``: list, create, get, update, delete, availableProviderTypes.

Secrets (``clientSecret``, ``certificateData``) are write-only and read back as ``******``.
Ids are assigned by the service: ``<Type>-OAUTH`` for social providers, ``Apple-Managed-OIDC``
for Apple and ``<displayName>-OIDC-<clientId>`` for OpenID Connect ones. OpenID Connect
providers exist only in beta; built-in providers can be neither changed nor deleted.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..http import GraphError, Request, Response, empty, json_response
from ..identity_http import (
    BOTH,
    FAMILY_IDENTITY,
    audit,
    bad_request,
    collection,
    entity,
    not_found,
    refuse_unknown,
    require,
)
from ..identity_seed import state_for
from ..identity_state import IdentityState, mask_secrets

log = logging.getLogger(__name__)

SOCIAL = "socialIdentityProvider"
APPLE = "appleManagedIdentityProvider"
OIDC = "openIdConnectIdentityProvider"
BUILTIN = "builtInIdentityProvider"
SECRETS = ("clientSecret", "certificateData")
SOCIAL_TYPES = (
    "Microsoft", "Google", "Amazon", "LinkedIn", "Facebook", "GitHub", "Twitter", "Weibo", "QQ",
    "WeChat",
)
REQUIRED = {
    SOCIAL: ("displayName", "identityProviderType", "clientId", "clientSecret"),
    APPLE: ("displayName", "developerId", "serviceId", "keyId", "certificateData"),
    OIDC: ("displayName", "clientId", "claimsMapping", "metadataUrl", "responseMode",
           "responseType", "scope"),
}
WRITABLE = {
    SOCIAL: ("displayName", "clientId", "clientSecret", "scope"),
    APPLE: ("displayName", "developerId", "serviceId", "keyId", "certificateData"),
    OIDC: ("displayName", "clientId", "clientSecret", "claimsMapping", "domainHint",
           "metadataUrl", "responseMode", "responseType", "scope"),
}
FRAGMENT = "identity/identityProviders"
CATEGORY = "IdentityProvider"


def type_of(record: dict[str, Any]) -> str:
    """``socialIdentityProvider`` etc. from a record's ``@odata.type``."""
    return str(record.get("@odata.type", "")).rsplit(".", 1)[-1]


def render(record: dict[str, Any]) -> dict[str, Any]:
    """A provider as Graph returns it: secrets masked."""
    return mask_secrets(record, SECRETS)


def visible(record: dict[str, Any], version: str) -> bool:
    """OpenID Connect providers are a beta-only type."""
    return version == "beta" or type_of(record) != OIDC


def register(router: Any, store: Any) -> None:
    """Register the identity provider routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> dict[str, Any]:
        key = request.params["id"]
        record = state.identity_providers.get(key)
        if record is None or not visible(record, request.version):
            raise not_found("identity provider", key)
        return record

    def list_providers(request: Request) -> Response:
        items = [
            render(r) for r in state.identity_providers.values() if visible(r, request.version)
        ]
        return collection(request, items, FRAGMENT)

    def available_types(request: Request) -> Response:
        return json_response(
            200,
            {
                "@odata.context": request.context_url("Collection(Edm.String)"),
                "value": list(state.provider_types),
            },
        )

    def get_provider(request: Request) -> Response:
        return entity(request, render(lookup(request)), f"{FRAGMENT}/$entity")

    def create_provider(request: Request) -> Response:
        body = request.json_object()
        record = build_provider(state, body, request.version)
        if record["id"] in state.identity_providers:
            raise GraphError(
                409, "Conflict", f"An identity provider with id '{record['id']}' already exists."
            )
        state.identity_providers.set(record["id"], record)
        audit(store, "Add identity provider", CATEGORY, record["id"], record.get("displayName"),
              "IdentityProvider")
        # Graph echoes the create body (secrets as sent), reads mask them.
        echoed = dict(record)
        echoed["@odata.type"] = body["@odata.type"]
        return entity(request, echoed, f"{FRAGMENT}/$entity", status=201)

    def update_provider(request: Request) -> Response:
        record = lookup(request)
        kind = type_of(record)
        if kind == BUILTIN:
            raise bad_request(f"Built-in identity provider '{record['id']}' cannot be updated.")
        body = request.json_object()
        fixed = {"id": record["id"], "identityProviderType": record.get("identityProviderType")}
        for name, value in fixed.items():
            if name in body and body[name] != value:
                raise bad_request(f"Property '{name}' is read-only and cannot be updated.")
        changes = {k: v for k, v in body.items() if "@" not in k and k not in fixed}
        refuse_unknown(changes, WRITABLE[kind], f"microsoft.graph.{kind}")
        modified = {
            k: (None if k in SECRETS else record.get(k), None if k in SECRETS else v)
            for k, v in changes.items()
        }
        record.update(changes)
        audit(store, "Update identity provider", CATEGORY, record["id"],
              record.get("displayName"), "IdentityProvider", modified=modified)
        return empty(204)

    def delete_provider(request: Request) -> Response:
        record = lookup(request)
        if type_of(record) == BUILTIN:
            raise bad_request(f"Built-in identity provider '{record['id']}' cannot be deleted.")
        state.identity_providers.pop(record["id"])
        _unlink(state, record["id"])
        audit(store, "Delete identity provider", CATEGORY, record["id"],
              record.get("displayName"), "IdentityProvider")
        return empty(204)

    base = "/identity/identityProviders"
    add = router.add
    add("GET", base, list_providers, versions=BOTH, family=FAMILY_IDENTITY)
    add("POST", base, create_provider, versions=BOTH, family=FAMILY_IDENTITY)
    add("GET", f"{base}/availableProviderTypes", available_types, versions=BOTH,
        family=FAMILY_IDENTITY)
    add("GET", f"{base}/{{id}}", get_provider, versions=BOTH, family=FAMILY_IDENTITY)
    add("PATCH", f"{base}/{{id}}", update_provider, versions=BOTH, family=FAMILY_IDENTITY)
    add("DELETE", f"{base}/{{id}}", delete_provider, versions=BOTH, family=FAMILY_IDENTITY)


def build_provider(state: IdentityState, body: dict[str, Any], version: str) -> dict[str, Any]:
    """Validate a create body and return the stored record with its service-assigned id."""
    raw_type = str(body.get("@odata.type") or "")
    kind = raw_type.lstrip("#").rsplit(".", 1)[-1]
    kind = next((k for k in (SOCIAL, APPLE, OIDC, BUILTIN) if k.lower() == kind.lower()), kind)
    if not raw_type:
        raise bad_request("The '@odata.type' property is required to create an identity provider.")
    if kind == BUILTIN:
        raise bad_request("Built-in identity providers cannot be created.")
    if kind not in REQUIRED or (kind == OIDC and version != "beta"):
        raise bad_request(f"Identity provider type '{raw_type}' is not supported in this tenant.")
    fields = {k: v for k, v in body.items() if "@" not in k}
    allowed = (*WRITABLE[kind], "identityProviderType", "id")
    refuse_unknown(fields, allowed, f"microsoft.graph.{kind}")
    required = REQUIRED[kind]
    if kind == OIDC and str(body.get("responseType", "")).lower() == "code":
        required = (*required, "clientSecret")
    require(body, required, f"microsoft.graph.{kind}")
    record: dict[str, Any] = {"@odata.type": f"#microsoft.graph.{kind}"}
    if kind == SOCIAL:
        provider_type = next(
            (t for t in SOCIAL_TYPES if t.lower() == str(body["identityProviderType"]).lower()),
            None,
        )
        if provider_type is None:
            raise bad_request(
                f"Identity provider type '{body['identityProviderType']}' is not supported. "
                f"Supported types: {', '.join(SOCIAL_TYPES)}."
            )
        record["id"] = f"{provider_type}-OAUTH"
        fields["identityProviderType"] = provider_type
    elif kind == APPLE:
        record["id"] = "Apple-Managed-OIDC"
    else:
        url = str(body["metadataUrl"])
        if not url.rstrip("/").endswith(".well-known/openid-configuration"):
            raise bad_request("The metadataUrl must end with '.well-known/openid-configuration'.")
        name = re.sub(r"[^A-Za-z0-9._-]", "", str(body["displayName"])) or "OIDC"
        record["id"] = f"{name}-OIDC-{body['clientId']}"
        fields.setdefault("domainHint", "")
        fields.setdefault("clientSecret", None)
    fields.pop("id", None)
    record.update(fields)
    return record


def _unlink(state: IdentityState, provider_id: str) -> None:
    """Drop references to a deleted provider from B2C and External ID user flows."""
    low = provider_id.lower()
    for flow in (*state.b2c_user_flows.values(), *state.events_flows.values()):
        flow["identityProviders"] = [
            p for p in flow.get("identityProviders", []) if p.lower() != low
        ]
