"""What a user flow holds, changed piece by piece: a B2C flow's identity providers and
attribute assignments (with their order), an External ID flow's applications; through the
Graph client against the demo tenant, with Graph's refusals."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.emulator import Emulator
from b2c_tui.graph import GraphClient, ValidationError
from b2c_tui.graph.errors import GraphError

FLOW = "B2C_1_SignUpSignIn"


@pytest.fixture
def graph(emu: Emulator) -> GraphClient:
    return GraphClient.create(None, graph_url="https://graph.microsoft.com",
                              transport=httpx.ASGITransport(app=emu.asgi))  # type: ignore[arg-type]


def audited(emu: Emulator) -> list[str]:
    return [e["activityDisplayName"] for e in emu.store.audit_log.entries]


async def test_providers_are_added_and_removed_by_reference(emu: Emulator,
                                                            graph: GraphClient) -> None:
    flows = graph.b2c_user_flows
    before = [p["id"] for p in await flows.list_identity_providers(FLOW).collect()]
    assert before == ["Facebook-OAUTH", "Google-OAUTH"]
    await flows.add_identity_provider(FLOW, "GitHub-OAUTH")
    await flows.remove_identity_provider(FLOW, "Facebook-OAUTH")
    listed = await flows.list_identity_providers(FLOW).collect()
    assert [p["id"] for p in listed] == ["Google-OAUTH", "GitHub-OAUTH"]
    assert {p["clientSecret"] for p in listed} == {"******"}
    expanded = await flows.get(FLOW, expand="userFlowIdentityProviders")
    assert [p["id"] for p in expanded["userFlowIdentityProviders"]] == ["Google-OAUTH",
                                                                          "GitHub-OAUTH"]
    with pytest.raises(GraphError, match="already exist"):
        await flows.add_identity_provider(FLOW, "Google-OAUTH")
    with pytest.raises(GraphError, match="not configured"):
        await flows.add_identity_provider(FLOW, "Nope-OAUTH")
    with pytest.raises(GraphError) as missing:
        await flows.remove_identity_provider(FLOW, "Facebook-OAUTH")
    assert missing.value.status == 404
    assert audited(emu).count("Update user flow") >= 2


async def test_assignments_are_created_changed_ordered_and_removed(graph: GraphClient) -> None:
    flows = graph.b2c_user_flows
    created = await flows.add_attribute_assignment(
        FLOW, {"userAttribute": {"id": "city"}, "displayName": "Town", "isOptional": False})
    assert created["id"] == "city" and created["displayName"] == "Town"
    order = await flows.get_attribute_order(FLOW)
    assert order[-1] == "city" and order[0] == "email"
    before = {a["id"]: a for a in await flows.list_attribute_assignments(FLOW).collect()}
    await flows.set_attribute_order(FLOW, list(reversed(order)))
    after = await flows.list_attribute_assignments(FLOW).collect()
    assert [a["id"] for a in after] == list(reversed(order))
    # Moving an assignment changes nothing but its place.
    assert {a["id"]: a for a in after} == before
    await flows.update_attribute_assignment(FLOW, "city", {
        "userInputType": "dropdownsingleselect",
        "userAttributeValues": [{"name": "Berlin", "value": "berlin", "isDefault": True}]})
    city = next(a for a in await flows.list_attribute_assignments(FLOW).collect()
                if a["id"] == "city")
    assert city["userInputType"] == "dropdownSingleSelect" and city["displayName"] == "Town"
    await flows.remove_attribute_assignment(FLOW, "city")
    assert "city" not in await flows.get_attribute_order(FLOW)


async def test_graph_refuses_what_a_flow_cannot_hold(emu: Emulator, graph: GraphClient) -> None:
    flows = graph.b2c_user_flows
    with pytest.raises(GraphError, match="already assigned"):
        await flows.add_attribute_assignment(FLOW, {"userAttribute": {"id": "email"}})
    with pytest.raises(GraphError, match="emailBox"):
        await flows.update_attribute_assignment(FLOW, "givenName", {"userInputType": "emailBox"})
    with pytest.raises(GraphError, match="every attribute assignment"):
        await flows.set_attribute_order(FLOW, ["email"])
    # A choice input without its choices: the raw request reaches Graph's own refusal.
    url = "/beta/identity/b2cUserFlows/B2C_1_SignUpSignIn/userAttributeAssignments/givenName"
    transport = httpx.ASGITransport(app=emu.asgi)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://graph.microsoft.com") as c:
        r = await c.patch(url, json={"userInputType": "radioSingleSelect"})
    assert r.status_code == 400 and "userAttributeValues" in r.json()["error"]["message"]


async def test_the_client_checks_an_assignment_before_sending(graph: GraphClient) -> None:
    flows = graph.b2c_user_flows
    with pytest.raises(ValidationError) as no_attribute:
        await flows.add_attribute_assignment(FLOW, {"displayName": "x"})
    assert no_attribute.value.field == "userAttribute"
    with pytest.raises(ValidationError) as no_choices:
        await flows.add_attribute_assignment(
            FLOW, {"userAttribute": {"id": "city"}, "userInputType": "radioSingleSelect"})
    assert no_choices.value.field == "userAttributeValues"
    with pytest.raises(ValidationError) as wrong_type:
        await flows.update_attribute_assignment(FLOW, "city", {"userInputType": "slider"})
    assert wrong_type.value.field == "userInputType"
    with pytest.raises(ValidationError):
        await flows.update_attribute_assignment(FLOW, "city", {"userAttribute": {"id": "x"}})
    with pytest.raises(ValidationError):
        await flows.set_attribute_order(FLOW, ["email", "EMAIL"])


async def test_external_flow_applications(emu: Emulator, graph: GraphClient) -> None:
    events = graph.external_flows
    flows = await events.list().collect()
    first, second = flows[0]["id"], flows[1]["id"]
    app = next(a for a in await graph.applications.list().collect()
               if a["displayName"] == "Contoso Web")
    added = await events.add_application(first, app["appId"])
    assert added["appId"] == app["appId"]
    assert [a["appId"] for a in await events.list_applications(first).collect()] == [app["appId"]]
    listed = await events.get(first)
    assert listed["conditions"]["applications"]["includeApplications"][0]["appId"] == app["appId"]
    with pytest.raises(GraphError) as taken:  # one flow per application
        await events.add_application(second, app["appId"])
    assert taken.value.status == 409
    with pytest.raises(GraphError, match="service principal"):
        await events.add_application(second, "00000000-0000-0000-0000-00000000dead")
    with pytest.raises(ValidationError):
        await events.add_application(second, " ")
    await events.remove_application(first, app["appId"])
    assert await events.list_applications(first).collect() == []
    assert "Update user flow" in audited(emu)


async def test_tenant_type_comes_from_the_organization(emu: Emulator, graph: GraphClient) -> None:
    assert await graph.organization.tenant_type() == "AAD B2C"
    emu.store.tenant_type = "CIAM"
    assert await graph.organization.tenant_type() == "CIAM"
