"""``/trustFramework/keySets`` (beta): policy keys.

Keysets get the ``B2C_1A_`` prefix on create when it is missing. Keys are JWKs; private
material (``k``, RSA private parts, uploaded PKCS12 keys) is kept write-only and never
returned. ``getActiveKey`` answers the key in force now (``nbf <= now < exp``), the latest
one when several are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from ..http import GraphError, Request, Response, empty
from ..identity_http import BETA, FAMILY_TRUST_FRAMEWORK, audit, bad_request, collection, entity
from ..identity_keys import (
    KeyInputError,
    certificate_key,
    generated_key,
    key_from_jwk,
    secret_key,
)
from ..identity_seed import state_for
from ..identity_state import Keyset, TrustFrameworkKey

log = logging.getLogger(__name__)

PREFIX = "B2C_1A_"
FRAGMENT = "trustFramework/keySets"
KEY_CONTEXT = "microsoft.graph.trustFrameworkKey"
CATEGORY = "KeyManagement"
_VALID_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def keyset_not_found(keyset_id: str) -> GraphError:
    """404 for an unknown keyset."""
    return GraphError(404, "ResourceNotFound", f"The keyset '{keyset_id}' was not found.")


def register(router: Any, store: Any) -> None:
    """Register the keyset routes on ``router``."""
    state = state_for(store)

    def now() -> int:
        return int(store.clock().timestamp())

    def lookup(request: Request) -> Keyset:
        keyset = state.keysets.get(request.params["id"])
        if keyset is None:
            raise keyset_not_found(request.params["id"])
        return keyset

    def parse_keys(raw: Any) -> list[TrustFrameworkKey]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise bad_request("The 'keys' property must be a collection of keys.")
        try:
            return [key_from_jwk(state.rng, jwk) for jwk in raw]
        except KeyInputError as exc:
            raise bad_request(str(exc)) from None

    def list_keysets(request: Request) -> Response:
        return collection(request, [k.to_json() for k in state.keysets.values()], FRAGMENT)

    def get_keyset(request: Request) -> Response:
        return entity(request, lookup(request).to_json(), f"{FRAGMENT}/$entity")

    def create_keyset(request: Request) -> Response:
        body = request.json_object()
        raw_id = body.get("id")
        if not isinstance(raw_id, str) or not _VALID_ID.match(raw_id):
            raise bad_request("A keyset 'id' of letters, digits, '_', '-' or '.' is required.")
        keyset_id = raw_id if raw_id.upper().startswith(PREFIX) else PREFIX + raw_id
        if keyset_id in state.keysets:
            raise GraphError(409, "Conflict", f"The keyset '{keyset_id}' already exists.")
        keyset = Keyset(keyset_id, parse_keys(body.get("keys")))
        state.keysets.set(keyset_id, keyset)
        audit(store, "Create keyset", CATEGORY, keyset_id, keyset_id, "KeySet")
        location = f"/trustFramework/keySets('{keyset_id}')"
        return entity(request, keyset.to_json(), f"{FRAGMENT}/$entity", status=201,
                      headers={"Location": location})

    def replace_keyset(request: Request) -> Response:
        keyset = lookup(request)
        body = request.json_object()
        given = body.get("id")
        if given is not None and str(given).lower() not in (
            keyset.id.lower(), keyset.id.lower().removeprefix(PREFIX.lower())
        ):
            raise bad_request(f"The id '{given}' in the payload does not match '{keyset.id}'.")
        keyset.keys = parse_keys(body.get("keys"))
        audit(store, "Update keyset", CATEGORY, keyset.id, keyset.id, "KeySet",
              modified={"keys": (None, [key.kid for key in keyset.keys])})
        return entity(request, keyset.to_json(), f"{FRAGMENT}/$entity")

    def delete_keyset(request: Request) -> Response:
        keyset = lookup(request)
        state.keysets.pop(keyset.id)
        audit(store, "Delete keyset", CATEGORY, keyset.id, keyset.id, "KeySet")
        return empty(204)

    def add_key(activity: str, make: Callable[[dict[str, Any]], TrustFrameworkKey]) -> Any:
        def handler(request: Request) -> Response:
            keyset = lookup(request)
            body = request.json_object()
            try:
                key = make(body)
            except KeyInputError as exc:
                raise bad_request(str(exc)) from None
            keyset.keys.append(key)
            audit(store, activity, CATEGORY, keyset.id, keyset.id, "KeySet",
                  modified={"kid": (None, key.kid)})
            return entity(request, key.to_json(), KEY_CONTEXT)

        return handler

    def get_active_key(request: Request) -> Response:
        keyset = lookup(request)
        key = keyset.active_key(now())
        if key is None:
            raise GraphError(404, "ResourceNotFound",
                             f"The keyset '{keyset.id}' has no active key.")
        return entity(request, key.to_json(), KEY_CONTEXT)

    actions = {
        "generateKey": add_key("Generate key", lambda b: generated_key(
            state.rng, use=b.get("use"), kty=b.get("kty"), nbf=b.get("nbf"), exp=b.get("exp"),
            now=now())),
        "uploadSecret": add_key("Upload secret", lambda b: secret_key(state.rng, b, now())),
        "uploadCertificate": add_key("Upload certificate",
                                     lambda b: certificate_key(b.get("key"))),
        "uploadPkcs12": add_key("Upload PKCS12", lambda b: _pkcs12(b)),
    }
    base = "/trustFramework/keySets"
    router.add("GET", base, list_keysets, versions=BETA, family=FAMILY_TRUST_FRAMEWORK)
    router.add("POST", base, create_keyset, versions=BETA, family=FAMILY_TRUST_FRAMEWORK)
    # Both the path form and the OData key form of the Location header.
    for item in (f"{base}/{{id}}", f"{base}('{{id}}')"):
        for method, handler in (("GET", get_keyset), ("PUT", replace_keyset),
                                ("DELETE", delete_keyset)):
            router.add(method, item, handler, versions=BETA, family=FAMILY_TRUST_FRAMEWORK)
        for name, action in actions.items():
            router.add("POST", f"{item}/{name}", action, versions=BETA,
                       family=FAMILY_TRUST_FRAMEWORK)
        router.add("GET", f"{item}/getActiveKey", get_active_key, versions=BETA,
                   family=FAMILY_TRUST_FRAMEWORK)


def _pkcs12(body: dict[str, Any]) -> TrustFrameworkKey:
    password = body.get("password")
    if not isinstance(password, str):
        raise KeyInputError("The 'password' property is required.")
    return certificate_key(body.get("key"), password=password)
