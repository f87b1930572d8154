"""User flow attributes: built-in ones (read-only) and custom ones, named
``extension_<b2c-extensions-app appId without dashes>_<name>``, whose description alone can
change and whose deletion takes them out of every user flow."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .rules import RESOURCE, add_new, audit, bad, refuse_unknown, require, without_annotations
from .state import IdentityState

if TYPE_CHECKING:
    from ..store import Store

DATA_TYPES = ("string", "boolean", "int64", "stringCollection", "dateTime")
TYPE_NAME = "microsoft.graph.identityUserFlowAttribute"
CATEGORY = RESOURCE


def _custom_only(attribute: dict[str, Any], verb: str) -> None:
    if attribute["userFlowAttributeType"] != "custom":
        raise bad(
            f"The built-in user flow attribute '{attribute['id']}' cannot be {verb}; only "
            "custom attributes can."
        )


def create_attribute(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body, add the custom attribute and audit it."""
    state = store.identity
    attribute = build_attribute(state, body)
    add_new(state.attributes, attribute["id"], attribute,
            f"A user flow attribute '{attribute['id']}' already exists.")
    audit(store, "Add user flow attribute", CATEGORY, attribute["id"],
          attribute["displayName"], "UserFlowAttribute")
    return attribute


def update_attribute(store: Store, attribute: dict[str, Any], body: dict[str, Any]) -> None:
    """Change a custom attribute's description."""
    _custom_only(attribute, "updated")
    changes = without_annotations(body)
    refuse_unknown(changes, ("description",), TYPE_NAME)
    if "description" in changes:
        old = attribute["description"]
        attribute["description"] = changes["description"]
        audit(store, "Update user flow attribute", CATEGORY, attribute["id"],
              attribute["displayName"], "UserFlowAttribute",
              modified={"description": (old, changes["description"])})


def delete_attribute(store: Store, attribute: dict[str, Any]) -> None:
    """Delete a custom attribute and take it out of every user flow."""
    _custom_only(attribute, "deleted")
    state = store.identity
    state.attributes.pop(attribute["id"])
    low = attribute["id"].lower()
    for flow in (*state.events_flows.values(), *state.b2c_user_flows.values()):
        flow["attributes"] = [a for a in flow["attributes"] if a.lower() != low]
        if "inputs" in flow:
            flow["inputs"] = [i for i in flow["inputs"] if i["attribute"].lower() != low]
    audit(store, "Delete user flow attribute", CATEGORY, attribute["id"],
          attribute["displayName"], "UserFlowAttribute")


def build_attribute(state: IdentityState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body into a custom attribute named after the extensions app."""
    fields = without_annotations(body)
    refuse_unknown(fields, ("displayName", "description", "dataType", "userFlowAttributeType",
                            "id"), TYPE_NAME)
    require(body, ("displayName", "dataType"), TYPE_NAME)
    if body.get("userFlowAttributeType") not in (None, "custom"):
        raise bad("Only custom user flow attributes can be created.")
    data_type = next((t for t in DATA_TYPES if t.lower() == str(body["dataType"]).lower()), None)
    if data_type is None:
        raise bad(
            f"Invalid dataType '{body['dataType']}'. Allowed: {', '.join(DATA_TYPES)}."
        )
    display = str(body["displayName"]).strip()
    name = re.sub(r"[^A-Za-z0-9_]", "", display)
    if not name or not name[0].isalpha():
        raise bad(
            f"The displayName '{display}' must start with a letter and contain letters or digits."
        )
    return {
        "id": state.extension_attribute_id(name),
        "displayName": display,
        "description": body.get("description"),
        "userFlowAttributeType": "custom",
        "dataType": data_type,
    }
