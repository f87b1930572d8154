"""``/policies/b2cAuthenticationMethodsPolicy`` (beta): the tenant's local-account methods.

``PATCH`` requires all three switches, as the docs' request table says; the rules live in
:mod:`..identity.methods_policy`.
"""

from __future__ import annotations

from ..http import Request, Response, empty
from ..identity import methods_policy
from ..odata import IDENTITY, entity, lenient_spec
from .base import BETA, Family, route

PATH = "/policies/b2cAuthenticationMethodsPolicy"
SPEC = lenient_spec("b2cAuthenticationMethodsPolicy", "b2cAuthenticationMethodsPolicy", IDENTITY)


class B2CAuthenticationMethodsPolicy(Family):
    """A singleton of three local-account switches."""

    versions = BETA
    throttle = "identity"
    dialect = IDENTITY

    @route("GET", PATH)
    def get_policy(self, request: Request) -> Response:
        policy = dict(self.store.identity.b2c_auth_methods)
        return entity(request, SPEC, policy, context_url="b2cAuthenticationMethodsPolicy")

    @route("PATCH", PATH)
    def update_policy(self, request: Request) -> Response:
        methods_policy.update_policy(self.store, request.json_object())
        return empty(204)
