"""What a user flow holds, changed piece by piece (the rules: :mod:`..identity.flow_parts`).

* ``/identity/b2cUserFlows/{id}/userFlowIdentityProviders`` (beta): list, ``$ref`` add and
  remove;
* ``/identity/b2cUserFlows/{id}/userAttributeAssignments`` (beta): list, create, get, update,
  delete, ``getOrder`` and ``setOrder``;
* ``/identity/authenticationEventsFlows/{id}/conditions/applications/includeApplications``:
  list, add (an ``appId``) and remove by ``$ref``.
"""

from __future__ import annotations

from typing import Any

from ..http import Request, Response, empty, json_response
from ..identity import flow_parts
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec, page
from .base import BETA, IdentityFamily, route

FLOW = "/identity/b2cUserFlows/{id}"
PROVIDERS = f"{FLOW}/userFlowIdentityProviders"
ASSIGNMENTS = f"{FLOW}/userAttributeAssignments"
EVENTS_FLOW = "/identity/authenticationEventsFlows/{id}"
APPLICATIONS = f"{EVENTS_FLOW}/conditions/applications/includeApplications"
PARTS_SPEC = lenient_spec("", "", IDENTITY)
ASSIGNMENT_SPEC = lenient_spec("identity/b2cUserFlows", "identityUserFlowAttributeAssignment",
                               IDENTITY)
ASSIGNMENT_ENTITY = "identity/b2cUserFlows/userAttributeAssignments/$entity"
CONDITION_APP = "authenticationConditionApplication"


def _reference_id(request: Request, collection: str) -> str:
    """The key an ``@odata.id`` names (``.../identityProviders/{key}``)."""
    url = request.json_object().get("@odata.id")
    tail = url.rstrip("/").rsplit("/", 1) if isinstance(url, str) else []
    if len(tail) != 2 or not tail[0].lower().endswith(collection.lower()):
        raise IDENTITY.bad_request(
            f"Invalid '@odata.id' '{url}': expected a URL of {collection}.")
    return tail[1].strip("()'")


def _parts(request: Request, type_name: str, items: list[dict[str, Any]]) -> Response:
    """A page of a flow's parts, its context naming the collection of ``type_name``."""
    return page(request, PARTS_SPEC, enumerate(items),
                entity_set=f"Collection(microsoft.graph.{type_name})")


class B2CUserFlowParts(IdentityFamily):
    """A B2C user flow's identity providers and attribute assignments."""

    versions = BETA
    kind = "user flow"

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.b2c_user_flows

    # -- identity providers ---------------------------------------------------------------
    @route("GET", PROVIDERS)
    def list_providers(self, request: Request) -> Response:
        offered = flow_parts.offered(self.store, self.lookup(request))
        return _parts(request, "identityProviderBase", offered)

    @route("POST", f"{PROVIDERS}/$ref")
    def add_provider(self, request: Request) -> Response:
        flow = self.lookup(request)
        flow_parts.add_provider(self.store, flow, _reference_id(request, "identityProviders"))
        return empty(204)

    @route("DELETE", f"{PROVIDERS}/{{idpId}}/$ref")
    def remove_provider(self, request: Request) -> Response:
        flow_parts.remove_provider(self.store, self.lookup(request), request.params["idpId"])
        return empty(204)

    # -- attribute assignments ------------------------------------------------------------
    @route("GET", ASSIGNMENTS)
    def list_assignments(self, request: Request) -> Response:
        found = flow_parts.assignments(self.store, self.lookup(request))
        return _parts(request, "identityUserFlowAttributeAssignment", found)

    @route("POST", ASSIGNMENTS)
    def add_assignment(self, request: Request) -> Response:
        created = flow_parts.add_assignment(self.store, self.lookup(request),
                                            request.json_object())
        return entity(request, ASSIGNMENT_SPEC, created, status=201, context_url=ASSIGNMENT_ENTITY)

    @route("GET", f"{ASSIGNMENTS}/getOrder")
    def get_order(self, request: Request) -> Response:
        order = flow_parts.order(self.store, self.lookup(request))
        return json_response(200, {
            "@odata.context": request.context_url("microsoft.graph.assignmentOrder"),
            "order": order})

    @route("POST", f"{ASSIGNMENTS}/setOrder")
    def set_order(self, request: Request) -> Response:
        flow_parts.set_order(self.store, self.lookup(request), request.json_object())
        return empty(204)

    @route("GET", f"{ASSIGNMENTS}/{{assignmentId}}")
    def get_assignment(self, request: Request) -> Response:
        found = flow_parts.find_assignment(self.store, self.lookup(request),
                                           request.params["assignmentId"])
        return entity(request, ASSIGNMENT_SPEC, found, context_url=ASSIGNMENT_ENTITY)

    @route("PATCH", f"{ASSIGNMENTS}/{{assignmentId}}")
    def update_assignment(self, request: Request) -> Response:
        flow_parts.update_assignment(self.store, self.lookup(request),
                                     request.params["assignmentId"], request.json_object())
        return empty(204)

    @route("DELETE", f"{ASSIGNMENTS}/{{assignmentId}}")
    def remove_assignment(self, request: Request) -> Response:
        flow_parts.remove_assignment(self.store, self.lookup(request),
                                     request.params["assignmentId"])
        return empty(204)


class EventsFlowApplications(IdentityFamily):
    """The applications an External ID sign-up flow applies to."""

    kind = "authenticationEventsFlow"

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.events_flows

    @route("GET", APPLICATIONS)
    def list_applications(self, request: Request) -> Response:
        return _parts(request, CONDITION_APP, flow_parts.applications(self.lookup(request)))

    @route("POST", APPLICATIONS)
    def add_application(self, request: Request) -> Response:
        added = flow_parts.add_application(self.store, self.lookup(request),
                                           request.json_object())
        return entity(request, PARTS_SPEC, added, status=201,
                      context_url=f"microsoft.graph.{CONDITION_APP}")

    @route("DELETE", f"{APPLICATIONS}/{{appId}}/$ref")
    def remove_application(self, request: Request) -> Response:
        flow_parts.remove_application(self.store, self.lookup(request), request.params["appId"])
        return empty(204)
