"""Behaviour of /identity/conditionalAccess: policies, templates, and its 1 request/s limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from b2c_tui.emulator import Emulator, ManualClock

CA = "/v1.0/identity/conditionalAccess"
EXO_MFA = {
    "displayName": "Access to EXO requires MFA – Zoë",
    "state": "enabled",
    "conditions": {
        "clientAppTypes": ["mobileAppsAndDesktopClients", "browser"],
        "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000"]},
        "users": {"includeGroups": ["ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba"]},
        "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
    },
    "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}


class Paced:
    """A client that waits out Conditional Access's 1 request/s by moving the clock."""

    def __init__(self, client: httpx.AsyncClient, clock: ManualClock) -> None:
        self.client, self.clock = client, clock

    async def __call__(self, method: str, url: str, **kw: Any) -> httpx.Response:
        self.clock.advance(seconds=1.01)
        return await self.client.request(method, url, **kw)


@pytest.fixture
async def ca(emu: Emulator, clock: ManualClock) -> AsyncIterator[Paced]:
    transport = httpx.ASGITransport(app=emu.asgi)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://graph.microsoft.com") as c:
        yield Paced(c, clock)


async def test_list_and_get(ca: Paced) -> None:
    body = (await ca("GET", f"{CA}/policies")).json()
    assert body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#conditionalAccess/policies"
    policy = body["value"][0]
    assert set(policy) >= {"id", "templateId", "displayName", "createdDateTime",
                           "modifiedDateTime", "state", "sessionControls", "conditions",
                           "grantControls"}
    assert policy["conditions"]["users"]["excludeGroups"] == []
    got = (await ca("GET", f"{CA}/policies/{policy['id']}")).json()
    assert got["@odata.context"].endswith("#conditionalAccess/policies/$entity")
    assert got["displayName"] == policy["displayName"]
    assert (await ca("GET", f"{CA}/policies/{'0' * 8}-0000-4000-8000-{'0' * 12}")
            ).status_code == 404
    selected = (await ca("GET", f"{CA}/policies?$select=displayName,state&$top=1")).json()
    assert set(selected["value"][0]) == {"displayName", "state"}
    assert "@odata.nextLink" in selected
    enabled = (await ca("GET", f"{CA}/policies", params={"$filter": "state eq 'disabled'"})).json()
    assert [p["state"] for p in enabled["value"]] == ["disabled"]
    ordered = (await ca("GET", f"{CA}/policies?$orderby=displayName desc")).json()["value"]
    names = [p["displayName"] for p in ordered]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert (await ca("GET", "/beta/identity/conditionalAccess/policies")).status_code == 200


async def test_create_update_delete_with_audit(emu: Emulator, clock: ManualClock,
                                               ca: Paced) -> None:
    r = await ca("POST", f"{CA}/policies", json=EXO_MFA)
    assert r.status_code == 201
    created = r.json()
    assert created["createdDateTime"].startswith(str(clock().year))
    assert created["modifiedDateTime"] is None and created["sessionControls"] is None
    assert created["conditions"]["users"]["includeUsers"] == []
    assert created["conditions"]["signInRiskLevels"] == []
    assert created["grantControls"]["termsOfUse"] == []
    url = f"{CA}/policies/{created['id']}"
    patched = await ca("PATCH", url, json={"conditions": {"signInRiskLevels": ["high", "low"]}})
    assert patched.status_code == 204
    got = (await ca("GET", url)).json()
    assert got["conditions"]["signInRiskLevels"] == ["high", "low"]
    assert got["conditions"]["clientAppTypes"] == ["mobileAppsAndDesktopClients", "browser"]
    assert got["modifiedDateTime"] is not None
    assert (await ca("PATCH", url, json={"state": "sometimes"})).status_code == 400
    assert (await ca("DELETE", url)).status_code == 204
    assert (await ca("GET", url)).status_code == 404
    entries = emu.store.audit_log.entries[-3:]
    assert [e["activityDisplayName"] for e in entries] == [
        "Add conditional access policy", "Update conditional access policy",
        "Delete conditional access policy"]
    assert {e["loggedByService"] for e in entries} == {"Conditional Access"}
    assert {e["category"] for e in entries} == {"Policy"}


@pytest.mark.parametrize(
    "change",
    [
        {"state": None},
        {"conditions": {"applications": {}, "users": {"includeUsers": ["All"]}}},
        {"conditions": {"applications": {"includeApplications": ["All"]}, "users": {}}},
        {"grantControls": None},
        {"colour": "blue"},
    ],
)
async def test_invalid_policies_are_refused(ca: Paced, change: dict[str, Any]) -> None:
    body = {**EXO_MFA, **change}
    if body.get("state") is None:
        body.pop("state", None)
    assert (await ca("POST", f"{CA}/policies", json=body)).status_code == 400


async def test_templates(ca: Paced) -> None:
    body = (await ca("GET", f"{CA}/templates")).json()
    assert body["@odata.context"].endswith("$metadata#identity/conditionalAccess/templates")
    mfa = next(t for t in body["value"] if t["id"] == "c7503427-338e-4c5e-902d-abe252abfb43")
    assert mfa["details"]["grantControls"]["builtInControls"] == ["mfa"]
    assert set(mfa["details"]) == {"sessionControls", "conditions", "grantControls"}
    r = await ca("GET", f"{CA}/templates", params={
        "$select": "name,description,id,scenarios", "$filter": "scenarios has 'protectAdmins'"})
    value = r.json()["value"]
    assert r.json()["@odata.context"].endswith("templates(name,description,id,scenarios)")
    assert {t["id"] for t in value} == {"c7503427-338e-4c5e-902d-abe252abfb43",
                                        "0b2282f9-2862-4178-88b5-d79340b36cb8"}
    assert all(set(t) == {"name", "description", "id", "scenarios"} for t in value)


async def test_throttled_at_one_request_per_second_without_retry_after(
    emu: Emulator, clock: ManualClock
) -> None:
    transport = httpx.ASGITransport(app=emu.asgi)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://graph.microsoft.com") as c:
        assert (await c.get(f"{CA}/policies")).status_code == 200
        throttled = await c.get(f"{CA}/templates")
        assert throttled.status_code == 429
        assert "retry-after" not in throttled.headers
        assert throttled.json()["error"]["code"] == "TooManyRequests"
        # Other families are unaffected...
        assert (await c.get("/beta/trustFramework/keySets")).status_code == 200
        clock.advance(seconds=1)
        # ...and a second later Conditional Access answers again.
        assert (await c.get(f"{CA}/templates")).status_code == 200
