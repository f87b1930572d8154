"""External ID flows (``:external-flows``): Entra External ID's ``authenticationEventsFlows``.

A description over the kit. Each sign-up and sign-in flow lists the applications it applies to
(its conditions), the identity providers offered when authentication starts and the attributes
collected on sign-up. Three lists inside a flow open from the list or the detail view, with the
same keys as the B2C flows pane: ``A`` its applications (link an app by its appId, unlink),
``p`` its identity providers and ``a`` its attributes (add from the tenant's, remove; Graph
adds a default input to the sign-up page for each attribute). The order of the attributes is
the sign-up page's, which only a PATCH of the whole flow changes; the contract has no such
update, so it is not offered. The API exists in External ID tenants only: in an Azure AD B2C
tenant the pane says so (and points to ``:flows``) instead of asking Graph.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ...frames.columns import Column
from ...frames.external_flows import EXTERNAL_FLOW_COLUMNS
from ...graph.client import GraphClient
from ...graph.paging import PageIterator
from ...graph.resources.external_flows import SIGN_UP_FLOW
from .. import kit
from ..kit.tenant import EXTERNAL_ID, only_in
from ..safe_text import safe
from .flow_lists import (
    EVERY_ATTRIBUTE,
    attribute_choices,
    attribute_field,
    flow_id,
    not_in,
    provider_label,
    providers_sublist,
)

NS = "#microsoft.graph."
SIGN_IN_METHODS = (("Email with password", "EmailPassword-OAUTH"),
                   ("Email one-time passcode", "EmailOtpSignup-OAUTH"))
#: The attributes every new flow collects, with their inputs (as the documented example).
FIRST_ATTRIBUTES = (("email", "Email Address", True), ("displayName", "Display Name", False))


def _list(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    return client.external_flows.list()


def _step(record: Mapping[str, Any], step: str, key: str) -> list[Mapping[str, Any]]:
    part = record.get(step)
    items = part.get(key) if isinstance(part, Mapping) else None
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _applications(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    conditions = record.get("conditions")
    apps = conditions.get("applications") if isinstance(conditions, Mapping) else None
    items = apps.get("includeApplications") if isinstance(apps, Mapping) else None
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


# -- applications (the flow's conditions) ----------------------------------------------------
async def _load_apps(client: GraphClient, flow: Mapping[str, Any]) -> list[dict[str, Any]]:
    linked = await client.external_flows.list_applications(flow_id(flow)).collect()
    names = {str(a.get("appId", "")).lower(): a.get("displayName")
             for a in await client.applications.list(select=["appId", "displayName"]).collect()}
    return [{**a, "displayName": names.get(str(a.get("appId", "")).lower())} for a in linked]


async def _app_choices(client: GraphClient, flow: Mapping[str, Any],
                       items: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    linked = {str(i.get("appId", "")).lower() for i in items}
    apps = await client.applications.list(select=["appId", "displayName"]).collect()
    return [(f"{a.get('displayName') or a['appId']} ({a['appId']})", str(a["appId"]))
            for a in apps if str(a.get("appId", "")).lower() not in linked]


APPLICATIONS = kit.SubList(
    name="applications", key="A", title="Applications", noun="application",
    columns=(Column("displayName", "Application", width=30), Column("appId", "App id", width=38)),
    load=_load_apps, key_of=lambda item: str(item.get("appId") or ""),
    name_of=lambda item: str(item.get("displayName") or item.get("appId") or ""),
    note="The flow runs when these applications sign users up or in (one flow per app).",
    add=kit.SubAdd(kit.FormSpec("Apply the flow to an application", (
        kit.FieldSpec("appId", "Application", "choice", required=True,
                      help="Graph refuses an app without a service principal, or one linked to "
                           "another flow."),), save_label="Link", hints=(("", "appId"),)),
        send=lambda client, flow, body: client.external_flows.add_application(
            flow_id(flow), body["appId"]),
        choices=_app_choices, pick="appId",
        none_left="Every application of the tenant is linked to this flow already."),
    remove=kit.SubRemove(lambda client, flow, key: client.external_flows.remove_application(
        flow_id(flow), key), note="The application stays; its users no longer sign up or in "
                                  "through this flow."),
)


# -- identity providers and attributes ---------------------------------------------------------
async def _provider_choices(client: GraphClient, flow: Mapping[str, Any],
                            items: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return not_in(items, await client.identity_providers.list().collect(), provider_label)


async def _load_attributes(client: GraphClient, flow: Mapping[str, Any]) -> list[dict[str, Any]]:
    return await client.external_flows.list_attributes(flow_id(flow)).collect()


PROVIDERS = providers_sublist(lambda client: client.external_flows, _provider_choices,
                              note="Offered when authentication starts.",
                              remove_note="The provider stays in the tenant.")
ATTRIBUTES = kit.SubList(
    name="attributes", key="a", title="Attributes collected on sign-up", noun="attribute",
    columns=(Column("displayName", "Name", width=26), Column("dataType", "Data type", width=10),
             Column("userFlowAttributeType", "Kind", width=8), Column("id", "Id", width=40)),
    load=_load_attributes,
    note="Graph adds a default input to the sign-up page for each attribute added.",
    add=kit.SubAdd(kit.FormSpec("Collect an attribute on sign-up", (attribute_field("id"),),
                                save_label="Add", hints=(("", "id"),)),
                   send=lambda client, flow, body: client.external_flows.add_attribute(
                   flow_id(flow), body["id"]),
                   choices=attribute_choices, none_left=EVERY_ATTRIBUTE),
    remove=kit.SubRemove(lambda client, flow, key: client.external_flows.remove_attribute(
        flow_id(flow), key), note="Its input leaves the sign-up page; values stored on users "
                                  "stay."),
)


# -- the flow ----------------------------------------------------------------------------------
def _new_flow(values: dict[str, Any]) -> dict[str, Any]:
    """The create body of the documented example: a sign-in method, email and name."""
    inputs = [{"attribute": aid, "label": label, "inputType": "text", "hidden": hidden,
               "editable": not hidden, "writeToDirectory": True, "required": hidden}
              for aid, label, hidden in FIRST_ATTRIBUTES]
    body: dict[str, Any] = {
        "@odata.type": f"#{SIGN_UP_FLOW}",
        "displayName": values["displayName"],
        "onAuthenticationMethodLoadStart": {
            "@odata.type": f"{NS}onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": [{"id": values["signIn"]}]},
        "onInteractiveAuthFlowStart": {
            "@odata.type": f"{NS}onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": bool(values.get("isSignUpAllowed"))},
        "onAttributeCollection": {
            "@odata.type": f"{NS}onAttributeCollectionExternalUsersSelfServiceSignUp",
            "attributes": [{"id": aid} for aid, *_ in FIRST_ATTRIBUTES],
            "attributeCollectionPage": {"views": [{"inputs": inputs}]}},
    }
    if values.get("description"):
        body["description"] = values["description"]
    return body


def _names(key: str, label: str) -> Callable[[Mapping[str, Any]], RenderableType]:
    """A section listing the flow's providers, attributes or applications."""

    def render(record: Mapping[str, Any]) -> RenderableType:
        items = {"providers": _step(record, "onAuthenticationMethodLoadStart",
                                    "identityProviders"),
                 "attributes": _step(record, "onAttributeCollection", "attributes"),
                 "applications": _applications(record)}[key]
        if not items:
            return Text(f"None. {label}", style="dim")
        grid = Table.grid(padding=(0, 2))
        for item in items:
            grid.add_row(Text(safe(item.get("displayName") or item.get("appId") or "")),
                         Text(safe(item.get("id") or ""), style="dim"))
        return grid

    return render


