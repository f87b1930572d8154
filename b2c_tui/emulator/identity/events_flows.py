"""External ID self-service sign-up flows (``authenticationEventsFlows``): what a create must
hold, and the attributes and identity providers a flow collects and offers.

Adding an attribute also adds a default input to the attribute collection page; removing
one takes its input away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..http import GraphError
from ..odata import IDENTITY
from . import providers
from .rules import RESOURCE, audit, bad, known_providers, require
from .state import IdentityState, default_input

if TYPE_CHECKING:
    from ..store import Store

NS = "microsoft.graph."
FLOW_CAST = NS + "externalUsersSelfServiceSignUpEventsFlow"
ATTR_CAST = NS + "onAttributeCollectionExternalUsersSelfServiceSignUp"
IDP_CAST = NS + "onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp"
START_CAST = NS + "onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp"
CREATE_CAST = NS + "onUserCreateStartExternalUsersSelfServiceSignUp"
INPUT_DEFAULTS: dict[str, Any] = {
    "attribute": None, "label": None, "inputType": "text", "defaultValue": None,
    "hidden": False, "editable": True, "writeToDirectory": True, "required": False,
    "validationRegEx": "^.*", "options": [],
}
CATEGORY = RESOURCE


def filter_view(flow: dict[str, Any]) -> dict[str, Any]:
    """What ``$filter`` sees of a flow (its type-cast collections as plain lists)."""
    return {
        "flow": flow,
        "id": flow["id"],
        "displayName": flow["displayName"],
        "identityProviders": [{"id": p} for p in flow["identityProviders"]],
        "attributes": [{"id": a} for a in flow["attributes"]],
        "includeApplications": flow["conditions"]["applications"]["includeApplications"],
    }


def offered_providers(state: IdentityState, flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The identity providers ``flow`` offers, as they read back (secrets masked)."""
    known = state.identity_providers
    return [providers.render(p) for pid in flow["identityProviders"] if (p := known.get(pid))]


def collected_attributes(state: IdentityState, flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The user flow attributes ``flow`` collects at sign-up."""
    return [a for aid in flow["attributes"] if (a := state.attributes.get(aid))]


def create_flow(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body (display names are unique), add the flow and audit it."""
    state = store.identity
    flow = build_flow(state, body, state.new_guid())
    taken = {f["displayName"].casefold() for f in state.events_flows.values()}
    if flow["displayName"].casefold() in taken:
        raise GraphError(409, "Conflict", f"A user flow named '{flow['displayName']}' "
                         "already exists.")
    state.events_flows.set(flow["id"], flow)
    audit(store, "Add user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow")
    return flow


def delete_flow(store: Store, flow: dict[str, Any]) -> None:
    """Delete a flow and audit it."""
    store.identity.events_flows.pop(flow["id"])
    audit(store, "Delete user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow")


def add_attribute(store: Store, flow: dict[str, Any], attr_id: str) -> None:
    """Collect one more attribute at sign-up (with a default input on the page)."""
    state = store.identity
    attribute = state.attributes.get(attr_id)
    if attribute is None:
        raise bad(f"The user flow attribute '{attr_id}' does not exist.")
    if any(a.lower() == attr_id.lower() for a in flow["attributes"]):
        raise bad("One or more added object references already exist for the "
                  "following modified properties: 'attributes'.")
    flow["attributes"].append(attribute["id"])
    flow["inputs"].append(default_input(state, attribute["id"]))
    _audit_change(store, flow, "attributes", None, attribute["id"])


def remove_attribute(store: Store, flow: dict[str, Any], attr_id: str) -> None:
    """Stop collecting an attribute (its input goes too)."""
    current = next((a for a in flow["attributes"] if a.lower() == attr_id.lower()), None)
    if current is None:
        raise IDENTITY.not_found(attr_id, "attribute reference")
    flow["attributes"].remove(current)
    flow["inputs"] = [i for i in flow["inputs"] if i["attribute"].lower() != current.lower()]
    _audit_change(store, flow, "attributes", current, None)


def add_provider(store: Store, flow: dict[str, Any], provider_id: str) -> None:
    """Offer one more identity provider at sign-in."""
    known = store.identity.identity_providers.canonical(provider_id)
    if known is None:
        raise bad(f"Identity provider '{provider_id}' is not configured in this tenant.")
    if any(p.lower() == known.lower() for p in flow["identityProviders"]):
        raise bad("One or more added object references already exist for the "
                  "following modified properties: 'identityProviders'.")
    flow["identityProviders"].append(known)
    _audit_change(store, flow, "identityProviders", None, known)


def remove_provider(store: Store, flow: dict[str, Any], provider_id: str) -> None:
    """Stop offering an identity provider."""
    low = provider_id.lower()
    current = next((p for p in flow["identityProviders"] if p.lower() == low), None)
    if current is None:
        raise IDENTITY.not_found(provider_id, "identity provider reference")
    flow["identityProviders"].remove(current)
    _audit_change(store, flow, "identityProviders", current, None)


def _audit_change(store: Store, flow: dict[str, Any], prop_name: str, old: Any, new: Any) -> None:
    audit(store, "Update user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow",
          modified={prop_name: (old, new)})


def build_flow(state: IdentityState, body: dict[str, Any], flow_id: str) -> dict[str, Any]:
    """Validate a create body into a stored flow."""
    require(body, ("@odata.type", "displayName"), FLOW_CAST)
    if str(body["@odata.type"]).lstrip("#").lower() != FLOW_CAST.lower():
        raise bad(f"Unsupported user flow type '{body['@odata.type']}'; expected '#{FLOW_CAST}'.")
    load = body.get("onAuthenticationMethodLoadStart") or {}
    offered = known_providers(state, load.get("identityProviders"))
    collect = body.get("onAttributeCollection") or {}
    attributes: list[str] = []
    for item in collect.get("attributes") or []:
        aid = str(item.get("id")) if isinstance(item, dict) else ""
        attribute = state.attributes.get(aid)
        if attribute is None:
            raise bad(f"The user flow attribute '{aid}' does not exist.")
        attributes.append(attribute["id"])
    inputs = [
        _input(raw)
        for view in (collect.get("attributeCollectionPage") or {}).get("views") or []
        for raw in view.get("inputs") or []
    ]
    named = {i["attribute"].lower() for i in inputs}
    missing = [a for a in attributes if a.lower() not in named]
    extra = sorted(named - {a.lower() for a in attributes})
    if missing or extra:
        raise bad(
            "Every attribute in onAttributeCollection.attributes needs an input in "
            "attributeCollectionPage.views and vice versa: " + ", ".join(missing + extra) + "."
        )
    apps = ((body.get("conditions") or {}).get("applications") or {})
    start = body.get("onInteractiveAuthFlowStart") or {}
    return {
        "id": flow_id,
        "displayName": str(body["displayName"]),
        "description": body.get("description"),
        "priority": int(body.get("priority", 500)),
        "conditions": {"applications": {
            "includeApplications": [{"appId": a.get("appId")} for a in
                                    apps.get("includeApplications") or [] if isinstance(a, dict)]
        }},
        "identityProviders": offered,
        "attributes": attributes,
        "inputs": inputs,
        "isSignUpAllowed": bool(start.get("isSignUpAllowed", True)),
    }


def _input(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("attribute"):
        raise bad("Each attribute collection input needs an 'attribute'.")
    out = INPUT_DEFAULTS | {k: v for k, v in raw.items() if k in INPUT_DEFAULTS}
    out["inputType"] = str(out["inputType"]).lower()
    out["label"] = out["label"] or out["attribute"]
    return out


