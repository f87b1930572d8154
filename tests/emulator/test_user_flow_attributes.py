"""Behaviour of /identity/userFlowAttributes."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.emulator import Emulator

ATTRS = "/v1.0/identity/userFlowAttributes"


def ext(emu: Emulator, name: str) -> str:
    return f"extension_{emu.store.apps.extensions_app_id.replace('-', '')}_{name}"


async def test_list_has_builtin_and_custom(emu: Emulator, client: httpx.AsyncClient) -> None:
    body = (await client.get(ATTRS)).json()
    assert body["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#userFlowAttributes"
    by_id = {a["id"]: a for a in body["value"]}
    for builtin in ("city", "country", "displayName", "email", "givenName", "surname",
                    "postalCode"):
        assert by_id[builtin]["userFlowAttributeType"] == "builtIn"
    colour = by_id[ext(emu, "Lieblingsfarbe")]
    assert colour == {"id": ext(emu, "Lieblingsfarbe"), "displayName": "Lieblingsfarbe",
                      "description": "Farbe für Zoë", "userFlowAttributeType": "custom",
                      "dataType": "string"}
    # Custom attributes match the extension properties the directory's users carry.
    assert ext(emu, "loyaltyNumber") in by_id and ext(emu, "marketingConsent") in by_id
    assert (await client.get(f"/beta{ATTRS[5:]}")).status_code == 200


async def test_filter_eq_and_ne(client: httpx.AsyncClient) -> None:
    custom = (await client.get(f"{ATTRS}?$filter=userFlowAttributeType eq 'custom'")).json()
    assert custom["value"] and all(a["userFlowAttributeType"] == "custom" for a in custom["value"])
    others = (await client.get(f"{ATTRS}?$filter=userFlowAttributeType ne 'custom' and "
                               "dataType eq 'boolean'")).json()["value"]
    assert [a["id"] for a in others] == ["newUser"]
    assert (await client.get(f"{ATTRS}?$filter=colour eq 'x'")).status_code == 400


async def test_get_is_case_insensitive(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{ATTRS}/City")
    assert r.status_code == 200
    assert r.json()["id"] == "city" and r.json()["userFlowAttributeType"] == "builtIn"
    assert (await client.get(f"{ATTRS}/nope")).status_code == 404


async def test_custom_attribute_lifecycle(emu: Emulator, client: httpx.AsyncClient) -> None:
    r = await client.post(ATTRS, json={"displayName": "Hobby", "description": "Your hobby",
                                       "dataType": "string"})
    assert r.status_code == 201
    attr_id = ext(emu, "Hobby")
    assert r.headers["location"] == f"/identity/userFlowAttributes('{attr_id}')"
    assert {k: v for k, v in r.json().items() if not k.startswith("@")} == {
        "id": attr_id, "displayName": "Hobby", "description": "Your hobby",
        "userFlowAttributeType": "custom", "dataType": "string"}
    assert (await client.post(ATTRS, json={"displayName": "Hobby", "dataType": "string"})
            ).status_code == 409
    r = await client.patch(f"{ATTRS}/{attr_id}", json={"description": "Dein neues Hobby, Zoë"})
    assert r.status_code == 204
    assert (await client.get(f"{ATTRS}/{attr_id}")).json()["description"] == "Dein neues Hobby, Zoë"
    assert (await client.patch(f"{ATTRS}/{attr_id}", json={"dataType": "int64"})).status_code == 400
    assert (await client.delete(f"{ATTRS}/{attr_id}")).status_code == 204
    assert (await client.get(f"{ATTRS}/{attr_id}")).status_code == 404
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries[-3:]]
    assert activities == ["Add user flow attribute", "Update user flow attribute",
                          "Delete user flow attribute"]


async def test_builtin_attributes_are_read_only(client: httpx.AsyncClient) -> None:
    r = await client.patch(f"{ATTRS}/city", json={"description": "x"})
    assert r.status_code == 400 and "built-in" in r.json()["error"]["message"]
    assert (await client.delete(f"{ATTRS}/city")).status_code == 400
    assert (await client.get(f"{ATTRS}/city")).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"displayName": "NoType"},
        {"dataType": "string"},
        {"displayName": "Bad", "dataType": "colour"},
        {"displayName": "Bad", "dataType": "string", "userFlowAttributeType": "builtIn"},
        {"displayName": "!!!", "dataType": "string"},
    ],
)
async def test_invalid_creates(client: httpx.AsyncClient, body: dict[str, str]) -> None:
    assert (await client.post(ATTRS, json=body)).status_code == 400
