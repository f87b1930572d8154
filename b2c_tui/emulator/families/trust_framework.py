"""``/trustFramework/policies`` (beta): custom policies (Identity Experience Framework XML).

List (ids only), upload (POST, XML in and out), read and replace the XML at ``/$value``
(PUT answers 200 when the policy existed, 201 when it was created) and delete. What B2C
accepts is in :mod:`..identity.policies`.
"""

from __future__ import annotations

from ..http import Request, Response, xml_response
from ..identity import policies
from ..identity.policies import Upload
from ..identity.state import CIDict, StoredPolicy
from ..odata import IDENTITY, entity, lenient_spec, page
from .base import BETA, IdentityFamily, ItemRules, route

BASE = "/trustFramework/policies"
SPEC = lenient_spec("trustFramework/policies", "trustFrameworkPolicy", IDENTITY)


def _upload(request: Request) -> Upload:
    return Upload(request.header("content-type") or "", request.body)


class TrustFrameworkPolicies(IdentityFamily):
    """The tenant's custom policies (they count against the identity services' budget)."""

    versions = BETA
    kind = "policy"
    item_paths = (f"{BASE}/{{id}}",)
    changes = ItemRules(delete=policies.delete_policy)

    def items(self) -> CIDict[StoredPolicy]:
        return self.store.identity.policies

    @route("GET", BASE)
    def list_policies(self, request: Request) -> Response:
        return page(request, SPEC, enumerate({"id": p.id} for p in self.items().values()))

    @route("GET", f"{BASE}/{{id}}")
    def get_policy(self, request: Request) -> Response:
        found = {"id": self.lookup(request).id}
        return entity(request, SPEC, found, context_url="trustFramework/policies/$entity")

    @route("GET", f"{BASE}/{{id}}/$value")
    def get_value(self, request: Request) -> Response:
        return xml_response(200, self.lookup(request).xml)

    @route("POST", BASE)
    def create_policy(self, request: Request) -> Response:
        policy = policies.create_policy(self.store, _upload(request))
        return xml_response(201, policy.xml, {"Location": f"/trustFramework/policies/{policy.id}/"})

    @route("PUT", f"{BASE}/{{id}}/$value")
    def put_value(self, request: Request) -> Response:
        stored, existed = policies.put_policy(self.store, _upload(request), request.params["id"])
        if existed:
            return xml_response(200, stored.xml)
        return xml_response(201, stored.xml, {"Location": f"/trustFramework/policies/{stored.id}/"})
