"""What user flows hold, changed piece by piece: a B2C flow's identity providers and attribute
assignments (with their order), and the applications an External ID flow applies to.

A B2C flow keeps the ids of its providers (``identityProviders``) and of the attributes it
collects, in order (``attributes``); what an assignment says beyond its default (label, input
type, optional, choices) is kept in ``assignmentEdits`` by lower-cased attribute id, so that the
defaults :func:`..b2c_flows.assignment` derives from an attribute's position are frozen before
the order changes. Every change is audited as an update of the flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..http import GraphError
from ..odata import IDENTITY
from . import b2c_flows, providers
from .rules import RESOURCE, audit, bad, refuse_unknown

if TYPE_CHECKING:
    from ..store import Store

INPUT_TYPES = ("textBox", "dateTimeDropdown", "radioSingleSelect", "dropdownSingleSelect",
               "emailBox", "checkboxMultiSelect")
CHOICE_INPUTS = frozenset({"radioSingleSelect", "dropdownSingleSelect", "checkboxMultiSelect"})
ASSIGNMENT_TYPE = "microsoft.graph.identityUserFlowAttributeAssignment"
EDITABLE = ("displayName", "isOptional", "requiresVerification", "userInputType",
            "userAttributeValues")
EDITS = "assignmentEdits"


# -- B2C flows: identity providers -------------------------------------------------------------
def offered(store: Store, flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The providers ``flow`` offers, as they read back (secrets masked)."""
    state = store.identity
    return [providers.render(p) for pid in flow.get("identityProviders", [])
            if (p := state.identity_providers.get(pid)) is not None]


def add_provider(store: Store, flow: dict[str, Any], provider_id: str) -> None:
    """Offer one more configured provider; 400 for an unknown or already offered one."""
    known = store.identity.identity_providers.canonical(provider_id)
    if known is None:
        raise bad(f"Identity provider '{provider_id}' is not configured in this tenant.")
    current = flow.setdefault("identityProviders", [])
    if any(p.lower() == known.lower() for p in current):
        raise bad("One or more added object references already exist for the following "
                  "modified properties: 'userFlowIdentityProviders'.")
    current.append(known)
    _audited(store, flow, "userFlowIdentityProviders", None, known)


def remove_provider(store: Store, flow: dict[str, Any], provider_id: str) -> None:
    """Stop offering a provider; 404 when the flow does not offer it."""
    current = flow.setdefault("identityProviders", [])
    found = next((p for p in current if p.lower() == provider_id.lower()), None)
    if found is None:
        raise IDENTITY.not_found(provider_id, "identity provider reference")
    current.remove(found)
    _audited(store, flow, "userFlowIdentityProviders", found, None)


