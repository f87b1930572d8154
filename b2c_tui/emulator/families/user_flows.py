"""``/identity/b2cUserFlows`` (beta): list, create, get and delete B2C user flows.

The service prepends ``B2C_1_`` to the id given on create. ``$expand=identityProviders``
returns the flow's providers in the legacy ``identityProvider`` shape the docs show; the
rules live in :mod:`..identity.b2c_flows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..http import Request, Response
from ..identity import b2c_flows
from ..identity.rules import refuse_unknown
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec
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
    base = BASE
    spec = SPEC
    changes = ItemRules(delete=b2c_flows.delete_flow)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.b2c_user_flows

    def render(self, item: dict[str, Any], request: Request) -> dict[str, Any]:
        return b2c_flows.render(self.store.identity, item, parse_expand(request))

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        expand = parse_expand(request)  # refused even when there is no flow to expand
        state = self.store.identity
        return enumerate([b2c_flows.render(state, flow, expand) for flow in self.items().values()])

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
