"""``/identity/conditionalAccess``: policies (list, create, get, update, delete) and templates.

Conditional Access is throttled at 1 request per second per tenant and its 429 carries no
``Retry-After`` (the ``conditional_access`` throttle family). Changes are audited by the
"Conditional Access" service, as Entra ID does.
"""

from __future__ import annotations

import logging
from typing import Any

from ..filter import FilterSpec, prop
from ..http import Request, Response, empty
from ..identity_http import (
    BOTH,
    FAMILY_CA,
    audit,
    bad_request,
    collection,
    entity,
    not_found,
    refuse_unknown,
    require,
)
from ..identity_seed import state_for
from ..identity_state import normalise_ca_policy

log = logging.getLogger(__name__)

STATES = ("enabled", "disabled", "enabledForReportingButNotEnforced")
WRITABLE = ("displayName", "state", "conditions", "grantControls", "sessionControls",
            "templateId")
READ_ONLY = ("id", "createdDateTime", "modifiedDateTime")
SORTABLE = ("displayName", "createdDateTime", "modifiedDateTime", "state")
TYPE_NAME = "microsoft.graph.conditionalAccessPolicy"
FRAGMENT = "conditionalAccess/policies"
SERVICE = "Conditional Access"
FILTERS = FilterSpec(
    "conditionalAccessPolicy",
    {
        "id": prop("id", "eq in"),
        "displayname": prop("displayName", "eq in startswith"),
        "state": prop("state", "eq in"),
        "templateid": prop("templateId", "eq in"),
        "createddatetime": prop("createdDateTime", "eq ge le gt lt", "datetime"),
        "modifieddatetime": prop("modifiedDateTime", "eq ge le gt lt", "datetime"),
    },
)


def register(router: Any, store: Any) -> None:
    """Register the conditional access routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> dict[str, Any]:
        policy = state.ca_policies.get(request.params["id"])
        if policy is None:
            raise not_found("conditionalAccessPolicy", request.params["id"])
        return policy

    def list_policies(request: Request) -> Response:
        items = sort_and_skip(request, list(state.ca_policies.values()))
        response = collection(request, items, FRAGMENT, filter_spec=FILTERS)
        return response

    def get_policy(request: Request) -> Response:
        return entity(request, lookup(request), f"{FRAGMENT}/$entity")

    def create_policy(request: Request) -> Response:
        body = request.json_object()
        fields = {k: v for k, v in body.items() if "@" not in k}
        refuse_unknown(fields, WRITABLE, TYPE_NAME)
        validate(fields)
        policy = normalise_ca_policy(fields)
        policy["id"] = state.new_guid()
        policy["createdDateTime"] = store.now_iso()
        state.ca_policies.set(policy["id"], policy)
        audit(store, "Add conditional access policy", "Policy", policy["id"],
              policy["displayName"], "Policy", service=SERVICE)
        return entity(request, policy, f"{FRAGMENT}/$entity", status=201)

    def update_policy(request: Request) -> Response:
        policy = lookup(request)
        body = {k: v for k, v in request.json_object().items() if "@" not in k}
        for name in READ_ONLY:
            if name in body and body[name] != policy.get(name):
                raise bad_request(f"Property '{name}' is read-only.")
            body.pop(name, None)
        refuse_unknown(body, WRITABLE, TYPE_NAME)
        merged = merge(policy, body)
        validate(merged)
        updated = normalise_ca_policy(merged)
        modified = {k: (policy.get(k), updated.get(k)) for k in body}
        updated["modifiedDateTime"] = store.now_iso()
        policy.clear()
        policy.update(updated)
        audit(store, "Update conditional access policy", "Policy", policy["id"],
              policy["displayName"], "Policy", modified=modified, service=SERVICE)
        return empty(204)

    def delete_policy(request: Request) -> Response:
        policy = lookup(request)
        state.ca_policies.pop(policy["id"])
        audit(store, "Delete conditional access policy", "Policy", policy["id"],
              policy["displayName"], "Policy", service=SERVICE)
        return empty(204)

    def list_templates(request: Request) -> Response:
        return collection(request, state.ca_templates, "identity/conditionalAccess/templates",
                          simple_filter=("id", "name", "scenarios"))

    def get_template(request: Request) -> Response:
        key = request.params["id"].lower()
        template = next((t for t in state.ca_templates if t["id"] == key), None)
        if template is None:
            raise not_found("conditionalAccessTemplate", request.params["id"])
        return entity(request, template, "identity/conditionalAccess/templates/$entity")

    base = "/identity/conditionalAccess"
    for method, template, handler in (
        ("GET", f"{base}/policies", list_policies),
        ("POST", f"{base}/policies", create_policy),
        ("GET", f"{base}/policies/{{id}}", get_policy),
        ("PATCH", f"{base}/policies/{{id}}", update_policy),
        ("DELETE", f"{base}/policies/{{id}}", delete_policy),
        ("GET", f"{base}/templates", list_templates),
        ("GET", f"{base}/templates/{{id}}", get_template),
    ):
        router.add(method, template, handler, versions=BOTH, family=FAMILY_CA)


def validate(policy: dict[str, Any]) -> None:
    """Graph's checks on a complete policy body."""
    require(policy, ("displayName", "state", "conditions"), TYPE_NAME)
    if policy["state"] not in STATES:
        raise bad_request(f"Invalid state '{policy['state']}'. Allowed: {', '.join(STATES)}.")
    conditions = policy["conditions"]
    if not isinstance(conditions, dict):
        raise bad_request("'conditions' must be an object.")
    apps = conditions.get("applications") or {}
    users = conditions.get("users") or {}
    if not any(apps.get(k) for k in ("includeApplications", "includeUserActions",
                                      "includeAuthenticationContextClassReferences")):
        raise bad_request("The policy needs an application condition, e.g. "
                          "conditions.applications.includeApplications ['None'].")
    if not any(users.get(k) for k in ("includeUsers", "includeGroups", "includeRoles",
                                       "includeGuestsOrExternalUsers")):
        raise bad_request("The policy needs a user condition, e.g. "
                          "conditions.users.includeUsers ['None'].")
    grant, session = policy.get("grantControls"), policy.get("sessionControls")
    if not grant and not session:
        raise bad_request("The policy needs grantControls or sessionControls.")
    if grant and str(grant.get("operator", "OR")).upper() not in ("OR", "AND"):
        raise bad_request(f"Invalid grantControls operator '{grant.get('operator')}'.")


def merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge a PATCH body into a policy: objects merge, everything else replaces."""
    out = dict(current)
    for key, value in patch.items():
        old = out.get(key)
        out[key] = merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out


def sort_and_skip(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply ``$orderby`` (one property) and ``$skip``, which this API supports."""
    raw = (request.arg("$orderby") or "").strip()
    if raw:
        parts = raw.split()
        name = next((s for s in SORTABLE if s.lower() == parts[0].lower()), None)
        if name is None or len(parts) > 2:
            raise bad_request(f"Unsupported sort specified '{raw}'.")
        descending = len(parts) == 2 and parts[1].lower() == "desc"
        items.sort(key=lambda p: (p.get(name) is None, str(p.get(name) or "").casefold()),
                   reverse=descending)
    skip = request.arg("$skip")
    if skip:
        if not skip.isdigit():
            raise bad_request(f"Invalid value '{skip}' for $skip query option found.")
        items = items[int(skip):]
    return items
