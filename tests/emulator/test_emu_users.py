"""Users: B2C creation rules, updates, deletes, deleted items (30 days), audit, quota."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from emu_support import STRONG_PASSWORD, client_for, error_code, local_account, make

from b2c_tui.emulator import ManualClock

TENANT = "contosob2c.onmicrosoft.com"


def _audits(emu: Any, activity: str) -> list[dict[str, Any]]:
    return [e for e in emu.store.audit_log.entries if e["activityDisplayName"] == activity]


async def _quota(client: httpx.AsyncClient) -> dict[str, int]:
    body = (await client.get("/beta/organization?$select=directorySizeQuota")).json()
    return body["value"][0]["directorySizeQuota"]


async def test_create_local_account_like_b2c() -> None:
    emu = make(users=50)
    async with client_for(emu) as client:
        quota_before = await _quota(client)
        response = await client.post(
            "/v1.0/users", json=local_account("zoë@example.com".replace("ë", "e"))
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert (
            created["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
        )
        assert created["userPrincipalName"] == f"{created['id']}@{TENANT}"
        assert "passwordProfile" not in created
        got = (
            await client.get(
                f"/v1.0/users/{created['id']}?$select=creationType,identities,passwordPolicies"
            )
        ).json()
        assert got["creationType"] == "LocalAccount"
        assert got["passwordPolicies"] == "DisablePasswordExpiration"
        assert {i["signInType"] for i in got["identities"]} == {"emailAddress", "userPrincipalName"}
        by_upn = await client.get(f"/v1.0/users/{created['userPrincipalName']}")
        assert by_upn.json()["id"] == created["id"]
        assert (await _quota(client))["used"] == quota_before["used"] + 1
    [entry] = _audits(emu, "Add user")[-1:]
    assert entry["targetResources"][0]["id"] == created["id"]
    assert entry["loggedByService"] == "Core Directory" and entry["result"] == "success"


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"passwordProfile": None}, "passwordProfile"),
        ({"passwordPolicies": None}, "DisablePasswordExpiration"),
        (
            {"passwordProfile": {"password": "weak", "forceChangePasswordNextSignIn": False}},
            "complexity",
        ),
        (
            {
                "passwordProfile": {
                    "password": STRONG_PASSWORD,
                    "forceChangePasswordNextSignIn": True,
                }
            },
            "forceChangePasswordNextSignIn",
        ),
        (
            {
                "identities": [
                    {
                        "signInType": "emailAddress",
                        "issuer": "other.onmicrosoft.com",
                        "issuerAssignedId": "a@b.com",
                    }
                ]
            },
            "issuer",
        ),
        (
            {
                "identities": [
                    {
                        "signInType": "emailAddress",
                        "issuer": TENANT,
                        "issuerAssignedId": "not-an-email",
                    }
                ]
            },
            "email",
        ),
        (
            {
                "identities": [
                    {"signInType": "userName", "issuer": TENANT, "issuerAssignedId": "-bad name"}
                ]
            },
            "userName",
        ),
        ({"favouriteColour": "blue"}, "favouriteColour"),
        ({"displayName": ""}, "displayName"),
        ({"mail": "zoë@example.com"}, "mail"),
    ],
)
async def test_create_local_account_rules(change: dict[str, Any], text: str) -> None:
    emu = make(users=20)
    body = local_account("rules@example.com")
    for key, value in change.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    async with client_for(emu) as client:
        response = await client.post("/v1.0/users", json=body)
    assert response.status_code == 400, response.text
    assert error_code(response) == "Request_BadRequest"
    assert text in response.json()["error"]["message"]


async def test_duplicate_sign_in_names_are_refused() -> None:
    emu = make(users=300)
    existing = next(
        emu.store.users.get(o)
        for o in emu.store.users.iter_live()
        if (emu.store.users.get(o) or {}).get("identities", [{}])[0].get("signInType")
        == "emailAddress"
    )
    assert existing is not None
    taken = existing["identities"][0]["issuerAssignedId"]
    async with client_for(emu) as client:
        response = await client.post("/v1.0/users", json=local_account(taken.upper()))
        assert response.status_code == 400
        assert "already exists" in response.json()["error"]["message"]
        first = await client.post("/v1.0/users", json=local_account("fresh@example.com"))
        assert first.status_code == 201
        again = await client.post("/v1.0/users", json=local_account("fresh@example.com"))
        assert again.status_code == 400


async def test_social_and_work_accounts() -> None:
    emu = make(users=20)
    async with client_for(emu) as client:
        social = await client.post(
            "/v1.0/users",
            json={
                "displayName": "Fb User",
                "identities": [
                    {
                        "signInType": "federated",
                        "issuer": "facebook.com",
                        "issuerAssignedId": "5eecb0cd",
                    }
                ],
            },
        )
        assert social.status_code == 201
        got = (await client.get(f"/v1.0/users/{social.json()['id']}?$select=creationType")).json()
        assert got["creationType"] is None
        work = await client.post(
            "/v1.0/users", json={"displayName": "Admin", "accountEnabled": True}
        )
        assert work.status_code == 400 and "mailNickname" in work.json()["error"]["message"]
        bad_domain = await client.post(
            "/v1.0/users",
            json={
                "displayName": "A",
                "accountEnabled": True,
                "mailNickname": "a",
                "userPrincipalName": "a@contoso.com",
                "passwordProfile": {"password": STRONG_PASSWORD},
            },
        )
        assert bad_domain.status_code == 400 and "domain" in bad_domain.json()["error"]["message"]


async def test_update_user_and_audit_modified_properties() -> None:
    emu = make(users=40)
    uid = emu.store.users.get(10)["id"]  # type: ignore[index]
    ext = emu.store.users.ext_prefix
    async with client_for(emu) as client:
        response = await client.patch(
            f"/v1.0/users/{uid}",
            json={"displayName": "Jürgen Renamed", f"{ext}membershipTier": "Gold"},
        )
        assert response.status_code == 204 and response.content == b""
        got = (
            await client.get(f"/v1.0/users/{uid}?$select=displayName,{ext}membershipTier")
        ).json()
        assert got["displayName"] == "Jürgen Renamed" and got[f"{ext}membershipTier"] == "Gold"
        cleared = await client.patch(f"/v1.0/users/{uid}", json={"displayName": None})
        assert cleared.status_code == 400
        unknown_ext = await client.patch(f"/v1.0/users/{uid}", json={f"{ext}shoeSize": "42"})
        assert unknown_ext.status_code == 400
        removed = await client.patch(f"/v1.0/users/{uid}", json={f"{ext}membershipTier": None})
        assert removed.status_code == 204
        got = (await client.get(f"/v1.0/users/{uid}?$select=id,{ext}membershipTier")).json()
        assert f"{ext}membershipTier" not in got
        missing = await client.patch("/v1.0/users/00000000-0000-4000-8000-000000000000", json={})
        assert missing.status_code == 404 and error_code(missing) == "Request_ResourceNotFound"
    entry = _audits(emu, "Update user")[-2]
    props = {p["displayName"]: p for p in entry["targetResources"][0]["modifiedProperties"]}
    assert props["displayName"]["newValue"] == '["Jürgen Renamed"]'


async def test_deleted_users_restore_and_expire_after_30_days() -> None:
    clock = ManualClock()
    emu = make(users=60, clock=clock)
    async with client_for(emu) as client:
        quota0 = await _quota(client)
        victim = (await client.get("/v1.0/users?$top=20")).json()["value"][15]
        assert (await client.delete(f"/v1.0/users/{victim['id']}")).status_code == 204
        assert (await client.get(f"/v1.0/users/{victim['id']}")).status_code == 404
        # soft-deleted objects still count against the quota
        assert (await _quota(client))["used"] == quota0["used"]
        deleted = (await client.get("/v1.0/directory/deletedItems/microsoft.graph.user")).json()
        assert deleted["@odata.context"].endswith("$metadata#users")
        assert victim["id"] in {d["id"] for d in deleted["value"]}
        item = (await client.get(f"/v1.0/directory/deleteditems/{victim['id']}")).json()
        assert item["deletedDateTime"] == "2025-01-15T09:30:00Z"
        restored = await client.post(f"/v1.0/directory/deletedItems/{victim['id']}/restore")
        assert restored.status_code == 200
        assert restored.json()["@odata.type"] == "#microsoft.graph.user"
        assert (await client.get(f"/v1.0/users/{victim['id']}")).status_code == 200
        assert (await client.get("/v1.0/directory/deletedItems")).status_code == 400

        assert (await client.delete(f"/v1.0/users/{victim['id']}")).status_code == 204
        clock.advance(days=29, hours=23)
        assert (await client.get(f"/v1.0/directory/deletedItems/{victim['id']}")).status_code == 200
        clock.advance(hours=2)
        assert (await client.get(f"/v1.0/directory/deletedItems/{victim['id']}")).status_code == 404
        late = await client.post(f"/v1.0/directory/deletedItems/{victim['id']}/restore")
        assert late.status_code == 404
        # gone for good: the quota drops (the seeded deleted users expired too)
        assert (await _quota(client))["used"] < quota0["used"]
    assert _audits(emu, "Delete user") and _audits(emu, "Restore user")


async def test_permanent_delete_frees_quota() -> None:
    emu = make(users=60)
    async with client_for(emu) as client:
        created = (await client.post("/v1.0/users", json=local_account("perm@example.com"))).json()
        quota1 = await _quota(client)
        await client.delete(f"/v1.0/users/{created['id']}")
        purge = await client.delete(f"/v1.0/directory/deletedItems/{created['id']}")
        assert purge.status_code == 204
        assert (await _quota(client))["used"] == quota1["used"] - 1
        again = await client.delete(f"/v1.0/directory/deletedItems/{created['id']}")
        assert again.status_code == 404


async def test_restore_conflicting_upn_needs_new_name() -> None:
    emu = make(users=20)
    async with client_for(emu) as client:
        admin = (await client.get("/v1.0/users?$top=1")).json()["value"][0]
        await client.delete(f"/v1.0/users/{admin['id']}")
        other = await client.post(
            "/v1.0/users",
            json={
                "displayName": "Imposter",
                "accountEnabled": True,
                "mailNickname": "x",
                "userPrincipalName": admin["userPrincipalName"],
                "passwordProfile": {"password": STRONG_PASSWORD},
            },
        )
        assert other.status_code == 201
        clash = await client.post(f"/v1.0/directory/deletedItems/{admin['id']}/restore")
        assert clash.status_code == 400
        renamed = await client.post(
            f"/v1.0/directory/deletedItems/{admin['id']}/restore",
            json={"newUserPrincipalName": f"restored@{TENANT}"},
        )
        assert renamed.status_code == 200
        assert renamed.json()["userPrincipalName"] == f"restored@{TENANT}"


async def test_key_syntax_and_case_insensitive_paths() -> None:
    emu = make(users=20)
    uid = emu.store.users.get(5)["id"]  # type: ignore[index]
    async with client_for(emu) as client:
        assert (await client.get(f"/v1.0/USERS('{uid}')")).json()["id"] == uid
        assert (await client.get(f"/v1.0/Users/{uid.upper()}/")).json()["id"] == uid
        assert (
            await client.get("/v1.0/directory/DELETEDITEMS/microsoft.graph.USER")
        ).status_code == 200
        unknown = await client.get("/v1.0/nonsense")
        assert unknown.status_code == 400 and "nonsense" in unknown.json()["error"]["message"]
        wrong_method = await client.put("/v1.0/users")
        assert wrong_method.status_code == 405 and error_code(wrong_method) == "Request_BadRequest"


async def test_a_upn_starting_with_dollar_is_addressed_in_parentheses_only() -> None:
    emu = make(users=30)
    upn = f"$svc@{emu.tenant_domain}"
    emu.store.users.update(7, {"userPrincipalName": upn})
    async with client_for(emu) as client:
        quoted = await client.get(f"/v1.0/users('{upn}')?$select=id,userPrincipalName")
        assert quoted.status_code == 200
        assert quoted.json()["userPrincipalName"] == upn
        for method in ("GET", "PATCH", "DELETE"):
            bare = await client.request(method, f"/v1.0/users/{upn}", json={"jobTitle": "x"})
            assert bare.status_code == 400, method
            assert error_code(bare) == "BadRequest"
            assert upn in bare.json()["error"]["message"]
        assert (await client.get(f"/v1.0/users('{upn}')")).status_code == 200  # not deleted
