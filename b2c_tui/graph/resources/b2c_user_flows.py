"""B2C user flows (the built-in policies ``B2C_1_...``): list, get, create, delete, and what a
flow holds: the identity providers it offers and the user attributes it collects.

Endpoints: ``/identity/b2cUserFlows`` — **beta only**. A flow is created with its bare name
(``Customer``) and the service prepends ``B2C_1_``; get and delete take the full id
(``B2C_1_Customer``). Under one flow: ``userFlowIdentityProviders`` (linked and unlinked by
reference, ``$ref``), and ``userAttributeAssignments`` (created, changed and deleted as objects,
ordered with ``setOrder``; an assignment's id is its attribute's id).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any, cast

from ..errors import ValidationError
from ..paging import PageIterator
from ..validation import validate_user_flow
from ._query import QueryArg
from .base import ResourceAPI, mutating, seg

PATH = "/identity/b2cUserFlows"
VERSION = "beta"
PROVIDERS = "userFlowIdentityProviders"
ASSIGNMENTS = "userAttributeAssignments"
#: ``identityUserFlowAttributeInputType``: how a user flow asks for an attribute.
USER_INPUT_TYPES = ("textBox", "dateTimeDropdown", "radioSingleSelect", "dropdownSingleSelect",
                    "emailBox", "checkboxMultiSelect")
#: Input types that offer choices: they need ``userAttributeValues``.
CHOICE_INPUT_TYPES = frozenset({"radioSingleSelect", "dropdownSingleSelect",
                                "checkboxMultiSelect"})
#: What a PATCH of an assignment may change (the attribute itself is fixed).
ASSIGNMENT_PATCHABLE = ("displayName", "isOptional", "requiresVerification", "userInputType",
                        "userAttributeValues")


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


def input_type(value: Any) -> str:
    """A ``userInputType`` in Graph's spelling (``textbox`` -> ``textBox``), or refused."""
    for known in USER_INPUT_TYPES:
        if isinstance(value, str) and value.strip().lower() == known.lower():
            return known
    raise ValidationError(f"{value!r} is not a user input type; use one of "
                          f"{', '.join(USER_INPUT_TYPES)}.", field="userInputType")


