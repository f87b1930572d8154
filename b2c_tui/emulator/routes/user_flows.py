"""``/identity/b2cUserFlows`` (beta): list, create, get and delete B2C user flows.

The service prepends ``B2C_1_`` to the id given on create. ``$expand=identityProviders``
returns the flow's providers in the legacy ``identityProvider`` shape the docs show.
"""

from __future__ import annotations

import logging
from typing import Any

from ..http import GraphError, Request, Response, empty
from ..identity_http import (
    BETA,
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
from ..identity_state import SECRET_MASK, IdentityState, mask_secrets
from .identity_providers import SECRETS

log = logging.getLogger(__name__)

PREFIX = "B2C_1_"
FRAGMENT = "identity/b2cUserFlows"
FLOW_TYPES = ("signUp", "signIn", "signUpOrSignIn", "passwordReset", "profileUpdate",
              "resourceOwner")
CREATABLE = ("id", "userFlowType", "userFlowTypeVersion", "isLanguageCustomizationEnabled",
             "defaultLanguageTag", "identityProviders", "apiConnectorConfiguration")
CATEGORY = "PolicyManagement"
EXPANDABLE = {"identityproviders", "userflowidentityproviders", "userattributeassignments"}


def render(state: IdentityState, flow: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A user flow as Graph returns it, with expanded navigation properties when asked."""
    out = {k: flow[k] for k in ("id", "userFlowType", "userFlowTypeVersion",
                                "isLanguageCustomizationEnabled", "defaultLanguageTag")}
    providers = [
        p for pid in flow.get("identityProviders", [])
        if (p := state.identity_providers.get(pid)) is not None
    ]
    if "identityproviders" in expand:
        out["identityProviders"] = [legacy_provider(p) for p in providers]
    if "userflowidentityproviders" in expand:
        out["userFlowIdentityProviders"] = [mask_secrets(p, SECRETS) for p in providers]
    if "userattributeassignments" in expand:
        out["userAttributeAssignments"] = [
            assignment(a, n) for n, aid in enumerate(flow.get("attributes", []))
            if (a := state.attributes.get(aid)) is not None
        ]
    return out


def assignment(attribute: dict[str, Any], order: int) -> dict[str, Any]:
    """An identityUserFlowAttributeAssignment for an attribute collected by the flow."""
    is_email = attribute["id"].lower() == "email"
    boolean = attribute.get("dataType") == "boolean"
    values = [{"name": "Yes", "value": "true", "isDefault": False},
              {"name": "No", "value": "false", "isDefault": True}] if boolean else []
    return {
        "id": attribute["id"],
        "displayName": attribute["displayName"],
        "isOptional": order > 1 and not is_email,
        "requiresVerification": is_email,
        "userInputType": "emailBox" if is_email else "radioSingleSelect" if boolean else "textBox",
        "userAttributeValues": values,
    }


def legacy_provider(record: dict[str, Any]) -> dict[str, Any]:
    """The deprecated ``identityProvider`` shape ({id, type, name, clientId, clientSecret})."""
    kind = str(record.get("@odata.type", "")).rsplit(".", 1)[-1]
    provider_type = record.get("identityProviderType") or (
        "AppleManaged" if kind.startswith("apple") else "OpenIdConnect"
    )
    return {
        "id": record["id"],
        "type": provider_type,
        "name": record.get("displayName"),
        "clientId": record.get("clientId") or record.get("serviceId"),
        "clientSecret": SECRET_MASK,
    }


def parse_expand(request: Request) -> set[str]:
    """The ``$expand`` targets (providers, in both shapes, and attribute assignments)."""
    raw = request.arg("$expand") or ""
    wanted = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = wanted - EXPANDABLE
    if unknown:
        raise bad_request(
            f"Could not find a property named '{sorted(unknown)[0]}' on type "
            "'microsoft.graph.b2cIdentityUserFlow'."
        )
    return wanted


def register(router: Any, store: Any) -> None:
    """Register the B2C user flow routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> dict[str, Any]:
        flow = state.b2c_user_flows.get(request.params["id"])
        if flow is None:
            raise not_found("user flow", request.params["id"])
        return flow

    def list_flows(request: Request) -> Response:
        expand = parse_expand(request)
        items = [render(state, flow, expand) for flow in state.b2c_user_flows.values()]
        return collection(request, items, FRAGMENT)

    def get_flow(request: Request) -> Response:
        flow = lookup(request)
        return entity(request, render(state, flow, parse_expand(request)),
                      f"{FRAGMENT}/$entity")

    def create_flow(request: Request) -> Response:
        body = request.json_object()
        refuse_unknown(body, CREATABLE, "microsoft.graph.b2cIdentityUserFlow")
        flow = build_flow(state, body)
        if flow["id"] in state.b2c_user_flows:
            raise GraphError(409, "Conflict", f"A user flow with id '{flow['id']}' already exists.")
        state.b2c_user_flows.set(flow["id"], flow)
        audit(store, "Add user flow", CATEGORY, flow["id"], flow["id"], "UserFlow")
        out = render(state, flow, set())
        if "apiConnectorConfiguration" in body:
            out["apiConnectorConfiguration"] = {}  # always {} here; read it via its own API
        location = f"{request.service_root}/identity/b2cUserFlows/{flow['id']}"
        return entity(request, out, f"{FRAGMENT}/$entity", status=201,
                      headers={"Location": location})

    def delete_flow(request: Request) -> Response:
        flow = lookup(request)
        state.b2c_user_flows.pop(flow["id"])
        audit(store, "Delete user flow", CATEGORY, flow["id"], flow["id"], "UserFlow")
        return empty(204)

    base = "/identity/b2cUserFlows"
    router.add("GET", base, list_flows, versions=BETA, family=FAMILY_IDENTITY)
    router.add("POST", base, create_flow, versions=BETA, family=FAMILY_IDENTITY)
    router.add("GET", f"{base}/{{id}}", get_flow, versions=BETA, family=FAMILY_IDENTITY)
    router.add("DELETE", f"{base}/{{id}}", delete_flow, versions=BETA, family=FAMILY_IDENTITY)


def build_flow(state: IdentityState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body; the id gets the ``B2C_1_`` prefix."""
    require(body, ("id", "userFlowType", "userFlowTypeVersion"),
            "microsoft.graph.b2cIdentityUserFlow")
    name = str(body["id"]).strip()
    if not name.replace("_", "").replace("-", "").isalnum():
        raise bad_request(f"The user flow name '{name}' may only contain letters, digits, "
                          "'_' and '-'.")
    flow_id = name if name.upper().startswith(PREFIX) else PREFIX + name
    flow_type = next(
        (t for t in FLOW_TYPES if t.lower() == str(body["userFlowType"]).lower()), None
    )
    if flow_type is None:
        raise bad_request(
            f"Invalid userFlowType '{body['userFlowType']}'. Allowed: {', '.join(FLOW_TYPES)}."
        )
    version = body["userFlowTypeVersion"]
    numeric = isinstance(version, int | float) and not isinstance(version, bool)
    if not numeric or version not in (1, 2, 3):
        raise bad_request(f"Invalid userFlowTypeVersion '{version}'. Allowed: 1, 2, 3.")
    providers: list[str] = []
    for item in body.get("identityProviders") or []:
        pid = item.get("id") if isinstance(item, dict) else None
        known = state.identity_providers.canonical(str(pid)) if pid else None
        if known is None:
            raise bad_request(f"Identity provider '{pid}' is not configured in this tenant.")
        providers.append(known)
    return {
        "id": flow_id,
        "userFlowType": flow_type,
        "userFlowTypeVersion": int(version) if float(version).is_integer() else version,
        "isLanguageCustomizationEnabled": bool(body.get("isLanguageCustomizationEnabled", False)),
        "defaultLanguageTag": body.get("defaultLanguageTag") or "en",
        "identityProviders": providers,
        "attributes": ["email", "displayName"] if flow_type != "passwordReset" else ["email"],
    }
