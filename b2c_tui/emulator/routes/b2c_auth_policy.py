"""``/policies/b2cAuthenticationMethodsPolicy`` (beta): the tenant's local-account methods.

A singleton with three switches (email+password, username, phone one-time passcode) consumed
by B2C user flows. ``PATCH`` requires all three, as the docs' request table says.
"""

from __future__ import annotations

import logging
from typing import Any

from ..http import Request, Response, empty
from ..identity_http import BETA, FAMILY_IDENTITY, audit, bad_request, entity, refuse_unknown
from ..identity_seed import state_for

log = logging.getLogger(__name__)

PATH = "/policies/b2cAuthenticationMethodsPolicy"
SWITCHES = (
    "isEmailPasswordAuthenticationEnabled",
    "isUserNameAuthenticationEnabled",
    "isPhoneOneTimePasswordAuthenticationEnabled",
)


def register(router: Any, store: Any) -> None:
    """Register the B2C authentication methods policy routes on ``router``."""
    state = state_for(store)

    def get_policy(request: Request) -> Response:
        return entity(request, dict(state.b2c_auth_methods), "b2cAuthenticationMethodsPolicy")

    def update_policy(request: Request) -> Response:
        body = request.json_object()
        changes = {k: v for k, v in body.items() if "@" not in k and k != "id"}
        refuse_unknown(changes, SWITCHES, "microsoft.graph.b2cAuthenticationMethodsPolicy")
        missing = [name for name in SWITCHES if name not in changes]
        if missing:
            raise bad_request("The following properties are required: " + ", ".join(missing) + ".")
        for name, value in changes.items():
            if not isinstance(value, bool):
                raise bad_request(f"Property '{name}' must be a boolean, got {value!r}.")
        policy = state.b2c_auth_methods
        modified = {k: (policy.get(k), v) for k, v in changes.items() if policy.get(k) != v}
        policy.update(changes)
        audit(store, "Update B2C authentication methods policy", "PolicyManagement",
              policy["id"], "B2C authentication methods policy",
              "B2CAuthenticationMethodsPolicy", modified=modified)
        return empty(204)

    router.add("GET", PATH, get_policy, versions=BETA, family=FAMILY_IDENTITY)
    router.add("PATCH", PATH, update_policy, versions=BETA, family=FAMILY_IDENTITY)