def check_assignment(body: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
    """An attribute assignment body (create) or patch checked before it is sent: a known
    ``userInputType`` in Graph's spelling, choices (``userAttributeValues``) exactly when the
    input type offers them, booleans where Graph wants them, and, on create, the attribute."""
    out = dict(body)
    if create:
        attribute = out.get("userAttribute")
        if not isinstance(attribute, Mapping) or not str(attribute.get("id") or "").strip():
            raise ValidationError("Choose the attribute to collect.", field="userAttribute")
        out.setdefault("userInputType", "textBox")
        out.setdefault("isOptional", True)
        out.setdefault("requiresVerification", False)
        out.setdefault("userAttributeValues", [])
    else:
        unknown = [k for k in out if k not in ASSIGNMENT_PATCHABLE]
        if unknown:
            raise ValidationError(f"{unknown[0]} cannot be changed on an attribute assignment.",
                                  field=unknown[0])
        if not out:
            raise ValidationError("Nothing to update.")
    for name in ("isOptional", "requiresVerification"):
        if name in out and not isinstance(out[name], bool):
            raise ValidationError(f"{name} must be true or false.", field=name)
    if "userInputType" in out:
        out["userInputType"] = input_type(out["userInputType"])
        values = out.get("userAttributeValues") or []
        if out["userInputType"] in CHOICE_INPUT_TYPES and not values and (
                create or "userAttributeValues" in out):
            raise ValidationError(
                f"A {out['userInputType']} input needs its choices (userAttributeValues).",
                field="userAttributeValues")
    return out


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

    # -- identity providers the flow offers ------------------------------------------------
    def list_identity_providers(self, flow_id: str) -> PageIterator:
        """``GET /identity/b2cUserFlows/{id}/userFlowIdentityProviders`` (beta)."""
        path = f"{PATH}/{seg(flow_id)}/{PROVIDERS}"
        return self._core.pages(path, version=VERSION, prefetch=False)

    @mutating
    async def add_identity_provider(self, flow_id: str, provider_id: str) -> None:
        """``POST .../userFlowIdentityProviders/$ref`` (beta, 204) with the ``@odata.id`` of
        ``/identity/identityProviders/{provider_id}``; the provider must exist in the tenant."""
        ref = self._core.url(f"/identity/identityProviders/{seg(provider_id)}", version=VERSION)
        path = f"{PATH}/{seg(flow_id)}/{PROVIDERS}/$ref"
        await self._core.send_json("POST", path, {"@odata.id": ref}, version=VERSION)

    @mutating
    async def remove_identity_provider(self, flow_id: str, provider_id: str) -> None:
        """``DELETE .../userFlowIdentityProviders/{provider_id}/$ref`` (beta, 204)."""
        path = f"{PATH}/{seg(flow_id)}/{PROVIDERS}/{seg(provider_id)}/$ref"
        await self._core.request("DELETE", path, version=VERSION)

    # -- user attributes the flow collects ---------------------------------------------------
    def list_attribute_assignments(self, flow_id: str) -> PageIterator:
        """``GET /identity/b2cUserFlows/{id}/userAttributeAssignments`` (beta), in the order
        the flow asks for them."""
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}"
        return self._core.pages(path, version=VERSION, prefetch=False)

    @mutating
    async def add_attribute_assignment(
        self, flow_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``POST .../userAttributeAssignments`` (beta, 201): collect one more attribute.
        ``body`` holds ``userAttribute: {"id": ...}``, ``displayName``, ``userInputType``,
        ``isOptional``, ``requiresVerification`` and (for choice inputs)
        ``userAttributeValues``; see :func:`check_assignment`."""
        payload = check_assignment(body, create=True)
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}"
        return await self._send("POST", path, payload, version=VERSION)

    @mutating
    async def update_attribute_assignment(
        self, flow_id: str, assignment_id: str, patch: Mapping[str, Any]
    ) -> None:
        """``PATCH .../userAttributeAssignments/{id}`` (beta, 204): the label, whether it is
        optional or verified, the input type and its choices."""
        payload = check_assignment(patch, create=False)
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}/{seg(assignment_id)}"
        await self._core.send_json("PATCH", path, payload, version=VERSION)

    @mutating
    async def remove_attribute_assignment(self, flow_id: str, assignment_id: str) -> None:
        """``DELETE .../userAttributeAssignments/{id}`` (beta, 204): stop collecting it (the
        values stored on users stay)."""
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}/{seg(assignment_id)}"
        await self._core.request("DELETE", path, version=VERSION)

    async def get_attribute_order(self, flow_id: str) -> builtins.list[str]:
        """``GET .../userAttributeAssignments/getOrder`` (beta): assignment ids in order."""
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}/getOrder"
        body = await self._core.get_json(path, version=VERSION)
        order = body.get("order") if isinstance(body, dict) else None
        return [str(i) for i in order] if isinstance(order, list) else []

    @mutating
    async def set_attribute_order(self, flow_id: str, order: Iterable[str]) -> None:
        """``POST .../userAttributeAssignments/setOrder`` (beta, 204) with
        ``{"newAssignmentOrder": {"order": [...]}}``: every assignment id, each once."""
        ids = [str(i) for i in order]
        if not ids or len({i.lower() for i in ids}) != len(ids):
            raise ValidationError("The new order must name every assignment once.")
        path = f"{PATH}/{seg(flow_id)}/{ASSIGNMENTS}/setOrder"
        await self._core.send_json("POST", path, {"newAssignmentOrder": {"order": ids}},
                                   version=VERSION)
