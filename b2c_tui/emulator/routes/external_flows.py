"""``/identity/authenticationEventsFlows``: External ID self-service sign-up user flows.

List (with the documented type-cast ``$filter`` forms), create, get, delete, and the
``$ref`` collections of a flow: attributes collected at sign-up and the identity providers
offered. Adding an attribute also adds a default input to the attribute collection page.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from ..http import GraphError, Request, Response, empty
from ..identity_http import (
    BOTH,
    FAMILY_IDENTITY,
    audit,
    bad_request,
    collection,
    entity,
    not_found,
    require,
)
from ..identity_seed import state_for
from ..identity_state import IdentityState, default_input
from .identity_providers import render

log = logging.getLogger(__name__)

FRAGMENT = "identity/authenticationEventsFlows"
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
CATEGORY = "PolicyManagement"
LAMBDAS = {
    f"{FLOW_CAST}/onAuthenticationMethodLoadStart/{IDP_CAST}/identityProviders".lower():
        "identityProviders",
    f"{FLOW_CAST}/onAttributeCollection/{ATTR_CAST}/attributes".lower(): "attributes",
    f"{FLOW_CAST}/conditions/applications/includeApplications".lower(): "includeApplications",
}


def _filter_view(flow: dict[str, Any]) -> dict[str, Any]:
    return {
        "flow": flow,
        "id": flow["id"],
        "displayName": flow["displayName"],
        "identityProviders": [{"id": p} for p in flow["identityProviders"]],
        "attributes": [{"id": a} for a in flow["attributes"]],
        "includeApplications": flow["conditions"]["applications"]["includeApplications"],
    }


def register(router: Any, store: Any) -> None:
    """Register the External ID user flow routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> dict[str, Any]:
        flow = state.events_flows.get(request.params["id"])
        if flow is None:
            raise not_found("authenticationEventsFlow", request.params["id"])
        return flow

    def list_flows(request: Request) -> Response:
        views = [_filter_view(flow) for flow in state.events_flows.values()]
        return collection(
            request, views, FRAGMENT, simple_filter=("id", "displayName"), lambdas=LAMBDAS,
            render=lambda view: render_flow(state, view["flow"], request),
        )

    def get_flow(request: Request) -> Response:
        return entity(request, render_flow(state, lookup(request), request),
                      f"{FRAGMENT}/$entity")

    def create_flow(request: Request) -> Response:
        flow = build_flow(state, request.json_object(), state.new_guid())
        taken = {f["displayName"].casefold() for f in state.events_flows.values()}
        if flow["displayName"].casefold() in taken:
            raise GraphError(409, "Conflict", f"A user flow named '{flow['displayName']}' "
                             "already exists.")
        state.events_flows.set(flow["id"], flow)
        audit(store, "Add user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow")
        return entity(request, render_flow(state, flow, request, created=True),
                      f"{FRAGMENT}/$entity", status=201)

    def delete_flow(request: Request) -> Response:
        flow = lookup(request)
        state.events_flows.pop(flow["id"])
        audit(store, "Delete user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow")
        return empty(204)

    def list_attributes(request: Request) -> Response:
        flow = lookup(request)
        if not flow["attributes"]:
            raise bad_request("No user flow attributes are assigned to this user flow.")
        items = [a for aid in flow["attributes"] if (a := state.attributes.get(aid))]
        return collection(request, items, "Collection(microsoft.graph.identityUserFlowAttribute)")

    def add_attribute(request: Request) -> Response:
        flow = lookup(request)
        attr_id = ref_target(request, "userFlowAttributes")
        attribute = state.attributes.get(attr_id)
        if attribute is None:
            raise bad_request(f"The user flow attribute '{attr_id}' does not exist.")
        if any(a.lower() == attr_id.lower() for a in flow["attributes"]):
            raise bad_request("One or more added object references already exist for the "
                              "following modified properties: 'attributes'.")
        flow["attributes"].append(attribute["id"])
        flow["inputs"].append(default_input(state, attribute["id"]))
        _audit_change(store, flow, "attributes", None, attribute["id"])
        return empty(204)

    def remove_attribute(request: Request) -> Response:
        flow = lookup(request)
        attr_id = request.params.get("attrId") or ref_target(request, "userFlowAttributes")
        current = next((a for a in flow["attributes"] if a.lower() == attr_id.lower()), None)
        if current is None:
            raise not_found("attribute reference", attr_id)
        flow["attributes"].remove(current)
        flow["inputs"] = [i for i in flow["inputs"] if i["attribute"].lower() != current.lower()]
        _audit_change(store, flow, "attributes", current, None)
        return empty(204)

    def list_providers(request: Request) -> Response:
        flow = lookup(request)
        items = [render(p) for pid in flow["identityProviders"]
                 if (p := state.identity_providers.get(pid))]
        return collection(request, items, "Collection(microsoft.graph.identityProviderBase)")

    def add_provider(request: Request) -> Response:
        flow = lookup(request)
        pid = ref_target(request, "identityProviders")
        known = state.identity_providers.canonical(pid)
        if known is None:
            raise bad_request(f"Identity provider '{pid}' is not configured in this tenant.")
        if any(p.lower() == known.lower() for p in flow["identityProviders"]):
            raise bad_request("One or more added object references already exist for the "
                              "following modified properties: 'identityProviders'.")
        flow["identityProviders"].append(known)
        _audit_change(store, flow, "identityProviders", None, known)
        return empty(204)

    def remove_provider(request: Request) -> Response:
        flow = lookup(request)
        pid = request.params.get("idpId") or ref_target(request, "identityProviders")
        current = next((p for p in flow["identityProviders"] if p.lower() == pid.lower()), None)
        if current is None:
            raise not_found("identity provider reference", pid)
        flow["identityProviders"].remove(current)
        _audit_change(store, flow, "identityProviders", current, None)
        return empty(204)

    base = "/identity/authenticationEventsFlows"
    attrs = f"{base}/{{id}}/{FLOW_CAST}/onAttributeCollection/{ATTR_CAST}/attributes"
    load = f"{base}/{{id}}/{FLOW_CAST}/onAuthenticationMethodLoadStart/{IDP_CAST}"
    routes = (
        ("GET", base, list_flows),
        ("POST", base, create_flow),
        ("GET", f"{base}/{{id}}", get_flow),
        ("DELETE", f"{base}/{{id}}", delete_flow),
        ("GET", attrs, list_attributes),
        ("POST", f"{attrs}/$ref", add_attribute),
        ("DELETE", f"{attrs}/$ref", remove_attribute),  # OData form: ?$id=<attribute URL>
        ("DELETE", f"{attrs}/{{attrId}}/$ref", remove_attribute),
        ("GET", f"{load}/identityProviders", list_providers),
        ("POST", f"{load}/identityProviders/$ref", add_provider),
        ("DELETE", f"{load}/identityProviders/$ref", remove_provider),
        ("DELETE", f"{load}/identityProviders/{{idpId}}/$ref", remove_provider),
        # The docs' request template omits the identityProviders segment; accept it too.
        ("DELETE", f"{load}/{{idpId}}/$ref", remove_provider),
    )
    for method, template, handler in routes:
        router.add(method, template, handler, versions=BOTH, family=FAMILY_IDENTITY)


