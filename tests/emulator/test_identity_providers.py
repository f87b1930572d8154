"""Behaviour of the emulator's /identity/identityProviders routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from b2c_tui.emulator import Emulator

IDP = "/identity/identityProviders"


def audits(emu: Emulator, activity: str) -> list[dict[str, Any]]:
    return [e for e in emu.store.audit_log.entries if e["activityDisplayName"] == activity]


async def test_list_masks_secrets_and_hides_oidc_in_v1(client: httpx.AsyncClient) -> None:
    beta = (await client.get(f"/beta{IDP}")).json()
    assert beta["@odata.context"] == "https://graph.microsoft.com/beta/$metadata#identity/identityProviders"
    types = {p["@odata.type"] for p in beta["value"]}
    assert {"#microsoft.graph.socialIdentityProvider", "#microsoft.graph.builtInIdentityProvider",
            "#microsoft.graph.openIdConnectIdentityProvider"} <= types
    for provider in beta["value"]:
        if "clientSecret" in provider:
            assert provider["clientSecret"] == "******"
    v1 = (await client.get(f"/v1.0{IDP}")).json()["value"]
    assert all(p["@odata.type"] != "#microsoft.graph.openIdConnectIdentityProvider" for p in v1)
    assert {"Facebook-OAUTH", "Google-OAUTH"} <= {p["id"] for p in v1}


async def test_available_provider_types(client: httpx.AsyncClient) -> None:
    r = await client.get(f"/v1.0{IDP}/availableProviderTypes")
    assert r.status_code == 200
    body = r.json()
    assert body["@odata.context"].endswith("$metadata#Collection(Edm.String)")
    assert {"Google", "Facebook", "AppleManaged", "OpenIdConnect"} <= set(body["value"])


async def test_create_social_get_update_delete(emu: Emulator, client: httpx.AsyncClient) -> None:
    created = await client.post(f"/v1.0{IDP}", json={
        "@odata.type": "microsoft.graph.socialIdentityProvider", "displayName": "Login with Amazon",
        "identityProviderType": "Amazon", "clientId": "56433757-cadd-4135-8431-2c9e3fd68ae8",
        "clientSecret": "000000000000"})
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == "Amazon-OAUTH" and body["displayName"] == "Login with Amazon"
    assert body["@odata.type"] == "microsoft.graph.socialIdentityProvider"  # echoed as sent
    again = await client.post(f"/v1.0{IDP}", json={
        "@odata.type": "microsoft.graph.socialIdentityProvider", "displayName": "x",
        "identityProviderType": "amazon", "clientId": "a", "clientSecret": "b"})
    assert again.status_code == 409

    got = (await client.get(f"/v1.0{IDP}/Amazon-OAUTH")).json()
    assert got["clientSecret"] == "******" and got["identityProviderType"] == "Amazon"

    patched = await client.patch(f"/v1.0{IDP}/Amazon-OAUTH", json={
        "@odata.type": "#microsoft.graph.socialIdentityProvider", "clientSecret": "1111111111111",
        "displayName": "Amazon für Zoë"})
    assert patched.status_code == 204 and patched.content == b""
    got = (await client.get(f"/v1.0{IDP}/amazon-oauth")).json()  # ids are case-insensitive
    assert got["displayName"] == "Amazon für Zoë" and got["clientSecret"] == "******"
    update = audits(emu, "Update identity provider")[-1]
    props = {p["displayName"]: p for p in update["targetResources"][0]["modifiedProperties"]}
    assert props["clientSecret"]["newValue"] is None  # secrets never reach the audit log

    assert (await client.delete(f"/v1.0{IDP}/Amazon-OAUTH")).status_code == 204
    assert (await client.get(f"/v1.0{IDP}/Amazon-OAUTH")).status_code == 404
    entries = [*audits(emu, "Add identity provider"), *audits(emu, "Delete identity provider")]
    assert len(entries) == 2
    assert all(e["loggedByService"] == "B2C" and e["category"] == "Resource"
               for e in entries)


async def test_create_apple_and_oidc(client: httpx.AsyncClient) -> None:
    apple = await client.post(f"/v1.0{IDP}", json={
        "@odata.type": "microsoft.graph.appleManagedIdentityProvider",
        "displayName": "Sign in with Apple", "developerId": "UBF8T346G9",
        "serviceId": "com.microsoft.rts.b2c.test.client", "keyId": "99P6D879C4",
        "certificateData": "******"})
    assert apple.status_code == 201 and apple.json()["id"] == "Apple-Managed-OIDC"
    oidc_body = {
        "@odata.type": "microsoft.graph.openIdConnectIdentityProvider", "displayName": "Contoso",
        "clientId": "00001111-aaaa-2222-bbbb-3333cccc4444", "clientSecret": "4294967296",
        "claimsMapping": {"userId": "myUserId", "givenName": "myGivenName"},
        "domainHint": "mycustomoidc",
        "metadataUrl": "https://mycustomoidc.com/.well-known/openid-configuration",
        "responseMode": "form_post", "responseType": "code", "scope": "openid"}
    assert (await client.post(f"/v1.0{IDP}", json=oidc_body)).status_code == 400  # beta only
    oidc = await client.post(f"/beta{IDP}", json=oidc_body)
    assert oidc.status_code == 201
    assert oidc.json()["id"] == "Contoso-OIDC-00001111-aaaa-2222-bbbb-3333cccc4444"
    got = (await client.get(f"/beta{IDP}/{oidc.json()['id']}")).json()
    assert got["clientSecret"] == "******" and got["claimsMapping"]["userId"] == "myUserId"
    assert (await client.get(f"/v1.0{IDP}/{oidc.json()['id']}")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"displayName": "no type", "clientId": "a", "clientSecret": "b"},
        {"@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "x",
         "identityProviderType": "MySpace", "clientId": "a", "clientSecret": "b"},
        {"@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "x",
         "identityProviderType": "Amazon", "clientId": "a"},
        {"@odata.type": "#microsoft.graph.builtInIdentityProvider", "displayName": "x"},
    ],
)
async def test_invalid_creates_are_refused(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    r = await client.post(f"/beta{IDP}", json=body)
    assert r.status_code == 400
    assert set(r.json()["error"]) == {"code", "message", "innerError"}


async def test_builtin_providers_cannot_change(client: httpx.AsyncClient) -> None:
    r = await client.patch(f"/v1.0{IDP}/EmailPassword-OAUTH", json={"displayName": "x"})
    assert r.status_code == 400
    assert (await client.delete(f"/v1.0{IDP}/EmailPassword-OAUTH")).status_code == 400


async def test_unknown_or_readonly_properties_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.patch(f"/v1.0{IDP}/Google-OAUTH",
                               json={"identityProviderType": "Amazon"})).status_code == 400
    assert (await client.patch(f"/v1.0{IDP}/Google-OAUTH",
                               json={"colour": "blue"})).status_code == 400


async def test_delete_unlinks_provider_from_user_flows(client: httpx.AsyncClient) -> None:
    assert (await client.delete(f"/v1.0{IDP}/Google-OAUTH")).status_code == 204
    flows = (await client.get("/beta/identity/b2cUserFlows?$expand=identityProviders")).json()
    ids = {p["id"] for flow in flows["value"] for p in flow["identityProviders"]}
    assert "Google-OAUTH" not in ids and "Facebook-OAUTH" in ids


async def test_v1_list_of_a_b2c_tenant_holds_social_and_apple_providers_only(
    client: httpx.AsyncClient,
) -> None:
    apple = await client.post(f"/v1.0{IDP}", json={
        "@odata.type": "microsoft.graph.appleManagedIdentityProvider",
        "displayName": "Sign in with Apple", "developerId": "UBF8T346G9", "serviceId": "com.zoe",
        "keyId": "99P6D879C4", "certificateData": "-----BEGIN PRIVATE KEY-----x"})
    assert apple.status_code == 201
    v1 = (await client.get(f"/v1.0{IDP}")).json()["value"]
    assert {p["@odata.type"] for p in v1} == {
        "#microsoft.graph.socialIdentityProvider", "#microsoft.graph.appleManagedIdentityProvider"}
    beta = (await client.get(f"/beta{IDP}")).json()["value"]
    assert "#microsoft.graph.builtInIdentityProvider" in {p["@odata.type"] for p in beta}
    # a built-in provider is still addressed by its id (and still cannot change)
    assert (await client.get(f"/v1.0{IDP}/EmailPassword-OAUTH")).status_code == 200