# -- B2C flows: attribute assignments ------------------------------------------------------------
def assignments(store: Store, flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The flow's attribute assignments in order, as Graph returns them."""
    return b2c_flows.render(store.identity, flow, {"userattributeassignments"}).get(
        "userAttributeAssignments", [])


def find_assignment(store: Store, flow: dict[str, Any], key: str) -> dict[str, Any]:
    """One assignment by id (any casing); 404 when the flow has none such."""
    found = next((a for a in assignments(store, flow) if a["id"].lower() == key.lower()), None)
    if found is None:
        raise IDENTITY.not_found(key, "identityUserFlowAttributeAssignment")
    return found


def add_assignment(store: Store, flow: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Collect one more attribute, last; returns the new assignment."""
    state = store.identity
    fields = {k: v for k, v in body.items() if "@" not in k}
    refuse_unknown(fields, (*EDITABLE, "userAttribute", "id"), ASSIGNMENT_TYPE)
    target = body.get("userAttribute")
    attr_id = str(target.get("id") or "") if isinstance(target, dict) else ""
    attribute = state.attributes.get(attr_id) if attr_id else None
    if attribute is None:
        raise bad(f"The user flow attribute '{attr_id}' does not exist."
                  if attr_id else "The 'userAttribute' of the assignment is required.")
    if any(a.lower() == attribute["id"].lower() for a in flow.setdefault("attributes", [])):
        raise GraphError(409, "Conflict", f"The attribute '{attribute['id']}' is already "
                         "assigned to this user flow.")
    edits = _checked(fields, attribute)
    _freeze(store, flow)
    flow["attributes"].append(attribute["id"])
    flow[EDITS][attribute["id"].lower()] = {
        "displayName": attribute.get("displayName"), "isOptional": True,
        "requiresVerification": False, "userInputType": "textBox", "userAttributeValues": [],
        **edits}
    _audited(store, flow, "userAttributeAssignments", None, attribute["id"])
    return find_assignment(store, flow, attribute["id"])


def update_assignment(store: Store, flow: dict[str, Any], key: str,
                      body: dict[str, Any]) -> None:
    """Change an assignment's label, input type, choices, optional or verified."""
    current = find_assignment(store, flow, key)
    fields = {k: v for k, v in body.items() if "@" not in k}
    refuse_unknown(fields, EDITABLE, ASSIGNMENT_TYPE)
    attribute = store.identity.attributes.get(current["id"]) or {}
    merged = {**current, **fields}
    edits = _checked(merged, attribute)
    _freeze(store, flow)
    flow[EDITS][current["id"].lower()].update({k: edits[k] for k in fields})
    _audited(store, flow, "userAttributeAssignments", current["id"], current["id"])


def remove_assignment(store: Store, flow: dict[str, Any], key: str) -> None:
    """Stop collecting an attribute."""
    current = find_assignment(store, flow, key)
    _freeze(store, flow)
    flow["attributes"] = [a for a in flow["attributes"] if a.lower() != current["id"].lower()]
    flow[EDITS].pop(current["id"].lower(), None)
    _audited(store, flow, "userAttributeAssignments", current["id"], None)


def order(store: Store, flow: dict[str, Any]) -> list[str]:
    """The assignment ids in order (``getOrder``)."""
    return [a["id"] for a in assignments(store, flow)]


def set_order(store: Store, flow: dict[str, Any], body: dict[str, Any]) -> None:
    """``setOrder``: the new order must name every assignment of the flow exactly once."""
    new = body.get("newAssignmentOrder")
    wanted = new.get("order") if isinstance(new, dict) else None
    if not isinstance(wanted, list) or not all(isinstance(i, str) for i in wanted):
        raise bad("The request body needs 'newAssignmentOrder': {'order': [ids]}.")
    current = {a.lower(): a for a in order(store, flow)}
    if sorted(i.lower() for i in wanted) != sorted(current):
        raise bad("The new order must contain every attribute assignment of the user flow "
                  "exactly once.")
    _freeze(store, flow)
    before = list(flow["attributes"])
    flow["attributes"] = [current[i.lower()] for i in wanted]
    _audited(store, flow, "userAttributeAssignments order", "; ".join(before),
             "; ".join(flow["attributes"]))


def _checked(fields: dict[str, Any], attribute: dict[str, Any]) -> dict[str, Any]:
    """The editable part of ``fields``, refused as Graph does (400)."""
    out = {k: fields[k] for k in EDITABLE if k in fields}
    for name in ("isOptional", "requiresVerification"):
        if name in out and not isinstance(out[name], bool):
            raise bad(f"Cannot convert the literal '{out[name]}' to the expected type "
                      "'Edm.Boolean'.")
    kind = out.get("userInputType")
    if kind is not None:
        spelled = next((t for t in INPUT_TYPES if t.lower() == str(kind).lower()), None)
        if spelled is None:
            raise bad(f"Requested value '{kind}' was not found.")
        out["userInputType"] = spelled
        if spelled in CHOICE_INPUTS and not fields.get("userAttributeValues"):
            raise bad(f"userAttributeValues are required for the input type '{spelled}'.")
        if spelled == "emailBox" and attribute.get("id", "").lower() != "email":
            raise bad("The input type 'emailBox' can only be used for the Email Address "
                      "attribute.")
    values = out.get("userAttributeValues")
    if values is not None:
        if not isinstance(values, list) or not all(
                isinstance(v, dict) and v.get("name") and v.get("value") is not None
                for v in values):
            raise bad("Each of userAttributeValues needs a 'name' and a 'value'.")
        out["userAttributeValues"] = [
            {"name": str(v["name"]), "value": str(v["value"]),
             "isDefault": bool(v.get("isDefault", False))} for v in values]
    return out


def _freeze(store: Store, flow: dict[str, Any]) -> None:
    """Keep every assignment as it reads now (its defaults depend on its position)."""
    edits = flow.setdefault(EDITS, {})
    for item in assignments(store, flow):
        edits.setdefault(item["id"].lower(), {k: item[k] for k in EDITABLE if k in item})


# -- External ID flows: the applications they apply to ------------------------------------------
def applications(flow: dict[str, Any]) -> list[dict[str, Any]]:
    """The flow's ``includeApplications`` (``authenticationConditionApplication`` records)."""
    return [{"@odata.type": "#microsoft.graph.authenticationConditionApplication", **a}
            for a in flow["conditions"]["applications"]["includeApplications"]]


def add_application(store: Store, flow: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Link an application (its ``appId``): it needs a service principal in the tenant and can
    be linked to one flow only."""
    app_id = str(body.get("appId") or "").strip()
    if not app_id:
        raise bad("The property 'appId' is required.")
    if store.apps.sp_by_app_id(app_id) is None:
        raise bad(f"Application '{app_id}' has no service principal in this tenant.")
    for other in store.identity.events_flows.values():
        linked = other["conditions"]["applications"]["includeApplications"]
        if any(str(a.get("appId", "")).lower() == app_id.lower() for a in linked):
            raise GraphError(409, "Conflict", f"Application '{app_id}' is already linked to "
                             f"the user flow '{other['displayName']}'.")
    flow["conditions"]["applications"]["includeApplications"].append({"appId": app_id})
    audit(store, "Update user flow", RESOURCE, flow["id"], flow["displayName"], "UserFlow",
          modified={"includeApplications": (None, app_id)})
    return applications(flow)[-1]


def remove_application(store: Store, flow: dict[str, Any], app_id: str) -> None:
    """Unlink an application; 404 when the flow does not apply to it."""
    linked = flow["conditions"]["applications"]["includeApplications"]
    found = next((a for a in linked if str(a.get("appId", "")).lower() == app_id.lower()), None)
    if found is None:
        raise IDENTITY.not_found(app_id, "authenticationConditionApplication")
    linked.remove(found)
    audit(store, "Update user flow", RESOURCE, flow["id"], flow["displayName"], "UserFlow",
          modified={"includeApplications": (found["appId"], None)})


def _audited(store: Store, flow: dict[str, Any], prop: str, old: Any, new: Any) -> None:
    audit(store, "Update user flow", RESOURCE, flow["id"], flow["id"], "UserFlow",
          modified={prop: (old, new)})
