"""Behaviour of External ID user flows (/identity/authenticationEventsFlows) and their $refs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from b2c_tui.emulator import Emulator

FLOWS = "/v1.0/identity/authenticationEventsFlows"
CAST = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow"
NS = "microsoft.graph."
COLLECT = f"{NS}onAttributeCollectionExternalUsersSelfServiceSignUp"
ATTRS = f"{CAST}/onAttributeCollection/{COLLECT}/attributes"
LOAD = f"{NS}onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp"
START = f"{NS}onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp"
IDPS = f"{CAST}/onAuthenticationMethodLoadStart/{LOAD}/identityProviders"
EMAIL_INPUT = {"attribute": "email", "label": "Email Address", "inputType": "Text",
               "hidden": True, "editable": False, "writeToDirectory": True, "required": True,
               "validationRegEx": "^.*"}
NAME_INPUT = {"attribute": "displayName", "label": "Display Name", "inputType": "text",
              "hidden": False, "editable": True, "writeToDirectory": True, "required": False,
              "validationRegEx": "^.*"}


def create_body(name: str = "Woodgrove Drive – Zoë") -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "displayName": name,
        "onAuthenticationMethodLoadStart": {
            "@odata.type": f"#{LOAD}",
            "identityProviders": [{"id": "EmailPassword-OAUTH"}]},
        "onInteractiveAuthFlowStart": {
            "@odata.type": f"#{START}",
            "isSignUpAllowed": True},
        "onAttributeCollection": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
            "attributes": [{"id": "email"}, {"id": "displayName"}],
            "attributeCollectionPage": {"views": [{"inputs": [EMAIL_INPUT, NAME_INPUT]}]}},
    }


async def first_flow(client: httpx.AsyncClient) -> dict[str, Any]:
    return (await client.get(FLOWS)).json()["value"][0]  # type: ignore[no-any-return]


async def test_list_shape(client: httpx.AsyncClient) -> None:
    body = (await client.get(FLOWS)).json()
    assert body["@odata.context"].endswith("$metadata#identity/authenticationEventsFlows")
    flow = body["value"][0]
    assert flow["@odata.type"] == f"#{CAST}"
    assert set(flow) >= {"id", "displayName", "description", "priority", "conditions",
                         "onInteractiveAuthFlowStart", "onAuthenticationMethodLoadStart",
                         "onAttributeCollection", "onUserCreateStart"}
    apps = flow["conditions"]["applications"]
    assert apps["includeApplications@odata.context"].endswith(
        f"authenticationEventsFlows('{flow['id']}')/{CAST}/conditions/applications/includeApplications")
    providers = flow["onAuthenticationMethodLoadStart"]["identityProviders"]
    assert providers[0]["id"] == "EmailPassword-OAUTH"
    assert all(p.get("clientSecret", "******") == "******" for p in providers)
    inputs = flow["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"]
    assert [i["attribute"] for i in inputs] == [a["id"] for a in
                                                flow["onAttributeCollection"]["attributes"]]
    names = {f["displayName"] for f in body["value"]}
    assert "Anmeldung für Zoë's Café" in names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"{IDPS}/any(idp:idp/id eq 'Google-OAUTH')",
         ["Woodgrove Drive User Flow"]),
        (f"{ATTRS}/any(attribute:attribute/id eq 'city')", ["Anmeldung für Zoë's Café"]),
        (f"{CAST}/conditions/applications/includeApplications/any(appId:appId/appId eq "
         "'63856651-13d9-4784-9abf-20758d509e19')", []),
    ],
)
async def test_documented_filters(
    client: httpx.AsyncClient, query: str, expected: list[str]
) -> None:
    r = await client.get(FLOWS, params={"$filter": query})
    assert r.status_code == 200, r.text
    assert [f["displayName"] for f in r.json()["value"]] == expected


async def test_create_get_delete(emu: Emulator, client: httpx.AsyncClient) -> None:
    r = await client.post(FLOWS, json=create_body())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["@odata.context"].endswith("#identity/authenticationEventsFlows/$entity")
    assert body["priority"] == 500 and body["description"] is None
    assert body["conditions"] == {"applications": {"includeAllApplications": False}}
    assert "identityProviders" not in body["onAuthenticationMethodLoadStart"]
    inputs = body["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"]
    assert inputs[0]["inputType"] == "text" and inputs[0]["options"] == []
    assert (await client.post(FLOWS, json=create_body())).status_code == 409  # unique names
    got = (await client.get(f"{FLOWS}/{body['id']}")).json()
    assert got["displayName"] == "Woodgrove Drive – Zoë"
    assert [p["id"] for p in got["onAuthenticationMethodLoadStart"]["identityProviders"]] == [
        "EmailPassword-OAUTH"]
    assert (await client.delete(f"{FLOWS}/{body['id']}")).status_code == 204
    assert (await client.get(f"{FLOWS}/{body['id']}")).status_code == 404
    assert [e["activityDisplayName"] for e in emu.store.audit_log.entries[-2:]] == [
        "Add user flow", "Delete user flow"]


async def test_create_checks_attributes_and_providers(client: httpx.AsyncClient) -> None:
    missing_input = create_body()
    missing_input["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"] = [
        EMAIL_INPUT]
    assert (await client.post(FLOWS, json=missing_input)).status_code == 400
    unknown_idp = create_body("x")
    unknown_idp["onAuthenticationMethodLoadStart"]["identityProviders"] = [{"id": "Nope-OAUTH"}]
    assert (await client.post(FLOWS, json=unknown_idp)).status_code == 400
    wrong_type = create_body("y") | {"@odata.type": "#microsoft.graph.somethingElse"}
    assert (await client.post(FLOWS, json=wrong_type)).status_code == 400


async def test_attribute_refs(emu: Emulator, client: httpx.AsyncClient) -> None:
    flow = await first_flow(client)
    base = f"{FLOWS}/{flow['id']}/{ATTRS}"
    listed = await client.get(f"{base}/")
    assert listed.status_code == 200
    assert listed.json()["@odata.context"].endswith(
        "$metadata#Collection(microsoft.graph.identityUserFlowAttribute)")
    before = [a["id"] for a in listed.json()["value"]]
    ref = {"@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/city"}
    r = await client.post(f"{base}/$ref", json=ref)
    assert r.status_code == 204 and r.content == b""
    assert (await client.post(f"{base}/$ref", json=ref)).status_code == 400  # already there
    got = (await client.get(f"{FLOWS}/{flow['id']}")).json()["onAttributeCollection"]
    assert got["attributes"][-1]["id"] == "city"
    assert got["attributeCollectionPage"]["views"][0]["inputs"][-1]["attribute"] == "city"
    assert (await client.delete(f"{base}/city/$ref")).status_code == 204
    assert [a["id"] for a in (await client.get(base)).json()["value"]] == before
    assert (await client.delete(f"{base}/city/$ref")).status_code == 404
    bad = {"@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/nope"}
    assert (await client.post(f"{base}/$ref", json=bad)).status_code == 400
    for attr in before:
        assert (await client.delete(f"{base}/{attr}/$ref")).status_code == 204
    assert (await client.get(base)).status_code == 400  # documented: no attributes -> 400
    assert emu.store.audit_log.entries[-1]["activityDisplayName"] == "Update user flow"


async def test_identity_provider_refs(client: httpx.AsyncClient) -> None:
    flow = await first_flow(client)
    base = f"{FLOWS}/{flow['id']}/{IDPS}"
    listed = (await client.get(f"{base}/")).json()
    assert listed["@odata.context"].endswith(
        "$metadata#Collection(microsoft.graph.identityProviderBase)")
    assert "Facebook-OAUTH" in [p["id"] for p in listed["value"]]
    assert (await client.delete(f"{base}/Facebook-OAUTH/$ref")).status_code == 204
    assert "Facebook-OAUTH" not in [p["id"] for p in (await client.get(base)).json()["value"]]
    ref = {"@odata.id": "https://graph.microsoft.com/beta/identityProviders/Facebook-OAUTH"}
    beta_base = base.replace("/v1.0/", "/beta/")
    assert (await client.post(f"{beta_base}/$ref", json=ref)).status_code == 204
    assert (await client.post(f"{base}/$ref", json=ref)).status_code == 400
    ids = [p["id"] for p in (await client.get(base)).json()["value"]]
    assert ids[-1] == "Facebook-OAUTH"
    missing = {"@odata.id": "https://graph.microsoft.com/v1.0/identityProviders/Nope-OAUTH"}
    assert (await client.post(f"{base}/$ref", json=missing)).status_code == 400
    # The OData $id form of removing a reference.
    r = await client.delete(f"{base}/$ref", params={"$id": ref["@odata.id"]})
    assert r.status_code == 204
