"""``/trustFramework/policies`` (beta): custom policies (Identity Experience Framework XML).

List (ids only), upload (POST, XML in and out), read and replace the XML at ``/$value``
(PUT answers 200 when the policy existed, 201 when it was created) and delete. What B2C
accepts is in :mod:`..identity.policies`.
"""

from __future__ import annotations

from typing import Any

from ..http import Request, Response, xml_response
from ..identity import policies
from ..identity.policies import Upload
from ..identity.state import CIDict, StoredPolicy
from ..odata import IDENTITY, lenient_spec
from .base import BETA, IdentityFamily, ItemRules, route

BASE = "/trustFramework/policies"
SPEC = lenient_spec("trustFramework/policies", "trustFrameworkPolicy", IDENTITY)


def _upload(request: Request) -> Upload:
    return Upload(request.header("content-type") or "", request.body)


class TrustFrameworkPolicies(IdentityFamily):
    """The tenant's custom policies (they count against the identity services' budget)."""

    versions = BETA
    kind = "policy"
    base = BASE
    spec = SPEC
    changes = ItemRules(delete=policies.delete_policy)

    def items(self) -> CIDict[StoredPolicy]:
        return self.store.identity.policies

    def render(self, item: StoredPolicy, request: Request) -> dict[str, Any]:
        return {"id": item.id}  # the XML is read at /$value

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
