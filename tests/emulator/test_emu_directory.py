"""Applications, service principals, grants, organization quota and the audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emu_support import client_for, error_code, local_account, make

from b2c_tui.emulator import ManualClock
from b2c_tui.emulator.directory.app_records import EXTENSIONS_APP_NAME, GRAPH_APP_ID


async def test_seeded_applications_include_the_extensions_app() -> None:
    emu = make(users=30)
    async with client_for(emu) as client:
        body = (await client.get("/v1.0/applications")).json()
        names = {a["displayName"] for a in body["value"]}
        assert EXTENSIONS_APP_NAME in names
        ext_app = next(a for a in body["value"] if a["displayName"] == EXTENSIONS_APP_NAME)
        assert emu.store.users.ext_prefix == f"extension_{ext_app['appId'].replace('-', '')}_"
        graph = (
            await client.get(f"/v1.0/servicePrincipals?$filter=appId eq '{GRAPH_APP_ID}'")
        ).json()
        assert len(graph["value"]) == 1
        starts = (
            await client.get(
                "/v1.0/applications?$filter=startswith(displayName,'b2c')&$select=displayName"
            )
        ).json()
        assert starts["value"] and all(a["displayName"].startswith("b2c") for a in starts["value"])
        assert starts["@odata.context"].endswith("$metadata#applications(displayName)")
        ordered = await client.get("/v1.0/applications?$orderby=displayName")
        assert ordered.status_code == 400


async def test_application_lifecycle_with_service_principal_and_grant() -> None:
    emu = make(users=30)
    async with client_for(emu) as client:
        missing_name = await client.post("/v1.0/applications", json={})
        assert missing_name.status_code == 400
        created = await client.post("/v1.0/applications", json={"displayName": "Display name"})
        assert created.status_code == 201
        app = created.json()
        assert app["@odata.context"].endswith("$metadata#applications/$entity")
        assert app["signInAudience"] == "AzureADandPersonalMicrosoftAccount"
        assert app["passwordCredentials"] == [] and app["api"]["requestedAccessTokenVersion"] == 2
        by_key = (await client.get(f"/v1.0/applications(appId='{app['appId']}')")).json()
        assert by_key["id"] == app["id"]
        patched = await client.patch(
            f"/v1.0/applications(appId='{app['appId']}')", json={"displayName": "New display name"}
        )
        assert patched.status_code == 204
        read_only = await client.patch(
            f"/v1.0/applications/{app['id']}", json={"passwordCredentials": []}
        )
        assert read_only.status_code == 400
        sp = await client.post("/v1.0/serviceprincipals", json={"appId": app["appId"]})
        assert sp.status_code == 201
        assert sp.json()["appDisplayName"] == "New display name"
        dup = await client.post("/v1.0/servicePrincipals", json={"appId": app["appId"]})
        assert dup.status_code == 409
        nope = await client.post("/v1.0/servicePrincipals", json={"appId": "no-such-app"})
        assert nope.status_code == 400
        graph_sp = emu.store.apps.sp_by_app_id(GRAPH_APP_ID)
        assert graph_sp is not None
        grant = await client.post(
            "/v1.0/oauth2PermissionGrants",
            json={
                "clientId": sp.json()["id"],
                "consentType": "AllPrincipals",
                "resourceId": graph_sp["id"],
                "scope": "User.Read",
            },
        )
        assert grant.status_code == 201
        assert grant.json()["principalId"] is None
        gid = grant.json()["id"]
        assert (await client.get(f"/v1.0/oauth2PermissionGrants/{gid}")).json()[
            "scope"
        ] == "User.Read"
        assert (await client.delete(f"/v1.0/oauth2PermissionGrants/{gid}")).status_code == 204

        assert (await client.delete(f"/v1.0/applications/{app['id']}")).status_code == 204
        assert (await client.get(f"/v1.0/applications/{app['id']}")).status_code == 404
        deleted_apps = (
            await client.get("/v1.0/directory/deleteditems/microsoft.graph.application")
        ).json()
        assert app["id"] in {a["id"] for a in deleted_apps["value"]}
        restored = await client.post(f"/v1.0/directory/deletedItems/{app['id']}/restore")
        assert restored.status_code == 200
        assert restored.json()["@odata.type"] == "#microsoft.graph.application"
        # restoring the app does not bring its service principal back
        assert emu.store.apps.sp_by_app_id(app["appId"]) is None
        deleted_sps = (
            await client.get("/v1.0/directory/deletedItems/microsoft.graph.servicePrincipal")
        ).json()
        assert sp.json()["id"] in {s["id"] for s in deleted_sps["value"]}
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries]
    for activity in (
        "Add application",
        "Update application",
        "Add service principal",
        "Add delegated permission grant",
        "Remove delegated permission grant",
        "Delete application",
        "Restore application",
    ):
        assert activity in activities


async def test_organization_quota_follows_object_counts() -> None:
    emu = make(users=100)
    async with client_for(emu) as client:
        orgs = (await client.get("/v1.0/organization")).json()
        assert len(orgs["value"]) == 1
        org = orgs["value"][0]
        assert org["id"] == emu.tenant_id and org["tenantType"] == "AAD B2C"
        used = org["directorySizeQuota"]["used"]
        assert org["directorySizeQuota"]["total"] == 50_000
        assert used == emu.store.quota_used()
        await client.post("/v1.0/users", json=local_account("q1@example.com"))
        await client.post("/v1.0/applications", json={"displayName": "Quota app"})
        single = (await client.get(f"/v1.0/organization/{emu.tenant_id}")).json()
        assert single["directorySizeQuota"]["used"] == used + 2
        assert single["@odata.context"].endswith("$metadata#organization/$entity")
        emu.store.add_quota_hook("test", lambda: 5)
        beta = (
            await client.get(f"/beta/organization/{emu.tenant_id}?$select=directorySizeQuota")
        ).json()
        assert beta == {
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#organization"
            "(directorySizeQuota)/$entity",
            "directorySizeQuota": {"used": used + 7, "total": 50_000},
        }
        assert (
            await client.get("/v1.0/organization/00000000-0000-0000-0000-000000000000")
        ).status_code == 404
        assert (
            await client.patch(
                f"/v1.0/organization/{emu.tenant_id}",
                json={"technicalNotificationMails": ["a@b.com"]},
            )
        ).status_code == 204
        assert (
            await client.patch(f"/v1.0/organization/{emu.tenant_id}", json={"displayName": "x"})
        ).status_code == 400


async def test_audit_entries_filters_and_get() -> None:
    clock = ManualClock()
    emu = make(users=200, clock=clock)
    async with client_for(emu) as client:
        clock.advance(hours=1)
        created = (await client.post("/v1.0/users", json=local_account("audit@example.com"))).json()
        clock.advance(minutes=5)
        await client.delete(f"/v1.0/users/{created['id']}")
        recent = (
            await client.get(
                "/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge 2025-01-15T10:00:00Z"
            )
        ).json()
        assert [e["activityDisplayName"] for e in recent["value"]] == ["Delete user", "Add user"]
        assert recent["value"][0]["targetResources"][0]["id"] == created["id"]
        assert recent["value"][0]["initiatedBy"]["app"]["appId"]
        window = (
            await client.get(
                "/v1.0/auditLogs/directoryaudits?$filter=activityDateTime ge 2025-01-15T10:00:00Z "
                "and activityDateTime le 2025-01-15T10:31:00Z"
            )
        ).json()
        assert [e["activityDisplayName"] for e in window["value"]] == ["Add user"]
        failures = (
            await client.get("/v1.0/auditLogs/directoryAudits?$filter=result eq 'failure'&$top=5")
        ).json()
        assert failures["value"] and all(e["result"] == "failure" for e in failures["value"])
        by_category = (
            await client.get(
                "/v1.0/auditLogs/directoryAudits?$filter=category eq 'UserManagement'"
                f" and targetResources/any(t:t/id eq '{created['id']}')"
            )
        ).json()
        assert len(by_category["value"]) == 2
        entry_id = recent["value"][0]["id"]
        one = (await client.get(f"/v1.0/auditLogs/directoryAudits/{entry_id}")).json()
        assert one["id"] == entry_id and "value" not in one
        asc = (
            await client.get("/v1.0/auditLogs/directoryAudits?$orderby=activityDateTime asc&$top=3")
        ).json()
        stamps = [e["activityDateTime"] for e in asc["value"]]
        assert stamps == sorted(stamps)
        missing = await client.get("/v1.0/auditLogs/directoryAudits/nope")
        assert missing.status_code == 404 and error_code(missing) == "Request_ResourceNotFound"


async def test_a_single_grant_honours_select_like_every_directory_entity() -> None:
    emu = make(users=20)
    grant = next(iter(emu.store.apps.grants.values()))
    async with client_for(emu) as client:
        r = await client.get(f"/v1.0/oauth2PermissionGrants/{grant['id']}?$select=scope")
    assert r.status_code == 200
    body = r.json()
    assert body["@odata.context"].endswith("#oauth2PermissionGrants(scope)/$entity")
    assert {k for k in body if not k.startswith("@")} == {"scope"}


def _missing_keys(
    documented: dict[str, Any], answered: dict[str, Any], path: str = ""
) -> list[str]:
    """Keys (nested objects too) the documented body has and the answer lacks."""
    missing = []
    for key, value in documented.items():
        if key not in answered:
            missing.append(path + key)
        elif isinstance(value, dict) and isinstance(answered[key], dict):
            missing += _missing_keys(value, answered[key], f"{path}{key}.")
    return missing


async def test_created_application_and_service_principal_carry_the_documented_keys(
    contract_dir: Path,
) -> None:
    def documented(op: str) -> dict[str, Any]:
        example = json.loads((contract_dir / f"{op}.json").read_text("utf-8"))["examples"][0]
        return dict(example["response"]["body"])

    emu = make(users=20)
    async with client_for(emu) as client:
        app = await client.post("/v1.0/applications", json={"displayName": "Display name"})
        assert app.status_code == 201
        sp = await client.post("/v1.0/servicePrincipals", json={"appId": app.json()["appId"]})
        assert sp.status_code == 201
        selected = await client.get(
            f"/v1.0/servicePrincipals/{sp.json()['id']}?$select=publisherName"
        )
    assert _missing_keys(documented("application-post-applications"), app.json()) == []
    assert _missing_keys(documented("serviceprincipal-post-serviceprincipals"), sp.json()) == []
    assert sp.json()["publisherName"] == emu.store.display_name
    assert selected.json()["publisherName"] == emu.store.display_name