def _audit_change(store: Any, flow: dict[str, Any], prop_name: str, old: Any, new: Any) -> None:
    audit(store, "Update user flow", CATEGORY, flow["id"], flow["displayName"], "UserFlow",
          modified={prop_name: (old, new)})



def render_flow(
    state: IdentityState, flow: dict[str, Any], request: Request, *, created: bool = False
) -> dict[str, Any]:
    """A flow as Graph returns it; the create response omits the navigation collections."""
    apps: dict[str, Any] = {"includeAllApplications": False}
    if not created:
        apps["includeApplications@odata.context"] = request.context_url(
            f"{FRAGMENT}('{flow['id']}')/{FLOW_CAST}/conditions/applications/includeApplications"
        )
        apps["includeApplications"] = flow["conditions"]["applications"]["includeApplications"]
    load: dict[str, Any] = {"@odata.type": f"#{IDP_CAST}"}
    collect: dict[str, Any] = {
        "@odata.type": f"#{ATTR_CAST}",
        "accessPackages": [],
        "attributeCollectionPage": {
            "customStringsFileId": None,
            "views": [{"title": None, "description": None,
                       "inputs": [dict(i) for i in flow["inputs"]]}],
        },
    }
    if not created:
        load["identityProviders"] = [
            render(p) for pid in flow["identityProviders"]
            if (p := state.identity_providers.get(pid))
        ]
        collect["attributes"] = [
            a for aid in flow["attributes"] if (a := state.attributes.get(aid))
        ]
    return {
        "@odata.type": f"#{FLOW_CAST}",
        "id": flow["id"],
        "displayName": flow["displayName"],
        "description": flow["description"],
        "priority": flow["priority"],
        "onAttributeCollectionStart": None,
        "onAttributeCollectionSubmit": None,
        "conditions": {"applications": apps},
        "onInteractiveAuthFlowStart": {
            "@odata.type": f"#{START_CAST}", "isSignUpAllowed": flow["isSignUpAllowed"]
        },
        "onAuthenticationMethodLoadStart": load,
        "onAttributeCollection": collect,
        "onUserCreateStart": None if created else {
            "@odata.type": f"#{CREATE_CAST}", "userTypeToCreate": "member"
        },
    }


