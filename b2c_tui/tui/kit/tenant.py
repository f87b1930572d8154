"""Which kind of tenant is open, and whether a resource exists in it.

Some resources exist in one kind of tenant only: B2C user flows and the B2C authentication
methods policy in Azure AD B2C, ``authenticationEventsFlows`` in Entra External ID. The kind is
the organization's ``tenantType`` (``AAD B2C``, ``CIAM``, ``AAD``), read once per open tenant
(``GET /organization?$select=id,tenantType``) and kept on the :class:`~..context.AppContext`.
It is not a profile setting: a profile names a tenant, and the tenant says what it is. When the
organization cannot be read (no ``Organization.Read.All``, a network error), the kind is
unknown and the pane asks Graph anyway: Graph's own answer (an error, or the list) is shown.

A description says ``applies=only_in(B2C, reason)``: the kit asks before listing, and a
reason replaces the list (and its write keys) with one plain sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from ...graph.errors import B2CTuiError
from ...graph.resources.organization import B2C_TENANT, EXTERNAL_ID_TENANT, WORKFORCE_TENANT
from ..context import AppContext

log = logging.getLogger(__name__)

B2C = B2C_TENANT
EXTERNAL_ID = EXTERNAL_ID_TENANT
WORKFORCE = WORKFORCE_TENANT
#: How each kind is called in sentences.
NAMES = {B2C: "an Azure AD B2C tenant", EXTERNAL_ID: "an Entra External ID tenant",
         WORKFORCE: "a workforce (Entra ID) tenant"}


async def tenant_type(context: AppContext) -> str | None:
    """The open tenant's ``tenantType`` (read once); ``None`` when Graph does not say."""
    if context.tenant_type is None:
        try:
            context.tenant_type = await context.client.organization.tenant_type() or ""
        except B2CTuiError as exc:
            # Unknown, not fatal: the pane asks Graph for the resource itself.
            log.info("tenant type unknown: %s", type(exc).__name__)
            return None
    return context.tenant_type or None


def only_in(*kinds: str, reason: str) -> Callable[[AppContext], Awaitable[str | None]]:
    """An ``applies`` check: the resource exists only in tenants of ``kinds``. ``reason`` may
    name the open tenant's kind as ``{tenant}`` ("This is {tenant}: ...")."""

    async def applies(context: AppContext) -> str | None:
        kind = await tenant_type(context)
        if kind is None or kind in kinds:
            return None
        return reason.format(tenant=NAMES.get(kind, f"a {kind} tenant"))

    return applies
