"""B2C user flows (``B2C_1_...``): what a create must hold and how a flow reads back, with
its identity providers and attribute assignments expanded on request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import providers
from .rules import RESOURCE, add_new, audit, bad, known_providers, require
from .state import SECRET_MASK, IdentityState

if TYPE_CHECKING:
    from ..store import Store

PREFIX = "B2C_1_"
FLOW_TYPES = ("signUp", "signIn", "signUpOrSignIn", "passwordReset", "profileUpdate",
              "resourceOwner")
CREATABLE = ("id", "userFlowType", "userFlowTypeVersion", "isLanguageCustomizationEnabled",
             "defaultLanguageTag", "identityProviders", "apiConnectorConfiguration")
CATEGORY = RESOURCE
EXPANDABLE = {"identityproviders", "userflowidentityproviders", "userattributeassignments"}


def create_flow(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body, add the flow and audit it; returns the stored flow."""
    state = store.identity
    flow = build_flow(state, body)
    add_new(state.b2c_user_flows, flow["id"], flow,
            f"A user flow with id '{flow['id']}' already exists.")
    audit(store, "Add user flow", CATEGORY, flow["id"], flow["id"], "UserFlow")
    return flow


def delete_flow(store: Store, flow: dict[str, Any]) -> None:
    """Delete a flow and audit it."""
    store.identity.b2c_user_flows.pop(flow["id"])
    audit(store, "Delete user flow", CATEGORY, flow["id"], flow["id"], "UserFlow")


def render(state: IdentityState, flow: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A user flow as Graph returns it, with expanded navigation properties when asked."""
    out = {k: flow[k] for k in ("id", "userFlowType", "userFlowTypeVersion",
                                "isLanguageCustomizationEnabled", "defaultLanguageTag")}
    offered = [
        p for pid in flow.get("identityProviders", [])
        if (p := state.identity_providers.get(pid)) is not None
    ]
    if "identityproviders" in expand:
        out["identityProviders"] = [legacy_provider(p) for p in offered]
    if "userflowidentityproviders" in expand:
        out["userFlowIdentityProviders"] = [providers.render(p) for p in offered]
    if "userattributeassignments" in expand:
        edits = flow.get("assignmentEdits", {})  # see flow_parts: changed assignments
        out["userAttributeAssignments"] = [
            {**assignment(a, n), **edits.get(a["id"].lower(), {})}
            for n, aid in enumerate(flow.get("attributes", []))
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



def build_flow(state: IdentityState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body; the id gets the ``B2C_1_`` prefix."""
    require(body, ("id", "userFlowType", "userFlowTypeVersion"),
            "microsoft.graph.b2cIdentityUserFlow")
    name = str(body["id"]).strip()
    if not name.replace("_", "").replace("-", "").isalnum():
        raise bad(f"The user flow name '{name}' may only contain letters, digits, '_' and '-'.")
    flow_id = name if name.upper().startswith(PREFIX) else PREFIX + name
    flow_type = next(
        (t for t in FLOW_TYPES if t.lower() == str(body["userFlowType"]).lower()), None
    )
    if flow_type is None:
        raise bad(
            f"Invalid userFlowType '{body['userFlowType']}'. Allowed: {', '.join(FLOW_TYPES)}."
        )
    version = body["userFlowTypeVersion"]
    numeric = isinstance(version, int | float) and not isinstance(version, bool)
    if not numeric or version not in (1, 2, 3):
        raise bad(f"Invalid userFlowTypeVersion '{version}'. Allowed: 1, 2, 3.")
    return {
        "id": flow_id,
        "userFlowType": flow_type,
        "userFlowTypeVersion": int(version) if float(version).is_integer() else version,
        "isLanguageCustomizationEnabled": bool(body.get("isLanguageCustomizationEnabled", False)),
        "defaultLanguageTag": body.get("defaultLanguageTag") or "en",
        "identityProviders": known_providers(state, body.get("identityProviders")),
        "attributes": ["email", "displayName"] if flow_type != "passwordReset" else ["email"],
    }
