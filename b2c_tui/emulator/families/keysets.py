"""``/trustFramework/keySets`` (beta): policy keys.

Keysets get the ``B2C_1A_`` prefix on create when it is missing. Keys are JWKs; private
material is kept write-only and never returned. ``getActiveKey`` answers the key in force now
(``nbf <= now < exp``), the latest one when several are. The rules live in
:mod:`..identity.keysets`.
"""

from __future__ import annotations

from typing import Any

from ..http import GraphError, Request, Response
from ..identity import keysets
from ..identity.keysets import KeyMaker
from ..identity.state import CIDict, Keyset
from ..odata import IDENTITY, entity, lenient_spec
from .base import BETA, IdentityFamily, ItemRules, route

BASE = "/trustFramework/keySets"
#: Both the path form and the OData key form of the Location header.
ITEM = (f"{BASE}/{{id}}", f"{BASE}('{{id}}')")
ENTITY = "trustFramework/keySets/$entity"
KEY_CONTEXT = "microsoft.graph.trustFrameworkKey"
SPEC = lenient_spec("trustFramework/keySets", "trustFrameworkKeySet", IDENTITY)


#: The actions that add a key: what the audit log calls them, and how each makes its key.
KEY_ACTIONS: dict[str, tuple[str, KeyMaker]] = {
    "generateKey": ("Generate key", keysets.generate),
    "uploadSecret": ("Upload secret", keysets.upload_secret),
    "uploadCertificate": ("Upload certificate", keysets.upload_certificate),
    "uploadPkcs12": ("Upload PKCS12", keysets.upload_pkcs12),
}
_BY_SEGMENT = {name.lower(): action for name, action in KEY_ACTIONS.items()}


def _actions(name: str) -> tuple[str, ...]:
    return tuple(f"{item}/{name}" for item in ITEM)


class KeySets(IdentityFamily):
    """The tenant's policy keysets and their keys."""

    versions = BETA
    kind = "keyset"
    base = BASE
    item_paths = ITEM
    spec = SPEC
    changes = ItemRules(delete=keysets.delete_keyset)

    def items(self) -> CIDict[Keyset]:
        return self.store.identity.keysets

    def render(self, item: Keyset, request: Request) -> dict[str, Any]:
        return item.to_json()

    @route("POST", BASE)
    def create_keyset(self, request: Request) -> Response:
        keyset = keysets.create_keyset(self.store, request.json_object())
        location = f"/trustFramework/keySets('{keyset.id}')"
        return entity(request, SPEC, keyset.to_json(), status=201,
                      context_url=ENTITY, headers={"Location": location})

    @route("PUT", *ITEM)
    def replace_keyset(self, request: Request) -> Response:
        keyset = self.lookup(request)
        keysets.replace_keyset(self.store, keyset, request.json_object())
        return entity(request, SPEC, keyset.to_json(), context_url=ENTITY)

    @route("POST", *(path for action in KEY_ACTIONS for path in _actions(action)))
    def add_key(self, request: Request) -> Response:
        activity, make = _BY_SEGMENT[request.path.rstrip("/").rsplit("/", 1)[-1].lower()]
        keyset = self.lookup(request)
        key = keysets.add_key(self.store, keyset, activity, make, request.json_object())
        return entity(request, SPEC, key.to_json(), context_url=KEY_CONTEXT)

    @route("GET", *_actions("getActiveKey"))
    def get_active_key(self, request: Request) -> Response:
        keyset = self.lookup(request)
        key = keyset.active_key(int(self.store.clock().timestamp()))
        if key is None:
            raise GraphError(
                404, "ResourceNotFound", f"The keyset '{keyset.id}' has no active key."
            )
        return entity(request, SPEC, key.to_json(), context_url=KEY_CONTEXT)
