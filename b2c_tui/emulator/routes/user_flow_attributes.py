"""``/identity/userFlowAttributes``: built-in and custom user flow attributes.

Custom attributes are named ``extension_<b2c-extensions-app appId without dashes>_<name>``;
only they can be updated (``description`` only) or deleted. Built-in ones are read-only.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..http import GraphError, Request, Response, empty
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
from ..identity_state import IdentityState

log = logging.getLogger(__name__)

DATA_TYPES = ("string", "boolean", "int64", "stringCollection", "dateTime")
FILTERABLE = ("id", "displayName", "dataType", "userFlowAttributeType")
TYPE_NAME = "microsoft.graph.identityUserFlowAttribute"
CATEGORY = "ResourceManagement"


def register(router: Any, store: Any) -> None:
    """Register the user flow attribute routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> dict[str, Any]:
        attribute = state.attributes.get(request.params["id"])
        if attribute is None:
            raise not_found("user flow attribute", request.params["id"])
        return attribute

    def custom_only(attribute: dict[str, Any], verb: str) -> None:
        if attribute["userFlowAttributeType"] != "custom":
            raise bad_request(
                f"The built-in user flow attribute '{attribute['id']}' cannot be {verb}; only "
                "custom attributes can."
            )

    def list_attributes(request: Request) -> Response:
        return collection(request, [dict(a) for a in state.attributes.values()],
                          "userFlowAttributes", simple_filter=FILTERABLE)

    def get_attribute(request: Request) -> Response:
        return entity(request, dict(lookup(request)), "identity/userFlowAttributes/$entity")

    def create_attribute(request: Request) -> Response:
        body = request.json_object()
        attribute = build_attribute(state, body)
        if attribute["id"] in state.attributes:
            raise GraphError(409, "Conflict",
                             f"A user flow attribute '{attribute['id']}' already exists.")
        state.attributes.set(attribute["id"], attribute)
        audit(store, "Add user flow attribute", CATEGORY, attribute["id"],
              attribute["displayName"], "UserFlowAttribute")
        location = f"/identity/userFlowAttributes('{attribute['id']}')"
        return entity(request, dict(attribute), "identity/userFlowAttributes/$entity",
                      status=201, headers={"Location": location})

    def update_attribute(request: Request) -> Response:
        attribute = lookup(request)
        custom_only(attribute, "updated")
        body = {k: v for k, v in request.json_object().items() if "@" not in k}
        refuse_unknown(body, ("description",), TYPE_NAME)
        if "description" in body:
            old = attribute["description"]
            attribute["description"] = body["description"]
            audit(store, "Update user flow attribute", CATEGORY, attribute["id"],
                  attribute["displayName"], "UserFlowAttribute",
                  modified={"description": (old, body["description"])})
        return empty(204)

    def delete_attribute(request: Request) -> Response:
        attribute = lookup(request)
        custom_only(attribute, "deleted")
        state.attributes.pop(attribute["id"])
        low = attribute["id"].lower()
        for flow in (*state.events_flows.values(), *state.b2c_user_flows.values()):
            flow["attributes"] = [a for a in flow["attributes"] if a.lower() != low]
            if "inputs" in flow:
                flow["inputs"] = [i for i in flow["inputs"] if i["attribute"].lower() != low]
        audit(store, "Delete user flow attribute", CATEGORY, attribute["id"],
              attribute["displayName"], "UserFlowAttribute")
        return empty(204)

    base = "/identity/userFlowAttributes"
    for method, template, handler in (
        ("GET", base, list_attributes),
        ("POST", base, create_attribute),
        ("GET", f"{base}/{{id}}", get_attribute),
        ("PATCH", f"{base}/{{id}}", update_attribute),
        ("DELETE", f"{base}/{{id}}", delete_attribute),
    ):
        router.add(method, template, handler, versions=BOTH, family=FAMILY_IDENTITY)


def build_attribute(state: IdentityState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body into a custom attribute named after the extensions app."""
    fields = {k: v for k, v in body.items() if "@" not in k}
    refuse_unknown(fields, ("displayName", "description", "dataType", "userFlowAttributeType",
                            "id"), TYPE_NAME)
    require(body, ("displayName", "dataType"), TYPE_NAME)
    if body.get("userFlowAttributeType") not in (None, "custom"):
        raise bad_request("Only custom user flow attributes can be created.")
    data_type = next((t for t in DATA_TYPES if t.lower() == str(body["dataType"]).lower()), None)
    if data_type is None:
        raise bad_request(
            f"Invalid dataType '{body['dataType']}'. Allowed: {', '.join(DATA_TYPES)}."
        )
    display = str(body["displayName"]).strip()
    name = re.sub(r"[^A-Za-z0-9_]", "", display)
    if not name or not name[0].isalpha():
        raise bad_request(
            f"The displayName '{display}' must start with a letter and contain letters or digits."
        )
    return {
        "id": state.extension_attribute_id(name),
        "displayName": display,
        "description": body.get("description"),
        "userFlowAttributeType": "custom",
        "dataType": data_type,
    }
