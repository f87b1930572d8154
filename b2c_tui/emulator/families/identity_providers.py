"""``/identity/identityProviders``: list, create, get, update, delete, availableProviderTypes.

Secrets (``clientSecret``, ``certificateData``) are write-only and read back as ``******``;
the rules live in :mod:`..identity.providers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..http import Request, Response
from ..identity import providers
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec, value_list
from .base import IdentityFamily, ItemRules, route

BASE = "/identity/identityProviders"
ENTITY = "identity/identityProviders/$entity"
SPEC = lenient_spec("identity/identityProviders", "identityProviderBase", IDENTITY)


class IdentityProviders(IdentityFamily):
    """Social, Apple, OpenID Connect (beta) and built-in identity providers."""

    kind = "identity provider"
    base = BASE
    spec = SPEC
    changes = ItemRules(update=providers.update_provider, delete=providers.delete_provider)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.identity_providers

    def lookup(self, request: Request) -> dict[str, Any]:
        record: dict[str, Any] = super().lookup(request)
        if not providers.visible(record, request.version):
            raise self.not_found(request.params["id"], self.kind)
        return record

    def render(self, item: dict[str, Any], request: Request) -> dict[str, Any]:
        return providers.render(item)

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        kind = self.store.tenant_type
        shown = [r for r in self.items().values() if providers.listed(r, request.version, kind)]
        return enumerate(providers.render(r) for r in shown)

    @route("GET", f"{BASE}/availableProviderTypes")
    def available_types(self, request: Request) -> Response:
        types = list(self.store.identity.provider_types)
        return value_list(request, "Collection(Edm.String)", types)

    @route("POST", BASE)
    def create_provider(self, request: Request) -> Response:
        body = request.json_object()
        record = providers.create_provider(self.store, body, request.version)
        # Graph echoes the create body (secrets as sent), reads mask them.
        echoed = {**record, "@odata.type": body["@odata.type"]}
        return entity(request, SPEC, echoed, status=201, context_url=ENTITY)
