"""``/identity/authenticationEventsFlows``: External ID self-service sign-up user flows.

List (with the documented type-cast ``$filter`` forms), create, get, delete, and the
``$ref`` collections of a flow: attributes collected at sign-up and the identity providers
offered. The rules live in :mod:`..identity.events_flows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..http import Request, Response, empty
from ..identity import events_flows as flows
from ..identity.events_flows import ATTR_CAST, CREATE_CAST, FLOW_CAST, IDP_CAST, START_CAST
from ..identity.state import CIDict, IdentityState
from ..odata import IDENTITY, entity, lenient_spec, page, text_filters
from .base import IdentityFamily, ItemRules, route

if TYPE_CHECKING:
    from ..store import Store

#: A rule adding or removing one reference of a flow (``flows.add_attribute``...).
ReferenceChange = Callable[["Store", dict[str, Any], str], None]
BASE = "/identity/authenticationEventsFlows"
FRAGMENT = "identity/authenticationEventsFlows"
ATTRS = f"{BASE}/{{id}}/{FLOW_CAST}/onAttributeCollection/{ATTR_CAST}/attributes"
LOAD = f"{BASE}/{{id}}/{FLOW_CAST}/onAuthenticationMethodLoadStart/{IDP_CAST}"
ENTITY = f"{FRAGMENT}/$entity"
#: The documented type-cast ``$filter`` forms, each over one of the flow's collections.
COLLECTIONS = {
    f"{FLOW_CAST}/onAuthenticationMethodLoadStart/{IDP_CAST}/identityProviders":
        "identityProviders",
    f"{FLOW_CAST}/onAttributeCollection/{ATTR_CAST}/attributes": "attributes",
    f"{FLOW_CAST}/conditions/applications/includeApplications": "includeApplications",
}
SPEC = lenient_spec(FRAGMENT, "authenticationEventsFlow", IDENTITY, text_filters(
    "authenticationEventsFlow", ("id", "displayName"), COLLECTIONS))
#: The flow's attributes and identity providers (each ``@odata.context`` names its type).
REFS_SPEC = lenient_spec("", "", IDENTITY)


def ref_target(request: Request, collection_name: str) -> str:
    """The key of the object an ``@odata.id`` (body) or ``$id`` (query) reference names."""
    url = request.arg("$id") if request.method == "DELETE" else None
    if url is None:
        body = request.json_object()
        url = body.get("@odata.id")
    if not isinstance(url, str) or not url:
        raise IDENTITY.bad_request("The reference must be given as '@odata.id'.")
    path = unquote(urlsplit(url).path)
    match = re.search(rf"{collection_name}(?:/([^/]+)|\('([^']+)'\))/?$", path, re.IGNORECASE)
    if match is None:
        raise IDENTITY.bad_request(
            f"Invalid '@odata.id' '{url}': expected a URL of {collection_name}."
        )
    return match.group(1) or match.group(2)


class AuthenticationEventsFlows(IdentityFamily):
    """External ID sign-up flows and the attributes and providers they use."""

    kind = "authenticationEventsFlow"
    spec = SPEC
    item_paths = (f"{BASE}/{{id}}",)  # the list is its own (filters see the type casts)
    changes = ItemRules(delete=flows.delete_flow)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.events_flows

    def render(self, item: dict[str, Any], request: Request) -> dict[str, Any]:
        return render_flow(self.store.identity, item, request)

    def _reference(
        self, request: Request, collection: str, param: str, change: ReferenceChange
    ) -> Response:
        """Add or remove the reference a ``$ref`` request names (in its path, its ``$id`` or
        its ``@odata.id``) to an object of ``collection``."""
        flow = self.lookup(request)
        change(self.store, flow, request.params.get(param) or ref_target(request, collection))
        return empty(204)

    def _refs(self, request: Request, type_name: str, items: list[dict[str, Any]]) -> Response:
        fragment = f"Collection(microsoft.graph.{type_name})"
        return page(request, REFS_SPEC, enumerate(items), entity_set=fragment)

    @route("GET", BASE)
    def list_flows(self, request: Request) -> Response:
        state = self.store.identity
        views = [flows.filter_view(flow) for flow in self.items().values()]
        return page(request, SPEC, enumerate(views),
                    shape=lambda view: render_flow(state, view["flow"], request))

    @route("POST", BASE)
    def create_flow(self, request: Request) -> Response:
        flow = flows.create_flow(self.store, request.json_object())
        rendered = render_flow(self.store.identity, flow, request, created=True)
        return entity(request, SPEC, rendered, status=201, context_url=ENTITY)


    # -- the attributes a flow collects --------------------------------------------------------
    @route("GET", ATTRS)
    def list_attributes(self, request: Request) -> Response:
        flow = self.lookup(request)
        if not flow["attributes"]:
            raise self.bad_request("No user flow attributes are assigned to this user flow.")
        collected = flows.collected_attributes(self.store.identity, flow)
        return self._refs(request, "identityUserFlowAttribute", collected)

    @route("POST", f"{ATTRS}/$ref")
    def add_attribute(self, request: Request) -> Response:
        return self._reference(request, "userFlowAttributes", "attrId", flows.add_attribute)

    # OData form: ?$id=<attribute URL>; and the key in the path
    @route("DELETE", f"{ATTRS}/$ref", f"{ATTRS}/{{attrId}}/$ref")
    def remove_attribute(self, request: Request) -> Response:
        return self._reference(request, "userFlowAttributes", "attrId", flows.remove_attribute)

    # -- the identity providers a flow offers ----------------------------------------------------
    @route("GET", f"{LOAD}/identityProviders")
    def list_providers(self, request: Request) -> Response:
        flow = self.lookup(request)
        offered = flows.offered_providers(self.store.identity, flow)
        return self._refs(request, "identityProviderBase", offered)

    @route("POST", f"{LOAD}/identityProviders/$ref")
    def add_provider(self, request: Request) -> Response:
        return self._reference(request, "identityProviders", "idpId", flows.add_provider)

    # The docs' request template omits the identityProviders segment; accept it too.
    @route("DELETE", f"{LOAD}/identityProviders/$ref", f"{LOAD}/identityProviders/{{idpId}}/$ref",
           f"{LOAD}/{{idpId}}/$ref")
    def remove_provider(self, request: Request) -> Response:
        return self._reference(request, "identityProviders", "idpId", flows.remove_provider)


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
        load["identityProviders"] = flows.offered_providers(state, flow)
        collect["attributes"] = flows.collected_attributes(state, flow)
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
