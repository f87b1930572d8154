"""Identity providers of the tenant: their types, what a create or update must hold, how
they read back (secrets masked), and what deleting one changes in the user flows.

Ids are assigned by the service: ``<Type>-OAUTH`` for social providers, ``Apple-Managed-OIDC``
for Apple and ``<displayName>-OIDC-<clientId>`` for OpenID Connect ones. OpenID Connect
providers exist only in beta; built-in providers can be neither changed nor deleted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .rules import RESOURCE, add_new, audit, bad, refuse_unknown, require, without_annotations
from .state import IdentityState, mask_secrets

if TYPE_CHECKING:
    from ..store import Store

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
CATEGORY = RESOURCE


def type_of(record: dict[str, Any]) -> str:
    """``socialIdentityProvider`` etc. from a record's ``@odata.type``."""
    return str(record.get("@odata.type", "")).rsplit(".", 1)[-1]


def render(record: dict[str, Any]) -> dict[str, Any]:
    """A provider as Graph returns it: secrets masked."""
    return mask_secrets(record, SECRETS)


def visible(record: dict[str, Any], version: str) -> bool:
    """OpenID Connect providers are a beta-only type."""
    return version == "beta" or type_of(record) != OIDC


def listed(record: dict[str, Any], version: str, tenant_type: str) -> bool:
    """Whether the list holds ``record``: in a B2C tenant, the v1.0 list has social and Apple
    providers only (identitycontainer-list-identityproviders, example 2); built-in ones are
    still addressed by id."""
    if version == "v1.0" and tenant_type == "AAD B2C" and type_of(record) == BUILTIN:
        return False
    return visible(record, version)


def create_provider(store: Store, body: dict[str, Any], version: str) -> dict[str, Any]:
    """Validate a create body, add the provider and audit it; returns the stored record."""
    state = store.identity
    record = build_provider(state, body, version)
    add_new(state.identity_providers, record["id"], record,
            f"An identity provider with id '{record['id']}' already exists.")
    audit(store, "Add identity provider", CATEGORY, record["id"], record.get("displayName"),
          "IdentityProvider")
    return record


def update_provider(store: Store, record: dict[str, Any], body: dict[str, Any]) -> None:
    """Apply a PATCH body (the id and type are fixed; secrets are audited as changed only)."""
    kind = type_of(record)
    if kind == BUILTIN:
        raise bad(f"Built-in identity provider '{record['id']}' cannot be updated.")
    fixed = {"id": record["id"], "identityProviderType": record.get("identityProviderType")}
    for name, value in fixed.items():
        if name in body and body[name] != value:
            raise bad(f"Property '{name}' is read-only and cannot be updated.")
    changes = {k: v for k, v in without_annotations(body).items() if k not in fixed}
    refuse_unknown(changes, WRITABLE[kind], f"microsoft.graph.{kind}")
    modified = {
        k: (None if k in SECRETS else record.get(k), None if k in SECRETS else v)
        for k, v in changes.items()
    }
    record.update(changes)
    audit(store, "Update identity provider", CATEGORY, record["id"], record.get("displayName"),
          "IdentityProvider", modified=modified)


def delete_provider(store: Store, record: dict[str, Any]) -> None:
    """Delete a provider and take it out of every user flow that offered it."""
    if type_of(record) == BUILTIN:
        raise bad(f"Built-in identity provider '{record['id']}' cannot be deleted.")
    state = store.identity
    state.identity_providers.pop(record["id"])
    _unlink(state, record["id"])
    audit(store, "Delete identity provider", CATEGORY, record["id"], record.get("displayName"),
          "IdentityProvider")


def build_provider(state: IdentityState, body: dict[str, Any], version: str) -> dict[str, Any]:
    """Validate a create body and return the stored record with its service-assigned id."""
    raw_type = str(body.get("@odata.type") or "")
    kind = raw_type.lstrip("#").rsplit(".", 1)[-1]
    kind = next((k for k in (SOCIAL, APPLE, OIDC, BUILTIN) if k.lower() == kind.lower()), kind)
    if not raw_type:
        raise bad("The '@odata.type' property is required to create an identity provider.")
    if kind == BUILTIN:
        raise bad("Built-in identity providers cannot be created.")
    if kind not in REQUIRED or (kind == OIDC and version != "beta"):
        raise bad(f"Identity provider type '{raw_type}' is not supported in this tenant.")
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
            raise bad(
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
            raise bad("The metadataUrl must end with '.well-known/openid-configuration'.")
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
