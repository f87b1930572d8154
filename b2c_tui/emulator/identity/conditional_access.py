"""Conditional access policies: what Graph checks in a policy, how a PATCH merges into one and
how a policy reads back (omitted collections as ``[]``, objects as null)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .rules import audit, bad, refuse_unknown, require, without_annotations

if TYPE_CHECKING:
    from ..store import Store

STATES = ("enabled", "disabled", "enabledForReportingButNotEnforced")
WRITABLE = ("displayName", "state", "conditions", "grantControls", "sessionControls",
            "templateId")
READ_ONLY = ("id", "createdDateTime", "modifiedDateTime")
SORTABLE = ("displayName", "createdDateTime", "modifiedDateTime", "state")
TYPE_NAME = "microsoft.graph.conditionalAccessPolicy"
#: Changes are audited by the "Conditional Access" service, as Entra ID does.
SERVICE = "Conditional Access"


def create_policy(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body, add the policy and audit it."""
    state = store.identity
    fields = without_annotations(body)
    refuse_unknown(fields, WRITABLE, TYPE_NAME)
    validate(fields)
    policy = normalise_ca_policy(fields)
    policy["id"] = state.new_guid()
    policy["createdDateTime"] = store.now_iso()
    state.ca_policies.set(policy["id"], policy)
    audit(store, "Add conditional access policy", "Policy", policy["id"],
          policy["displayName"], "Policy", service=SERVICE)
    return policy


def update_policy(store: Store, policy: dict[str, Any], body: dict[str, Any]) -> None:
    """Merge a PATCH body into the policy (read-only properties may only repeat their value)."""
    changes = without_annotations(body)
    for name in READ_ONLY:
        if name in changes and changes[name] != policy.get(name):
            raise bad(f"Property '{name}' is read-only.")
        changes.pop(name, None)
    refuse_unknown(changes, WRITABLE, TYPE_NAME)
    merged = merge(policy, changes)
    validate(merged)
    updated = normalise_ca_policy(merged)
    modified = {k: (policy.get(k), updated.get(k)) for k in changes}
    updated["modifiedDateTime"] = store.now_iso()
    policy.clear()
    policy.update(updated)
    audit(store, "Update conditional access policy", "Policy", policy["id"],
          policy["displayName"], "Policy", modified=modified, service=SERVICE)


def delete_policy(store: Store, policy: dict[str, Any]) -> None:
    """Delete a policy and audit it."""
    store.identity.ca_policies.pop(policy["id"])
    audit(store, "Delete conditional access policy", "Policy", policy["id"],
          policy["displayName"], "Policy", service=SERVICE)


def sort_and_skip(
    items: list[dict[str, Any]], orderby: str | None, skip: str | None
) -> list[dict[str, Any]]:
    """Apply ``$orderby`` (one property) and ``$skip``, which this API supports."""
    raw = (orderby or "").strip()
    if raw:
        parts = raw.split()
        name = next((s for s in SORTABLE if s.lower() == parts[0].lower()), None)
        if name is None or len(parts) > 2:
            raise bad(f"Unsupported sort specified '{raw}'.")
        descending = len(parts) == 2 and parts[1].lower() == "desc"
        items.sort(key=lambda p: (p.get(name) is None, str(p.get(name) or "").casefold()),
                   reverse=descending)
    if skip:
        if not skip.isdigit():
            raise bad(f"Invalid value '{skip}' for $skip query option found.")
        items = items[int(skip):]
    return items


def validate(policy: dict[str, Any]) -> None:
    """Graph's checks on a complete policy body."""
    require(policy, ("displayName", "state", "conditions"), TYPE_NAME)
    if policy["state"] not in STATES:
        raise bad(f"Invalid state '{policy['state']}'. Allowed: {', '.join(STATES)}.")
    conditions = policy["conditions"]
    if not isinstance(conditions, dict):
        raise bad("'conditions' must be an object.")
    apps = conditions.get("applications") or {}
    users = conditions.get("users") or {}
    if not any(apps.get(k) for k in ("includeApplications", "includeUserActions",
                                      "includeAuthenticationContextClassReferences")):
        raise bad("The policy needs an application condition, e.g. "
                          "conditions.applications.includeApplications ['None'].")
    if not any(users.get(k) for k in ("includeUsers", "includeGroups", "includeRoles",
                                       "includeGuestsOrExternalUsers")):
        raise bad("The policy needs a user condition, e.g. "
                          "conditions.users.includeUsers ['None'].")
    grant, session = policy.get("grantControls"), policy.get("sessionControls")
    if not grant and not session:
        raise bad("The policy needs grantControls or sessionControls.")
    if grant and str(grant.get("operator", "OR")).upper() not in ("OR", "AND"):
        raise bad(f"Invalid grantControls operator '{grant.get('operator')}'.")


def merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge a PATCH body into a policy: objects merge, everything else replaces."""
    out = dict(current)
    for key, value in patch.items():
        old = out.get(key)
        out[key] = merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return out



def normalise_ca_policy(body: dict[str, Any]) -> dict[str, Any]:
    """A conditionalAccessPolicy as Graph returns it: omitted collections [] and objects null."""
    conditions = dict(body.get("conditions") or {})
    apps = conditions.get("applications") or {}
    users = conditions.get("users") or {}
    out_conditions = {
        "userRiskLevels": [], "signInRiskLevels": [], "clientAppTypes": ["all"],
        "servicePrincipalRiskLevels": [], "platforms": None, "locations": None,
        "times": None, "devices": None, "clientApplications": None,
    } | {k: v for k, v in conditions.items() if k not in ("applications", "users")}
    out_conditions["applications"] = {
        "includeApplications": [], "excludeApplications": [], "includeUserActions": [],
        "includeAuthenticationContextClassReferences": [], "applicationFilter": None,
    } | apps
    out_conditions["users"] = {
        "includeUsers": [], "excludeUsers": [], "includeGroups": [], "excludeGroups": [],
        "includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": None,
        "excludeGuestsOrExternalUsers": None,
    } | users
    grant = body.get("grantControls")
    if grant is not None:
        grant = {"operator": "OR", "builtInControls": [], "customAuthenticationFactors": [],
                 "termsOfUse": [], "authenticationStrength": None} | grant
    return {
        "id": body.get("id"),
        "templateId": body.get("templateId"),
        "displayName": body.get("displayName"),
        "createdDateTime": body.get("createdDateTime"),
        "modifiedDateTime": body.get("modifiedDateTime"),
        "state": body.get("state"),
        "sessionControls": body.get("sessionControls"),
        "conditions": out_conditions,
        "grantControls": grant,
    }