def build_flow(state: IdentityState, body: dict[str, Any], flow_id: str) -> dict[str, Any]:
    """Validate a create body into a stored flow."""
    require(body, ("@odata.type", "displayName"), FLOW_CAST)
    if str(body["@odata.type"]).lstrip("#").lower() != FLOW_CAST.lower():
        raise bad_request(f"Unsupported user flow type '{body['@odata.type']}'; expected "
                          f"'#{FLOW_CAST}'.")
    load = body.get("onAuthenticationMethodLoadStart") or {}
    providers: list[str] = []
    for item in load.get("identityProviders") or []:
        pid = str(item.get("id")) if isinstance(item, dict) else ""
        known = state.identity_providers.canonical(pid)
        if known is None:
            raise bad_request(f"Identity provider '{pid}' is not configured in this tenant.")
        providers.append(known)
    collect = body.get("onAttributeCollection") or {}
    attributes: list[str] = []
    for item in collect.get("attributes") or []:
        aid = str(item.get("id")) if isinstance(item, dict) else ""
        attribute = state.attributes.get(aid)
        if attribute is None:
            raise bad_request(f"The user flow attribute '{aid}' does not exist.")
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
        raise bad_request(
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
        "identityProviders": providers,
        "attributes": attributes,
        "inputs": inputs,
        "isSignUpAllowed": bool(start.get("isSignUpAllowed", True)),
    }


def _input(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("attribute"):
        raise bad_request("Each attribute collection input needs an 'attribute'.")
    out = INPUT_DEFAULTS | {k: v for k, v in raw.items() if k in INPUT_DEFAULTS}
    out["inputType"] = str(out["inputType"]).lower()
    out["label"] = out["label"] or out["attribute"]
    return out


def ref_target(request: Request, collection_name: str) -> str:
    """The key of the object an ``@odata.id`` (body) or ``$id`` (query) reference names."""
    url = request.arg("$id") if request.method == "DELETE" else None
    if url is None:
        body = request.json_object()
        url = body.get("@odata.id")
    if not isinstance(url, str) or not url:
        raise bad_request("The reference must be given as '@odata.id'.")
    path = unquote(urlsplit(url).path)
    match = re.search(rf"{collection_name}(?:/([^/]+)|\('([^']+)'\))/?$", path, re.IGNORECASE)
    if match is None:
        raise bad_request(f"Invalid '@odata.id' '{url}': expected a URL of {collection_name}.")
    return match.group(1) or match.group(2)
