"""Behaviour of B2C user flows (/identity/b2cUserFlows) and the B2C authentication methods
policy (/policies/b2cAuthenticationMethodsPolicy)."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.emulator import Emulator

FLOWS = "/beta/identity/b2cUserFlows"
POLICY = "/beta/policies/b2cAuthenticationMethodsPolicy"


async def test_list_and_expand(client: httpx.AsyncClient) -> None:
    body = (await client.get(FLOWS)).json()
    assert body["@odata.context"] == "https://graph.microsoft.com/beta/$metadata#identity/b2cUserFlows"
    flow = body["value"][0]
    assert set(flow) == {"id", "userFlowType", "userFlowTypeVersion",
                         "isLanguageCustomizationEnabled", "defaultLanguageTag"}
    assert all(f["id"].startswith("B2C_1_") for f in body["value"])
    expanded = (await client.get(f"{FLOWS}?$expand=identityProviders")).json()["value"][0]
    assert expanded["identityProviders"][0] == {
        "id": "Facebook-OAUTH", "type": "Facebook", "name": "Facebook",
        "clientId": expanded["identityProviders"][0]["clientId"], "clientSecret": "******"}
    assert (await client.get(f"{FLOWS}?$expand=languages")).status_code == 400


async def test_expand_attribute_assignments_and_flow_providers(emu: Emulator,
                                                               client: httpx.AsyncClient) -> None:
    url = f"{FLOWS}/B2C_1_SignUpSignIn?$expand=userAttributeAssignments,userFlowIdentityProviders"
    flow = (await client.get(url)).json()
    assignments = {a["id"]: a for a in flow["userAttributeAssignments"]}
    assert assignments["email"]["userInputType"] == "emailBox"
    assert assignments["email"]["requiresVerification"] is True
    colour = f"extension_{emu.store.apps.extensions_app_id.replace('-', '')}_Lieblingsfarbe"
    assert assignments[colour]["displayName"] == "Lieblingsfarbe"
    assert {p["clientSecret"] for p in flow["userFlowIdentityProviders"]} == {"******"}
    # Deleting a custom attribute removes it from the flows that collect it.
    assert (await client.delete(f"/v1.0/identity/userFlowAttributes/{colour}")).status_code == 204
    flow = (await client.get(url)).json()
    assert colour not in {a["id"] for a in flow["userAttributeAssignments"]}


async def test_user_flows_are_beta_only(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1.0/identity/b2cUserFlows")
    assert r.status_code in (400, 405)


async def test_create_prefixes_id_and_sets_location(
    emu: Emulator, client: httpx.AsyncClient
) -> None:
    r = await client.post(FLOWS, json={"id": "Customer", "userFlowType": "signUpOrSignIn",
                                       "userFlowTypeVersion": 3,
                                       "identityProviders": [{"id": "Facebook-OAuth",
                                                              "type": "Facebook"}]})
    assert r.status_code == 201
    assert r.headers["location"] == "https://graph.microsoft.com/beta/identity/b2cUserFlows/B2C_1_Customer"
    body = r.json()
    assert body["@odata.context"].endswith("#identity/b2cUserFlows/$entity")
    assert {k: body[k] for k in ("id", "userFlowType", "userFlowTypeVersion",
                                 "isLanguageCustomizationEnabled", "defaultLanguageTag")} == {
        "id": "B2C_1_Customer", "userFlowType": "signUpOrSignIn", "userFlowTypeVersion": 3,
        "isLanguageCustomizationEnabled": False, "defaultLanguageTag": "en"}
    again = await client.post(FLOWS, json={"id": "customer", "userFlowType": "signIn",
                                           "userFlowTypeVersion": 1})
    assert again.status_code == 409
    got = await client.get(f"{FLOWS}/B2C_1_Customer?$expand=identityProviders")
    assert got.status_code == 200
    assert [p["id"] for p in got.json()["identityProviders"]] == ["Facebook-OAUTH"]
    assert (await client.delete(f"{FLOWS}/B2C_1_Customer")).status_code == 204
    assert (await client.get(f"{FLOWS}/B2C_1_Customer")).status_code == 404
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries
                  if e["loggedByService"] == "B2C" and e["category"] == "Resource"]
    assert activities == ["Add user flow", "Delete user flow"]


async def test_api_connector_configuration_reads_back_empty(client: httpx.AsyncClient) -> None:
    r = await client.post(FLOWS, json={
        "id": "UserFlowWithAPIConnector", "userFlowType": "signUpOrSignIn",
        "userFlowTypeVersion": 1, "apiConnectorConfiguration": {
            "postFederationSignup": {"@odata.id": "https://graph.microsoft.com/beta/x"}}})
    assert r.status_code == 201
    assert r.json()["id"] == "B2C_1_UserFlowWithAPIConnector"
    assert r.json()["apiConnectorConfiguration"] == {}


@pytest.mark.parametrize(
    "body",
    [
        {"userFlowType": "signIn", "userFlowTypeVersion": 1},
        {"id": "x", "userFlowType": "dance", "userFlowTypeVersion": 1},
        {"id": "x", "userFlowType": "signIn", "userFlowTypeVersion": 7},
        {"id": "x", "userFlowType": "signIn", "userFlowTypeVersion": 1,
         "identityProviders": [{"id": "Nope-OAUTH"}]},
    ],
)
async def test_invalid_flows_are_refused(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    assert (await client.post(FLOWS, json=body)).status_code == 400


async def test_b2c_authentication_methods_policy(emu: Emulator, client: httpx.AsyncClient) -> None:
    got = (await client.get(POLICY)).json()
    assert got == {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#b2cAuthenticationMethodsPolicy",
        "id": "b2CAuthenticationMethodsPolicy", "isEmailPasswordAuthenticationEnabled": True,
        "isUserNameAuthenticationEnabled": False,
        "isPhoneOneTimePasswordAuthenticationEnabled": True}
    change = {"isEmailPasswordAuthenticationEnabled": False,
              "isUserNameAuthenticationEnabled": True,
              "isPhoneOneTimePasswordAuthenticationEnabled": True}
    r = await client.patch(POLICY, json=change)
    assert r.status_code == 204 and r.content == b""
    assert (await client.get(POLICY)).json()["isUserNameAuthenticationEnabled"] is True
    entry = emu.store.audit_log.entries[-1]
    assert entry["activityDisplayName"] == "Update B2C authentication methods policy"
    assert len(entry["targetResources"][0]["modifiedProperties"]) == 2
    assert (await client.patch(POLICY, json={"isUserNameAuthenticationEnabled": True})
            ).status_code == 400
    assert (await client.patch(POLICY, json={**change, "isUserNameAuthenticationEnabled": "yes"})
            ).status_code == 400
