"""``/identity/b2cUserFlows`` (beta): list, create, get and delete B2C user flows.

The service prepends ``B2C_1_`` to the id given on create. ``$expand=identityProviders``
returns the flow's providers in the legacy ``identityProvider`` shape the docs show; the
rules live in :mod:`..identity.b2c_flows`.
"""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from ..identity import b2c_flows
from ..identity.rules import refuse_unknown
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec, page
from .base import BETA, IdentityFamily, ItemRules, route

BASE = "/identity/b2cUserFlows"
ENTITY = "identity/b2cUserFlows/$entity"
SPEC = lenient_spec("identity/b2cUserFlows", "b2cIdentityUserFlow", IDENTITY)


def parse_expand(request: Request) -> set[str]:
    """The ``$expand`` targets (providers, in both shapes, and attribute assignments)."""
    raw = request.arg("$expand") or ""
    wanted = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = wanted - b2c_flows.EXPANDABLE
    if unknown:
        raise IDENTITY.bad_request(
            f"Could not find a property named '{sorted(unknown)[0]}' on type "
            "'microsoft.graph.b2cIdentityUserFlow'."
        )
    return wanted


class B2CUserFlows(IdentityFamily):
    """The tenant's B2C user flows."""

    versions = BETA
    kind = "user flow"
    item_paths = (f"{BASE}/{{id}}",)
    changes = ItemRules(delete=b2c_flows.delete_flow)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.b2c_user_flows

    @route("GET", BASE)
    def list_flows(self, request: Request) -> Response:
        expand = parse_expand(request)
        state = self.store.identity
        flows = [b2c_flows.render(state, flow, expand) for flow in self.items().values()]
        return page(request, SPEC, enumerate(flows))

    @route("GET", f"{BASE}/{{id}}")
    def get_flow(self, request: Request) -> Response:
        flow = self.lookup(request)
        rendered = b2c_flows.render(self.store.identity, flow, parse_expand(request))
        return entity(request, SPEC, rendered, context_url=ENTITY)

    @route("POST", BASE)
    def create_flow(self, request: Request) -> Response:
        body = request.json_object()
        refuse_unknown(body, b2c_flows.CREATABLE, "microsoft.graph.b2cIdentityUserFlow")
        flow = b2c_flows.create_flow(self.store, body)
        out = b2c_flows.render(self.store.identity, flow, set())
        if "apiConnectorConfiguration" in body:
            out["apiConnectorConfiguration"] = {}  # always {} here; read it via its own API
        location = f"{request.service_root}/identity/b2cUserFlows/{flow['id']}"
        return entity(request, SPEC, out, status=201, context_url=ENTITY,
                      headers={"Location": location})
