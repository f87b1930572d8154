"""``/identity/conditionalAccess``: policies (list, create, get, update, delete) and templates.

Conditional Access is throttled at 1 request per second per tenant and its 429 carries no
``Retry-After`` (the ``conditional_access`` throttle family). It takes ``$orderby`` and
``$skip`` and B2C's own ``$filter`` operators; the rules live in
:mod:`..identity.conditional_access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..http import Request, Response
from ..identity import conditional_access as rules
from ..identity.state import CIDict
from ..odata import IDENTITY, FilterSpec, entity, lenient_spec, page, prop, text_filters
from .base import IdentityFamily, ItemRules, route

BASE = "/identity/conditionalAccess"
FRAGMENT = "conditionalAccess/policies"
TEMPLATES = "identity/conditionalAccess/templates"
#: The conditional access service: the identity services' answers, B2C's filter operators.
CONDITIONAL_ACCESS = replace(IDENTITY, name="conditional access", extra_operators=frozenset())
POLICY_FILTERS = FilterSpec("conditionalAccessPolicy", {
    "id": prop("id", "eq in"),
    "displayname": prop("displayName", "eq in startswith"),
    "state": prop("state", "eq in"),
    "templateid": prop("templateId", "eq in"),
    "createddatetime": prop("createdDateTime", "eq ge le gt lt", "datetime"),
    "modifieddatetime": prop("modifiedDateTime", "eq ge le gt lt", "datetime"),
})
POLICIES_SPEC = lenient_spec(FRAGMENT, "conditionalAccessPolicy", CONDITIONAL_ACCESS,
                             POLICY_FILTERS)
TEMPLATES_SPEC = lenient_spec(TEMPLATES, "conditionalAccessTemplate", IDENTITY, text_filters(
    "conditionalAccessTemplate", ("id", "name", "scenarios")))


class ConditionalAccess(IdentityFamily):
    """Conditional access policies and Microsoft's policy templates."""

    throttle = "conditional_access"
    dialect = CONDITIONAL_ACCESS
    kind = "conditionalAccessPolicy"
    base = f"{BASE}/policies"
    spec = POLICIES_SPEC
    changes = ItemRules(update=rules.update_policy, delete=rules.delete_policy)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.ca_policies

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        policies = list(self.items().values())
        return enumerate(rules.sort_and_skip(policies, request.arg("$orderby"),
                                             request.arg("$skip")))

    @route("POST", f"{BASE}/policies")
    def create_policy(self, request: Request) -> Response:
        policy = rules.create_policy(self.store, request.json_object())
        return entity(request, POLICIES_SPEC, policy, status=201,
                      context_url=f"{FRAGMENT}/$entity")

    @route("GET", f"{BASE}/templates")
    def list_templates(self, request: Request) -> Response:
        return page(request, TEMPLATES_SPEC, enumerate(self.store.identity.ca_templates))

    @route("GET", f"{BASE}/templates/{{id}}")
    def get_template(self, request: Request) -> Response:
        key = request.params["id"].lower()
        template = next((t for t in self.store.identity.ca_templates if t["id"] == key), None)
        if template is None:
            raise self.not_found(request.params["id"], "conditionalAccessTemplate")
        return entity(request, TEMPLATES_SPEC, template, context_url=f"{TEMPLATES}/$entity")
