"""B2C user flows (the built-in policies ``B2C_1_...``): list, get, create, delete.

Endpoints: ``/identity/b2cUserFlows`` — **beta only**. A flow is created with its bare name
(``Customer``) and the service prepends ``B2C_1_``; get and delete take the full id
(``B2C_1_Customer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from ..paging import PageIterator
from ..validation import validate_user_flow
from ._query import QueryArg
from .base import ResourceAPI, mutating, seg

PATH = "/identity/b2cUserFlows"
VERSION = "beta"


def _expand(expand: str | Iterable[str] | None) -> dict[str, str]:
    joined = expand if isinstance(expand, str) else ",".join(expand or ())
    return {"$expand": joined} if joined else {}


def check_user_flow_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The create body with its required part checked and normalised: the bare name (a
    ``B2C_1_`` prefix is dropped, the service adds it), a known ``userFlowType`` in Graph's
    spelling and a version that type has."""
    # Validation copes with missing or mistyped values; the casts only quiet the type checker.
    required = validate_user_flow(
        cast(str, body.get("id")), cast(str, body.get("userFlowType")),
        cast(float, body.get("userFlowTypeVersion")))
    return {**body, **required}


class B2CUserFlowsAPI(ResourceAPI):
    """``/identity/b2cUserFlows`` (beta)."""

    api_version = VERSION

    def list(self, query: QueryArg = None, *, expand: str | Iterable[str] | None = None,
             prefetch: bool = True) -> PageIterator:
        """``GET /identity/b2cUserFlows`` (beta); ``expand="identityProviders"`` adds each
        flow's providers."""
        return self._list(PATH, query, prefetch=prefetch, extra=_expand(expand))

    async def get(
        self, flow_id: str, *, expand: str | Iterable[str] | None = None
    ) -> dict[str, Any]:
        """``GET /identity/b2cUserFlows/{id}`` (beta), ``flow_id`` like ``B2C_1_CustomerSignUp``."""
        return await self._get(f"{PATH}/{seg(flow_id)}", params=_expand(expand))

    @mutating
    async def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /identity/b2cUserFlows`` (beta). ``body`` needs ``id`` (the bare name),
        ``userFlowType`` (signUp, signIn, signUpOrSignIn, passwordReset, profileUpdate,
        resourceOwner) and ``userFlowTypeVersion``; returns the flow with its ``B2C_1_`` id."""
        payload = check_user_flow_body(body)
        return await self._send("POST", PATH, payload)

    @mutating
    async def delete(self, flow_id: str) -> None:
        """``DELETE /identity/b2cUserFlows/{id}`` (beta, 204)."""
        await self._core.request("DELETE", f"{PATH}/{seg(flow_id)}", version=VERSION)
