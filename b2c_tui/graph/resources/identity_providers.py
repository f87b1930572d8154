"""Identity providers: the social, Apple and OpenID Connect sign-in options of the tenant.

Endpoints: ``/identity/identityProviders`` (v1.0). The collection is polymorphic: every record
carries ``@odata.type`` (``socialIdentityProvider``, ``appleManagedIdentityProvider``,
``builtInIdentityProvider``; B2C OpenID Connect providers, ``openIdConnectIdentityProvider``,
exist only in beta, so pass ``version="beta"`` to see or create them). Secrets come back masked.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ValidationError
from ..paging import PageIterator
from ..validation import SOCIAL_PROVIDER_TYPES, validate_identity_provider_type
from ._query import QueryArg
from ._records import odata_type
from .base import ResourceAPI, mutating, seg

PATH = "/identity/identityProviders"

#: Properties a create needs, per provider type (lower-cased ``@odata.type`` without prefix).
REQUIRED_ON_CREATE: dict[str, tuple[str, ...]] = {
    "socialidentityprovider": ("displayName", "identityProviderType", "clientId", "clientSecret"),
    # certificateData "can be null" per the resource page, so it is not demanded here.
    "applemanagedidentityprovider": ("displayName", "developerId", "serviceId", "keyId"),
    "openidconnectidentityprovider": (
        "displayName", "clientId", "claimsMapping", "metadataUrl", "responseMode",
        "responseType", "scope",
    ),
    # External ID (CIAM) tenants: an OIDC federation with its own shape.
    "oidcidentityprovider": ("displayName", "clientId", "issuer", "wellKnownEndpoint"),
}
#: Types only the beta endpoint knows.
BETA_ONLY_TYPES = frozenset({"openidconnectidentityprovider"})


def check_provider_body(body: Mapping[str, Any], *, version: str = "v1.0") -> dict[str, Any]:
    """Refuse a create body Graph would reject: no or unknown ``@odata.type``, a missing
    required property, an unknown social provider type, an OpenID Connect provider on v1.0, or
    a bad OIDC metadata URL. Returns the body with the provider type in Graph's spelling."""
    kind = odata_type(body)
    if not kind:
        raise ValidationError(
            "An identity provider needs '@odata.type' (e.g. "
            "'#microsoft.graph.socialIdentityProvider').", field="@odata.type")
    required = REQUIRED_ON_CREATE.get(kind)
    if required is None:
        raise ValidationError(
            f"{body.get('@odata.type')!r} is not a provider type that can be created; use "
            "socialIdentityProvider, appleManagedIdentityProvider or "
            "openIdConnectIdentityProvider.", field="@odata.type")
    if kind in BETA_ONLY_TYPES and version != "beta":
        raise ValidationError(
            "OpenID Connect providers in B2C are created through the beta endpoint; pass "
            "version='beta'.", field="@odata.type")
    missing = [name for name in required if body.get(name) in (None, "")]
    if kind == "openidconnectidentityprovider" and body.get("responseType") == "code" \
            and not body.get("clientSecret"):
        missing.append("clientSecret")
    if missing:
        raise ValidationError(
            f"Missing {', '.join(missing)} for {body.get('@odata.type')}.", field=missing[0])
    metadata = body.get("metadataUrl")
    if isinstance(metadata, str) and not (
        metadata.startswith("https://") and ".well-known/openid-configuration" in metadata
    ):
        raise ValidationError(
            "metadataUrl must be an https URL ending in .well-known/openid-configuration.",
            field="metadataUrl")
    if kind == "socialidentityprovider":
        provider_type = validate_identity_provider_type(body["identityProviderType"])
        if provider_type not in SOCIAL_PROVIDER_TYPES:
            raise ValidationError(
                f"{provider_type} is not a social provider; use one of "
                f"{', '.join(SOCIAL_PROVIDER_TYPES)}.", field="identityProviderType")
        return {**body, "identityProviderType": provider_type}
    return dict(body)


class IdentityProvidersAPI(ResourceAPI):
    """``/identity/identityProviders``."""

    def list(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
             version: str | None = None, prefetch: bool = True) -> PageIterator:
        """``GET /identity/identityProviders``: every configured provider (polymorphic)."""
        return self._list(PATH, query, select=select, version=version, prefetch=prefetch)

    async def get(self, provider_id: str, *, version: str | None = None) -> dict[str, Any]:
        """``GET /identity/identityProviders/{id}`` (``Amazon-OAUTH``, ``Apple-Managed-OIDC``)."""
        return await self._get(f"{PATH}/{seg(provider_id)}", version=version)

    async def available_provider_types(self) -> builtins.list[str]:
        """``GET /identity/identityProviders/availableProviderTypes``: the provider types this
        tenant can add (for B2C: Microsoft, Google, Facebook, Amazon, ..., OpenIdConnect)."""
        body = await self._core.get_json(f"{PATH}/availableProviderTypes")
        values = body.get("value") if isinstance(body, dict) else None
        return [str(v) for v in values] if isinstance(values, list) else []

    @mutating
    async def create(
        self, body: Mapping[str, Any], *, version: str | None = None
    ) -> dict[str, Any]:
        """``POST /identity/identityProviders``: add a provider; ``body`` carries
        ``@odata.type`` and that type's properties. Returns the provider with its server-made
        id (``Amazon-OAUTH``)."""
        payload = check_provider_body(body, version=version or self._core.version)
        return await self._send("POST", PATH, payload, version=version)

    @mutating
    async def update(
        self, provider_id: str, patch: Mapping[str, Any], *, version: str | None = None
    ) -> None:
        """``PATCH /identity/identityProviders/{id}`` (204); Graph wants the derived
        ``@odata.type`` in the body alongside the changed properties (clientId, clientSecret,
        displayName...)."""
        if not patch:
            raise ValidationError("Nothing to update.")
        await self._core.send_json(
            "PATCH", f"{PATH}/{seg(provider_id)}", dict(patch), version=version)

    @mutating
    async def delete(self, provider_id: str, *, version: str | None = None) -> None:
        """``DELETE /identity/identityProviders/{id}`` (204)."""
        await self._core.request("DELETE", f"{PATH}/{seg(provider_id)}", version=version)