FLOWS = kit.PaneSpec(
    noun="External ID flow",
    columns=EXTERNAL_FLOW_COLUMNS,
    list=_list,
    filter=kit.Filter(note="Graph filters these flows only by an exact provider, attribute or app: "
                           "/ filters the rows loaded (a tenant has a few)."),
    get=lambda client, key: client.external_flows.get(key),
    sections=(
        kit.Section("Flow", lambda r: kit.fields_table((
            ("Name", "displayName"), ("Id", "id"), ("Description", "description"),
            ("Priority", "priority"), ("Sign-up allowed", "signUp"),
            ("Creates", "creates")))({
                **r, "signUp": (r.get("onInteractiveAuthFlowStart") or {}).get(
                    "isSignUpAllowed"),
                "creates": (r.get("onUserCreateStart") or {}).get("userTypeToCreate")})),
        kit.Section("Applications (A)", _names("applications", "A links one.")),
        kit.Section("Identity providers on authentication start (p)",
                    _names("providers", "p adds one.")),
        kit.Section("Attributes collected on sign-up (a)", _names("attributes", "a adds one.")),
    ),
    create=kit.Create(kit.FormSpec("New External ID flow", (
        kit.FieldSpec("displayName", "Name", required=True, max_length=256,
                      help="Unique in the tenant."),
        kit.FieldSpec("description", "Description", max_length=1024),
        kit.FieldSpec("signIn", "Sign in with", "choice", choices=SIGN_IN_METHODS,
                      help="More providers, attributes and the apps: after it is created."),
        kit.FieldSpec("isSignUpAllowed", "Sign-up", "bool", placeholder="users may sign up"),
    ), save_label="Create", hints=(("already exists", "displayName"),
                                   ("displayname", "displayName"),
                                   ("identity provider", "signIn"))),
        send=lambda client, values: client.external_flows.create(_new_flow(values))),
    delete=kit.Delete(lambda client, key: client.external_flows.delete(key),
                      note="Applications linked to it lose their sign-up experience."),
    applies=only_in(EXTERNAL_ID, reason="External ID flows (authenticationEventsFlows) exist "
                                        "only in Entra External ID tenants, and this is "
                                        "{tenant}. An Azure AD B2C tenant's user flows are "
                                        "under User flows (:flows)."),
    sublists=(APPLICATIONS, PROVIDERS, ATTRIBUTES),
    secrets=frozenset({"clientSecret"}),
    object_kind="authenticationEventsFlow",
    collection_path="/identity/authenticationEventsFlows",
)


class ExternalFlowsPane(kit.KitPane):
    """Entra External ID sign-up and sign-in flows."""

    spec: ClassVar[kit.PaneSpec] = FLOWS
    binding_prefix: ClassVar[str] = "external-flows"
