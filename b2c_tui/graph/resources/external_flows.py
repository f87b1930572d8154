"""Entra External ID user flows (``authenticationEventsFlow``) and what they collect.

Endpoints (v1.0): ``/identity/authenticationEventsFlows``, and under one flow the attributes of
its attribute-collection step and the identity providers of its sign-in step. Those live on
derived types, so their paths carry OData type-cast segments, e.g.::

    /identity/authenticationEventsFlows/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow
        /onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp
        /attributes

Attributes and providers are linked and unlinked by reference (``$ref`` with ``@odata.id``);
the applications a flow applies to (``conditions/applications/includeApplications``) are added
as ``authenticationConditionApplication`` objects (an ``appId``) and removed by ``$ref``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BadRequestError, ValidationError
from ..paging import Page, PageIterator
from ..query import format_literal
from ._query import QueryArg
from ._records import entity, odata_type
from .base import ResourceAPI, mutating, seg

PATH = "/identity/authenticationEventsFlows"
SIGN_UP_FLOW = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow"
ATTRIBUTE_STEP = (
    "onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp"
)
PROVIDER_STEP = (
    "onAuthenticationMethodLoadStart/"
    "microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp"
)
FLOW_TYPES = frozenset({"externalusersselfservicesignupeventsflow"})
APPLICATIONS = "conditions/applications/includeApplications"
APPLICATION_TYPE = "#microsoft.graph.authenticationConditionApplication"


class _EmptyOnBadRequest(PageIterator):
    """Graph answers 400, not an empty list, for a flow with no attributes: read it as empty."""

    async def _fetch(self, url: str, number: int) -> Page:
        try:
            return await super()._fetch(url, number)
        except BadRequestError:
            if number != 1:
                raise
            return Page([], None, number)


def check_flow_body(body: Mapping[str, Any]) -> None:
    """A new flow needs its derived ``@odata.type`` and a (unique) ``displayName``."""
    if odata_type(body) not in FLOW_TYPES:
        raise ValidationError(
            "A user flow needs '@odata.type': "
            "'#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow'.", field="@odata.type")
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("A user flow needs a displayName.", field="displayName")


class ExternalFlowsAPI(ResourceAPI):
    """``/identity/authenticationEventsFlows`` (External ID tenants)."""

    def _step(self, flow_id: str, step: str, collection: str) -> str:
        return f"{PATH}/{seg(flow_id)}/{SIGN_UP_FLOW}/{step}/{collection}"

    # -- flows ---------------------------------------------------------------------------------
    def list(self, query: QueryArg = None, *, filter: str | None = None, top: int | None = None,
             prefetch: bool = True) -> PageIterator:
        """``GET /identity/authenticationEventsFlows``, optionally with a raw ``$filter`` (see
        :meth:`filter_by_identity_provider` and friends for the type-cast forms)."""
        return self._list(PATH, query, top=top, prefetch=prefetch,
                          extra={"$filter": filter} if filter else None)

    @staticmethod
    def filter_by_identity_provider(provider_id: str) -> str:
        """``$filter`` for flows offering ``provider_id`` (``Google-OAUTH``)."""
        return (f"{SIGN_UP_FLOW}/{PROVIDER_STEP}/identityProviders"
                f"/any(idp:idp/id eq {format_literal(provider_id)})")

    @staticmethod
    def filter_by_attribute(attribute_id: str) -> str:
        """``$filter`` for flows collecting ``attribute_id`` (``city``) at sign-up."""
        return (f"{SIGN_UP_FLOW}/{ATTRIBUTE_STEP}/attributes"
                f"/any(attribute:attribute/id eq {format_literal(attribute_id)})")

    @staticmethod
    def filter_by_application(app_id: str) -> str:
        """``$filter`` for the flow an application (by appId) is attached to."""
        return (f"{SIGN_UP_FLOW}/conditions/applications/includeApplications"
                f"/any(appId:appId/appId eq {format_literal(app_id)})")

    async def get(self, flow_id: str) -> dict[str, Any]:
        """``GET /identity/authenticationEventsFlows/{id}``."""
        return await self._get(f"{PATH}/{seg(flow_id)}")

    @mutating
    async def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /identity/authenticationEventsFlows``: ``body`` has the derived
        ``@odata.type``, a unique ``displayName`` and the steps; identity providers are named by
        id only and must already exist in the tenant. Returns the created flow."""
        check_flow_body(body)
        return await self._send("POST", PATH, dict(body))

    @mutating
    async def delete(self, flow_id: str) -> None:
        """``DELETE /identity/authenticationEventsFlows/{id}`` (204); apps linked to the flow
        lose their customised sign-up experience."""
        await self._core.request("DELETE", f"{PATH}/{seg(flow_id)}")

    # -- attributes of the attribute-collection step -------------------------------------------
    def list_attributes(self, flow_id: str) -> PageIterator:
        """``GET .../{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/
        onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp
        /attributes``. A flow with none (Graph answers 400) yields no records."""
        url = self._core.url(self._step(flow_id, ATTRIBUTE_STEP, "attributes"))
        return _EmptyOnBadRequest(self._core, url, prefetch=False)

    @mutating
    async def add_attribute(self, flow_id: str, attribute_id: str) -> None:
        """``POST .../attributes/$ref`` with ``@odata.id`` of
        ``/identity/userFlowAttributes/{attribute_id}`` (204). Graph also adds a default input
        to the page views; PATCH the flow to customise it."""
        ref = self._core.url(f"/identity/userFlowAttributes/{seg(attribute_id)}")
        path = f"{self._step(flow_id, ATTRIBUTE_STEP, 'attributes')}/$ref"
        await self._core.send_json("POST", path, {"@odata.id": ref})

    @mutating
    async def remove_attribute(self, flow_id: str, attribute_id: str) -> None:
        """``DELETE .../attributes/{attribute_id}/$ref`` (204)."""
        path = f"{self._step(flow_id, ATTRIBUTE_STEP, 'attributes')}/{seg(attribute_id)}/$ref"
        await self._core.request("DELETE", path)

    # -- identity providers of the sign-in step ------------------------------------------------
    def list_identity_providers(self, flow_id: str) -> PageIterator:
        """``GET .../{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/
        onAuthenticationMethodLoadStart/microsoft.graph.
        onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders``."""
        path = self._step(flow_id, PROVIDER_STEP, "identityProviders")
        return self._core.pages(path, prefetch=False)

    @mutating
    async def add_identity_provider(
        self, flow_id: str, provider_id: str, *, version: str | None = None
    ) -> None:
        """``POST .../identityProviders/$ref`` with ``@odata.id`` of
        ``/identityProviders/{provider_id}`` (204). The provider (``Google-OAUTH``,
        ``EmailOtpSignup-OAUTH``...) must already be configured in the tenant."""
        ref = self._core.url(f"/identityProviders/{seg(provider_id)}", version=version)
        path = f"{self._step(flow_id, PROVIDER_STEP, 'identityProviders')}/$ref"
        await self._core.send_json("POST", path, {"@odata.id": ref}, version=version)

    @mutating
    async def remove_identity_provider(self, flow_id: str, provider_id: str) -> None:
        """``DELETE .../identityProviders/{provider_id}/$ref`` (204)."""
        path = (f"{self._step(flow_id, PROVIDER_STEP, 'identityProviders')}"
                f"/{seg(provider_id)}/$ref")
        await self._core.request("DELETE", path)

    # -- applications the flow applies to (its conditions) ----------------------------------------
    def list_applications(self, flow_id: str) -> PageIterator:
        """``GET .../{id}/conditions/applications/includeApplications``: the apps (by
        ``appId``) whose sign-up and sign-in this flow runs."""
        return self._core.pages(f"{PATH}/{seg(flow_id)}/{APPLICATIONS}", prefetch=False)

    @mutating
    async def add_application(self, flow_id: str, app_id: str) -> dict[str, Any]:
        """``POST .../conditions/applications/includeApplications`` (201) with the app's
        ``appId``. An application can be linked to one flow only, and needs a service
        principal in the tenant (Graph refuses otherwise)."""
        text = app_id.strip() if isinstance(app_id, str) else ""
        if not text:
            raise ValidationError("Choose the application (its appId).", field="appId")
        body = {"@odata.type": APPLICATION_TYPE, "appId": text}
        answer = await self._core.send_json("POST", f"{PATH}/{seg(flow_id)}/{APPLICATIONS}", body)
        return entity(answer) if isinstance(answer, dict) else {"appId": text}

    @mutating
    async def remove_application(self, flow_id: str, app_id: str) -> None:
        """``DELETE .../conditions/applications/includeApplications/{appId}/$ref`` (204)."""
        path = f"{PATH}/{seg(flow_id)}/{APPLICATIONS}/{seg(app_id)}/$ref"
        await self._core.request("DELETE", path)
