"""Authentication methods: fixed ids, one per phoneType, number format, email, OATH."""

from __future__ import annotations

from emu_support import client_for, error_code, make

from b2c_tui.emulator.users.generator import EMAIL_METHOD_ID, PHONE_IDS


def _user_without(emu, predicate):  # type: ignore[no-untyped-def]
    users = emu.store.users
    for o in users.iter_live():
        rec = users.get(o)
        if rec and rec.get("creationType") == "LocalAccount" and predicate(users.methods(o)):
            return rec["id"]
    raise AssertionError("no such user")


async def test_seeded_phone_methods_have_fixed_ids_and_real_world_formats() -> None:
    emu = make(users=600)
    users = emu.store.users
    numbers = [n for o in users.iter_live() for n in users.methods(o)["phones"].values()]
    assert any(" " not in n for n in numbers), "some numbers are stored without the space"
    assert sum(" " in n for n in numbers) > len(numbers) / 2
    uid = _user_without(emu, lambda m: "alternateMobile" in m["phones"])
    async with client_for(emu) as client:
        body = (await client.get(f"/v1.0/users/{uid}/authentication/phoneMethods")).json()
    by_type = {m["phoneType"]: m for m in body["value"]}
    assert by_type["mobile"]["id"] == "3179e48a-750b-4051-897c-87b9720928f7"
    assert by_type["alternateMobile"]["id"] == "b6332ec1-7057-4abe-9331-3d72feddfe41"
    assert set(by_type["mobile"]) == {"id", "phoneNumber", "phoneType", "smsSignInState"}


async def test_phone_method_rules() -> None:
    emu = make(users=200)
    uid = _user_without(emu, lambda m: not m["phones"])
    base = f"/v1.0/users/{uid}/authentication/phoneMethods"
    async with client_for(emu) as client:
        no_mobile = await client.post(
            base, json={"phoneNumber": "+1 2065550100", "phoneType": "alternateMobile"}
        )
        assert no_mobile.status_code == 400
        for bad in ("+12065550100", "2065550100", "+1 206-555-0100", "+1 20655501x"):
            response = await client.post(base, json={"phoneNumber": bad, "phoneType": "mobile"})
            assert response.status_code == 400, bad
            assert error_code(response) == "badRequest"
        created = await client.post(
            base, json={"phoneNumber": "+1 2065550100", "phoneType": "mobile"}
        )
        assert created.status_code == 201
        assert created.json() == {
            "id": PHONE_IDS["mobile"],
            "phoneNumber": "+1 2065550100",
            "phoneType": "mobile",
            "smsSignInState": "ready",
        }
        second = await client.post(
            base, json={"phoneNumber": "+1 2065550101", "phoneType": "mobile"}
        )
        assert second.status_code == 400
        alt = await client.post(
            base, json={"phoneNumber": "+44 7700900123x12", "phoneType": "alternateMobile"}
        )
        assert alt.status_code == 201
        mobile = f"{base}/{PHONE_IDS['mobile']}"
        assert (
            await client.patch(mobile, json={"phoneNumber": "+1 2065550199"})
        ).status_code == 204
        assert (await client.get(mobile)).json()["phoneNumber"] == "+1 2065550199"
        retype = await client.patch(
            mobile, json={"phoneNumber": "+1 2065550199", "phoneType": "office"}
        )
        assert retype.status_code == 400
        assert (await client.patch(mobile, json={"phoneNumber": "12065550199"})).status_code == 400
        assert (await client.delete(mobile)).status_code == 400  # alternateMobile still there
        assert (await client.delete(f"{base}/{PHONE_IDS['alternateMobile']}")).status_code == 204
        assert (await client.delete(mobile)).status_code == 204
        assert (await client.get(mobile)).status_code == 404
        assert (await client.get(base)).json()["value"] == []
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries[-5:]]
    assert "Admin deleted security info" in activities


async def test_email_method_rules() -> None:
    emu = make(users=200)
    uid = _user_without(emu, lambda m: not m["email"])
    base = f"/v1.0/users/{uid}/authentication/emailMethods"
    async with client_for(emu) as client:
        assert (await client.post(base, json={"emailAddress": "nope"})).status_code == 400
        created = await client.post(base, json={"emailAddress": "kim@example.com"})
        assert created.status_code == 201
        assert created.json() == {"id": EMAIL_METHOD_ID, "emailAddress": "kim@example.com"}
        assert (
            await client.post(base, json={"emailAddress": "two@example.com"})
        ).status_code == 400
        one = f"{base}/{EMAIL_METHOD_ID}"
        assert (
            await client.patch(one, json={"emailAddress": "kim2@example.com"})
        ).status_code == 204
        assert (await client.get(one)).json()["emailAddress"] == "kim2@example.com"
        assert (await client.delete(one)).status_code == 204
        assert (await client.get(one)).status_code == 404


async def test_software_oath_is_list_get_delete_only() -> None:
    emu = make(users=400)
    uid = _user_without(emu, lambda m: m["oath"])
    base = f"/v1.0/users/{uid}/authentication/softwareOathMethods"
    async with client_for(emu) as client:
        listed = (await client.get(base)).json()["value"]
        assert listed[0]["@odata.type"] == "#microsoft.graph.softwareOathAuthenticationMethod"
        assert listed[0]["secretKey"] is None
        one = f"{base}/{listed[0]['id']}"
        assert (await client.get(one)).json()["id"] == listed[0]["id"]
        assert (await client.post(base, json={})).status_code == 405
        assert (await client.delete(one)).status_code == 204
        assert (await client.get(one)).status_code == 404


async def test_methods_of_unknown_user_and_me_without_delegation() -> None:
    emu = make(users=10)
    async with client_for(emu) as client:
        missing = await client.get(
            "/v1.0/users/00000000-0000-4000-8000-000000000000/authentication/phoneMethods"
        )
        assert missing.status_code == 404
        me = await client.get("/v1.0/me/authentication/phoneMethods")
        assert me.status_code == 400
