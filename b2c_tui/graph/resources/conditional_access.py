"""Conditional Access: policies and the templates they can start from.

Endpoints (v1.0): ``/identity/conditionalAccess/policies`` and ``.../templates``. Needs Entra
ID P1 (B2C premium tier). Graph throttles these at one request per second per tenant and
answers 429 *without* Retry-After; the core backs off exponentially in that case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ValidationError
from ..paging import PageIterator
from ..query import format_literal
from ._query import QueryArg
from .base import ResourceAPI, mutating, seg

POLICIES = "/identity/conditionalAccess/policies"
TEMPLATES = "/identity/conditionalAccess/templates"
STATES = ("enabled", "disabled", "enabledForReportingButNotEnforced")


def _check_state(state: Any) -> None:
    if state not in STATES:
        raise ValidationError(
            f"state must be one of {', '.join(STATES)} (report-only is "
            "enabledForReportingButNotEnforced).", field="state")


def check_policy_body(body: Mapping[str, Any]) -> None:
    """A new policy needs a displayName, a state, conditions with applications and users, and
    grant or session controls."""
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("A policy needs a displayName.", field="displayName")
    _check_state(body.get("state"))
    conditions = body.get("conditions")
    if not isinstance(conditions, Mapping):
        raise ValidationError("A policy needs conditions.", field="conditions")
    for part in ("applications", "users"):
        if not isinstance(conditions.get(part), Mapping):
            raise ValidationError(f"A policy's conditions need {part}.", field=part)
    if not body.get("grantControls") and not body.get("sessionControls"):
        raise ValidationError(
            "A policy needs grantControls or sessionControls.", field="grantControls")


class ConditionalAccessAPI(ResourceAPI):
    """``/identity/conditionalAccess/{policies,templates}``."""

    def list_policies(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
                      top: int | None = None, prefetch: bool = True) -> PageIterator:
        """``GET /identity/conditionalAccess/policies``."""
        return self._list(POLICIES, query, select=select, top=top, prefetch=prefetch)

    async def get_policy(
        self, policy_id: str, *, select: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """``GET /identity/conditionalAccess/policies/{id}``."""
        return await self._get(f"{POLICIES}/{seg(policy_id)}", select=select)

    @mutating
    async def create_policy(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /identity/conditionalAccess/policies``; returns the created policy (omitted
        collections come back as ``[]``, omitted objects as ``null``)."""
        check_policy_body(body)
        return await self._send("POST", POLICIES, dict(body))

    @mutating
    async def update_policy(self, policy_id: str, patch: Mapping[str, Any]) -> None:
        """``PATCH /identity/conditionalAccess/policies/{id}`` (204) with only the changed
        properties (nested objects such as ``conditions`` may be partial)."""
        if not patch:
            raise ValidationError("Nothing to update.")
        if "state" in patch:
            _check_state(patch["state"])
        await self._core.send_json("PATCH", f"{POLICIES}/{seg(policy_id)}", dict(patch))

    @mutating
    async def delete_policy(self, policy_id: str) -> None:
        """``DELETE /identity/conditionalAccess/policies/{id}`` (204; a hard delete, no
        restore)."""
        await self._core.request("DELETE", f"{POLICIES}/{seg(policy_id)}")

    def list_templates(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
                       scenario: str | None = None, prefetch: bool = True) -> PageIterator:
        """``GET /identity/conditionalAccess/templates``; ``scenario`` keeps the templates
        whose ``scenarios`` flags include it (``secureFoundation``, ``zeroTrust``...)."""
        extra = {"$filter": f"scenarios has {format_literal(scenario)}"} if scenario else None
        return self._list(TEMPLATES, query, select=select, prefetch=prefetch, extra=extra)
