"""Paging: $top defaults and limits, nextLink shape, stability under concurrent inserts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from emu_support import all_users, client_for, error_code, local_account, make, walk


async def test_users_default_page_is_100_with_absolute_next_link() -> None:
    emu = make(users=250)
    async with client_for(emu) as client:
        body = (await client.get("/v1.0/users")).json()
    assert len(body["value"]) == 100
    assert body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#users"
    link = body["@odata.nextLink"]
    assert link.startswith("https://graph.microsoft.com/v1.0/users?")
    assert "$skiptoken=" in link


async def test_next_link_keeps_every_original_option_verbatim() -> None:
    emu = make(users=400)
    query = "$top=7&$select=id,displayName&$filter=startswith(displayName,'a')"
    async with client_for(emu) as client:
        body = (await client.get(f"/v1.0/users?{query}")).json()
    link = body["@odata.nextLink"]
    assert link.startswith(f"https://graph.microsoft.com/v1.0/users?{query}&$skiptoken=")
    params = parse_qs(urlsplit(link).query)
    assert params["$top"] == ["7"]
    assert len(params["$skiptoken"]) == 1


async def test_next_link_uses_the_request_host() -> None:
    emu = make(users=150)
    async with client_for(emu, base_url="http://127.0.0.1:8123") as client:
        body = (await client.get("/beta/users?top=5")).json()
    assert len(body["value"]) == 5  # beta: the $ prefix is optional
    assert body["@odata.nextLink"].startswith("http://127.0.0.1:8123/beta/users?top=5&$skiptoken=")
    assert body["@odata.context"] == "http://127.0.0.1:8123/beta/$metadata#users"


async def test_top_limits() -> None:
    emu = make(users=1200)
    async with client_for(emu) as client:
        ok = await client.get("/v1.0/users", params={"$top": 999})
        assert ok.status_code == 200 and len(ok.json()["value"]) == 999
        for bad in ("1000", "0", "-3"):
            response = await client.get("/v1.0/users", params={"$top": bad})
            assert response.status_code == 400
            assert error_code(response) == "Request_BadRequest"
            assert "Invalid page size specified" in response.json()["error"]["message"]
        oversize_apps = await client.get("/v1.0/applications", params={"$top": 1000})
        assert oversize_apps.status_code == 400
        not_int = await client.get("/v1.0/users", params={"$top": "ten"})
        assert not_int.status_code == 400


async def test_walk_returns_every_user_once() -> None:
    emu = make(users=2345)
    expected = [u["id"] for u in all_users(emu)]
    async with client_for(emu) as client:
        items = await walk(client, "/v1.0/users?$top=999&$select=id")
    ids = [u["id"] for u in items]
    assert ids == expected
    assert len(set(ids)) == len(ids) == emu.store.users.live_count()


async def test_no_duplicates_or_losses_with_inserts_between_pages() -> None:
    emu = make(users=500)
    before = {u["id"] for u in all_users(emu)}
    seen: list[str] = []
    async with client_for(emu) as client:
        url: str | None = "/v1.0/users?$top=120&$select=id"
        n = 0
        while url:
            body = (await client.get(url)).json()
            seen.extend(u["id"] for u in body["value"])
            url = body.get("@odata.nextLink")
            response = await client.post("/v1.0/users", json=local_account(f"new{n}@example.com"))
            assert response.status_code == 201, response.text
            n += 1
    assert len(seen) == len(set(seen))
    assert before <= set(seen)


async def test_filtered_pages_do_not_repeat() -> None:
    emu = make(users=3000)
    expected = [u["id"] for u in all_users(emu) if u["displayName"].casefold().startswith("j")]
    async with client_for(emu) as client:
        items = await walk(client, "/v1.0/users?$filter=startswith(displayName,'J')&$top=25")
    assert [u["id"] for u in items] == expected


async def test_invalid_skiptoken_is_refused() -> None:
    emu = make(users=10)
    async with client_for(emu) as client:
        response = await client.get("/v1.0/users?$skiptoken=garbage")
    assert response.status_code == 400
    assert error_code(response) == "Request_BadRequest"


async def test_applications_and_audits_page() -> None:
    emu = make(users=50)
    async with client_for(emu) as client:
        for n in range(12):
            await client.post("/v1.0/applications", json={"displayName": f"App {n}"})
        apps = await walk(client, "/v1.0/applications?$top=5")
        assert len(apps) == len(emu.store.apps.apps)
        assert len({a["id"] for a in apps}) == len(apps)
        audits = await walk(client, "/v1.0/auditLogs/directoryAudits?$top=50")
        assert len(audits) == len(emu.store.audit_log)
        stamps = [a["activityDateTime"] for a in audits]
        assert stamps == sorted(stamps, reverse=True)


async def test_repeated_default_listing_reflects_changes() -> None:
    emu = make(users=300)
    async with client_for(emu) as client:
        first = (await client.get("/v1.0/users?$top=50")).json()["value"]
        again = (await client.get("/v1.0/users?$top=50")).json()["value"]
        assert again == first
        target = first[20]["id"]
        await client.patch(f"/v1.0/users/{target}", json={"displayName": "Renamed Between"})
        await client.delete(f"/v1.0/users/{first[30]['id']}")
        after = (await client.get("/v1.0/users?$top=50")).json()["value"]
    names = {u["id"]: u["displayName"] for u in after}
    assert names[target] == "Renamed Between"
    assert first[30]["id"] not in names
