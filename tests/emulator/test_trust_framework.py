"""Behaviour of /trustFramework/policies: seeded starter packs, upload checks, PUT 200/201."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest

from b2c_tui.emulator import Emulator
from b2c_tui.emulator.identity.policy_xml import NAMESPACE

POLICIES = "/beta/trustFramework/policies"
XML = {"Content-Type": "application/xml"}
NS = {"t": NAMESPACE}


def policy(emu: Emulator, policy_id: str, base: str | None = None, tenant: str | None = None,
           body: str = "") -> str:
    tenant = tenant or emu.tenant_domain
    base_xml = (f"<BasePolicy><TenantId>{tenant}</TenantId><PolicyId>{base}</PolicyId>"
                "</BasePolicy>") if base else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<TrustFrameworkPolicy '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{NAMESPACE}" '
            f'PolicySchemaVersion="0.3.0.0" TenantId="{tenant}" PolicyId="{policy_id}">'
            f"{base_xml}<!-- Zoë's policy -->{body}</TrustFrameworkPolicy>")


async def test_starter_packs_are_seeded_base_first(
    emu: Emulator, client: httpx.AsyncClient
) -> None:
    listed = (await client.get(POLICIES)).json()
    assert listed["@odata.context"] == "https://graph.microsoft.com/beta/$metadata#trustFramework/policies"
    ids = [p["id"] for p in listed["value"]]
    assert set(listed["value"][0]) == {"id"}
    assert len(ids) == 17 and len({i.lower() for i in ids}) == 17
    for tag in ("", "Social_", "SocialAndLocal_"):
        chain = [f"B2C_1A_{tag}TrustFrameworkBase", f"B2C_1A_{tag}TrustFrameworkLocalization",
                 f"B2C_1A_{tag}TrustFrameworkExtensions", f"B2C_1A_{tag}signup_signin"]
        assert [ids.index(c) for c in chain] == sorted(ids.index(c) for c in chain)
    position = {pid: n for n, pid in enumerate(ids)}
    for pid in ids:
        r = await client.get(f"{POLICIES}/{pid}/$value")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(r.content)
        assert root.get("TenantId") == emu.tenant_domain
        assert root.get("PolicyId") == pid
        base = root.findtext("t:BasePolicy/t:PolicyId", namespaces=NS)
        if base is not None:
            assert position[base] < position[pid]  # every base was uploaded before its child
        assert b"yourtenant" not in r.content


async def test_ief_app_ids_are_filled_in(emu: Emulator, client: httpx.AsyncClient) -> None:
    text = (await client.get(f"{POLICIES}/B2C_1A_TrustFrameworkExtensions/$value")).text
    proxy = next(a["appId"] for a in emu.store.apps.apps.values()
                 if a["displayName"] == "ProxyIdentityExperienceFramework")
    assert proxy in text and "ProxyIdentityExperienceFrameworkAppId" not in text


async def test_get_entity_and_missing(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{POLICIES}/b2c_1a_trustframeworkbase")
    assert r.json() == {"@odata.context": "https://graph.microsoft.com/beta/$metadata#"
                        "trustFramework/policies/$entity", "id": "B2C_1A_TrustFrameworkBase"}
    assert (await client.get(f"{POLICIES}/B2C_1A_Nope/$value")).status_code == 404
    assert (await client.get("/v1.0/trustFramework/policies")).status_code in (400, 405)


async def test_post_creates_with_location_then_conflicts(emu: Emulator,
                                                         client: httpx.AsyncClient) -> None:
    doc = policy(emu, "B2C_1A_Zoe", base="B2C_1A_TrustFrameworkExtensions")
    r = await client.post(POLICIES, content=doc.encode(), headers=XML)
    assert r.status_code == 201, r.text
    assert r.headers["content-type"].startswith("application/xml")
    assert r.headers["location"] == "/trustFramework/policies/B2C_1A_Zoe/"
    assert f'PublicPolicyUri="http://{emu.tenant_domain}/B2C_1A_Zoe"' in r.text
    assert "Zoë's policy" in r.text
    assert (await client.post(POLICIES, content=doc.encode(), headers=XML)).status_code == 409
    entry = emu.store.audit_log.entries[-1]
    assert (entry["activityDisplayName"], entry["category"], entry["loggedByService"]) == (
        "Upload policy", "Resource", "B2C")
    assert entry["targetResources"][0]["id"] == "B2C_1A_Zoe"


async def test_put_answers_201_then_200(emu: Emulator, client: httpx.AsyncClient) -> None:
    url = f"{POLICIES}/B2C_1A_New/$value"
    first = await client.put(url, content=policy(emu, "B2C_1A_New").encode(), headers=XML)
    assert first.status_code == 201
    second = await client.put(url, content=policy(emu, "B2C_1A_New", body="<x/>").encode(),
                              headers=XML)
    assert second.status_code == 200
    assert "<x/>" in (await client.get(url)).text
    assert [e["activityDisplayName"] for e in emu.store.audit_log.entries[-2:]] == [
        "Upload policy", "Update policy"]


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("malformed", "invalid XML"),
        ("mismatch", "does not match the PolicyId"),
        ("tenant", "is not same as the one in login tenant"),
        ("missing_base", "cannot be found in the directory"),
        ("dtd", "DTD"),
        ("cycle", "inheritance cycle"),
    ],
)
async def test_refused_uploads(emu: Emulator, client: httpx.AsyncClient, kind: str,
                               fragment: str) -> None:
    url = f"{POLICIES}/B2C_1A_TrustFrameworkBase/$value"
    docs = {
        "malformed": policy(emu, "B2C_1A_TrustFrameworkBase")[:-10],
        "mismatch": policy(emu, "B2C_1A_Other"),
        "tenant": policy(emu, "B2C_1A_TrustFrameworkBase", tenant="fabrikam.onmicrosoft.com"),
        "missing_base": policy(emu, "B2C_1A_TrustFrameworkBase", base="B2C_1A_NotYet"),
        "dtd": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
               + policy(emu, "B2C_1A_TrustFrameworkBase").split("?>", 1)[1],
        "cycle": policy(emu, "B2C_1A_TrustFrameworkBase", base="B2C_1A_signup_signin"),
    }
    before = (await client.get(url)).content
    r = await client.put(url, content=docs[kind].encode(), headers=XML)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "AADB2C"
    assert error["message"].startswith("Validation failed: 1 validation error(s) found in policy")
    assert fragment in error["message"]
    assert (await client.get(url)).content == before  # nothing was stored


async def test_missing_base_message_names_tenant(emu: Emulator, client: httpx.AsyncClient) -> None:
    doc = policy(emu, "B2C_1A_Child", base="B2C_1A_Parent")
    r = await client.post(POLICIES, content=doc.encode(), headers=XML)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        f'Validation failed: 1 validation error(s) found in policy "B2C_1A_CHILD" of tenant '
        f'"{emu.tenant_domain}".Policy with \'policyId\': B2C_1A_PARENT cannot be found in the '
        f"directory '{emu.tenant_id}'.")
    parent = policy(emu, "B2C_1A_Parent")
    assert (await client.post(POLICIES, content=parent.encode(), headers=XML)).status_code == 201
    assert (await client.post(POLICIES, content=doc.encode(), headers=XML)).status_code == 201


async def test_json_body_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post(POLICIES, json={"id": "B2C_1A_X"})
    assert r.status_code == 415


async def test_delete_base_is_allowed(emu: Emulator, client: httpx.AsyncClient) -> None:
    r = await client.delete(f"{POLICIES}/B2C_1A_TrustFrameworkBase")
    assert r.status_code == 204
    assert (await client.get(f"{POLICIES}/B2C_1A_TrustFrameworkBase/$value")).status_code == 404
    # Its children stay; a new upload inheriting from it is now refused.
    assert (await client.get(f"{POLICIES}/B2C_1A_TrustFrameworkLocalization")).status_code == 200
    doc = policy(emu, "B2C_1A_Orphan", base="B2C_1A_TrustFrameworkBase")
    assert (await client.post(POLICIES, content=doc.encode(), headers=XML)).status_code == 400
    # Refused uploads change nothing, so the delete is still the latest audit entry.
    assert emu.store.audit_log.entries[-1]["activityDisplayName"] == "Delete policy"
