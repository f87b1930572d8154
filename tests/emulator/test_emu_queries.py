"""B2C's query subset: refused advanced queries, $filter, $select, $orderby."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from emu_support import all_users, client_for, error_code, local_account, make, walk

REFUSED = [
    ("/v1.0/users?$count=true", {}, "Request_BadRequest", "$count is not currently supported."),
    ("/v1.0/users?$count=true", {"ConsistencyLevel": "eventual"}, "Request_BadRequest", "$count"),
    ("/v1.0/users/$count", {"ConsistencyLevel": "eventual"}, "Request_BadRequest", "$count"),
    ("/v1.0/applications/$count", {}, "Request_BadRequest", "$count"),
    ('/v1.0/users?$search="displayName:wa"', {}, "Request_UnsupportedQuery", "ConsistencyLevel"),
    (
        '/v1.0/users?$search="displayName:wa"',
        {"ConsistencyLevel": "eventual"},
        "Request_UnsupportedQuery",
        "$search",
    ),
    ("/v1.0/users?$filter=accountEnabled ne true", {}, "Request_UnsupportedQuery", "'ne'"),
    ("/v1.0/users?$filter=not(accountEnabled eq true)", {}, "Request_UnsupportedQuery", "'not'"),
    (
        "/v1.0/users?$filter=endsWith(mail,'@gmail.com')",
        {"ConsistencyLevel": "eventual"},
        "Request_UnsupportedQuery",
        "'endsWith'",
    ),
    (
        "/v1.0/users?$filter=startswith(displayName,'a')&$orderby=displayName",
        {},
        "Request_UnsupportedQuery",
        "Sorting",
    ),
    ("/v1.0/users?$orderby=createdDateTime", {}, "Request_UnsupportedQuery", "createdDateTime"),
    ("/v1.0/users?$skip=10", {}, "Request_BadRequest", "Skip"),
    (
        "/v1.0/users?$filter=identities/any(c:c/issuerAssignedId eq 'x@y.com')",
        {},
        "Request_UnsupportedQuery",
        "issuer",
    ),
    (
        "/v1.0/users?$filter=identities/any(c:c/signInType eq 'federated')",
        {},
        "Request_UnsupportedQuery",
        "identities",
    ),
]


@pytest.mark.parametrize(("url", "headers", "code", "text"), REFUSED)
async def test_refused_queries(url: str, headers: dict[str, str], code: str, text: str) -> None:
    emu = make(users=30)
    async with client_for(emu) as client:
        response = await client.get(url, headers=headers)
    assert response.status_code == 400, response.text
    assert error_code(response) == code
    assert text in response.json()["error"]["message"]


def _starts(prop: str, prefix: str) -> Callable[[dict[str, Any]], bool]:
    return lambda u: (
        isinstance(u.get(prop), str) and u[prop].casefold().startswith(prefix.casefold())
    )


FILTERS: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
    ("startswith(displayName,'zo')", _starts("displayName", "zo")),
    ("startswith(givenName,'J')", _starts("givenName", "J")),
    ("startswith(surname,'Mü')", _starts("surname", "Mü")),
    ("startswith(mail,'maria.')", _starts("mail", "maria.")),
    ("startswith(userPrincipalName,'a')", _starts("userPrincipalName", "a")),
    ("startswith(userPrincipalName,'3f')", _starts("userPrincipalName", "3f")),
    ("surname eq 'O''Connor'", lambda u: u["surname"] == "O'Connor"),
    ("accountEnabled eq false", lambda u: u["accountEnabled"] is False),
    (
        "creationType eq 'LocalAccount' and accountEnabled eq false",
        lambda u: u["creationType"] == "LocalAccount" and not u["accountEnabled"],
    ),
    (
        "givenName in ('Łukasz','Zoë','Ólafur')",
        lambda u: u["givenName"] in ("Łukasz", "Zoë", "Ólafur"),
    ),
    (
        "(startswith(displayName,'a') or startswith(displayName,'b')) and accountEnabled eq true",
        lambda u: u["displayName"][:1].lower() in "ab" and u["accountEnabled"],
    ),
    ("mail eq null", lambda u: u["mail"] is None),
    ("country eq 'IS'", lambda u: u.get("country") == "IS"),
]


@pytest.mark.parametrize(("expr", "expected"), FILTERS, ids=[f[0] for f in FILTERS])
async def test_filter_matches_brute_force(
    expr: str, expected: Callable[[dict[str, Any]], bool]
) -> None:
    emu = make(users=1500)
    want = [u["id"] for u in all_users(emu) if expected(u)]
    async with client_for(emu) as client:
        got = await walk(
            client, "/v1.0/users", params={"$filter": expr, "$select": "id", "$top": 999}
        )
    assert [u["id"] for u in got] == want
    assert want, f"seeded tenant should have matches for {expr}"


async def test_eq_is_case_insensitive_and_finds_every_namesake() -> None:
    emu = make(users=5000)
    users = all_users(emu)
    name = users[1234]["displayName"]
    want = [u["id"] for u in users if u["displayName"].casefold() == name.casefold()]
    escaped = name.upper().replace("'", "''")
    async with client_for(emu) as client:
        got = await walk(
            client,
            "/v1.0/users",
            params={"$filter": f"displayName eq '{escaped}'", "$select": "id"},
        )
    assert [u["id"] for u in got] == want
    assert users[1234]["id"] in want


async def test_identities_lookup_needs_issuer_and_finds_local_and_social() -> None:
    emu = make(users=800)
    users = all_users(emu)
    local = next(u for u in users if u["identities"][0]["signInType"] == "emailAddress")
    social = next(u for u in users if u["identities"][0]["issuer"] == "google.com")
    async with client_for(emu) as client:
        for user in (local, social):
            ident = user["identities"][0]
            value = (
                ident["issuerAssignedId"].upper() if user is local else ident["issuerAssignedId"]
            )
            expr = (
                f"identities/any(c:c/issuerAssignedId eq '{value}' and "
                f"c/issuer eq '{ident['issuer']}')"
            )
            body = (
                await client.get(
                    "/v1.0/users", params={"$filter": expr, "$select": "displayName,id"}
                )
            ).json()
            assert body["value"] == [{"displayName": user["displayName"], "id": user["id"]}]
        expr = "identities/any(c:c/issuerAssignedId eq 'nobody@example.com' and c/issuer eq 'x')"
        assert (await client.get("/v1.0/users", params={"$filter": expr})).json()["value"] == []
        google = await walk(
            client,
            "/v1.0/users",
            params={
                "$filter": "identities/any(c:c/issuer eq 'google.com')",
                "$select": "id",
                "$top": 999,
            },
        )
        assert {u["id"] for u in google} == {
            u["id"] for u in users if u["identities"][0]["issuer"] == "google.com"
        }


async def test_identities_lookup_ignores_the_issuer_of_local_accounts_only() -> None:
    """objectIdentity: "signInType userName or emailAddress: the issuer value is ignored (by
    design)"; a federated identity needs its real issuer."""
    emu = make(users=800)
    users = all_users(emu)
    by_type = {
        kind: next(u for u in users if u["identities"][0]["signInType"] == kind)
        for kind in ("emailAddress", "userName", "federated")
    }
    created = local_account("made.here@example.com")
    async with client_for(emu) as client:
        made = (await client.post("/v1.0/users", json=created)).json()
        by_type["created"] = made
        for kind, user in by_type.items():
            ident = user["identities"][0]
            expr = (
                f"identities/any(c:c/issuerAssignedId eq '{ident['issuerAssignedId']}' and "
                "c/issuer eq 'someone-else.onmicrosoft.com')"
            )
            found = (
                await client.get("/v1.0/users", params={"$filter": expr, "$select": "id"})
            ).json()["value"]
            expected = [] if kind == "federated" else [{"id": user["id"]}]
            assert found == expected, kind


async def test_select_only_properties_and_extension_attributes() -> None:
    emu = make(users=200)
    ext = emu.store.users.ext_prefix
    async with client_for(emu) as client:
        default = (await client.get("/v1.0/users?$top=50")).json()["value"]
        assert set(default[10]) == {
            "businessPhones",
            "displayName",
            "givenName",
            "id",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName",
        }
        select = (
            "id,identities,accountEnabled,creationType,createdDateTime,passwordPolicies,"
            f"{ext}loyaltyNumber"
        )
        body = (await client.get(f"/v1.0/users?$top=50&$select={select}")).json()
        assert body["@odata.context"].endswith(f"$metadata#users({select})")
        rows = body["value"]
        assert all({"identities", "accountEnabled", "creationType"} <= set(r) for r in rows)
        with_ext = [r for r in rows if f"{ext}loyaltyNumber" in r]
        assert 0 < len(with_ext) < len(rows)  # absent values are omitted, not null
        assert all(r[f"{ext}loyaltyNumber"].startswith("LN") for r in with_ext)
        lower = (await client.get("/v1.0/users?$top=5&$select=DISPLAYNAME,Id")).json()["value"]
        assert set(lower[0]) == {"displayName", "id"}
        unknown = await client.get("/v1.0/users?$select=favouriteColour")
        assert unknown.status_code == 400
        about = await client.get("/v1.0/users?$select=aboutMe")
        assert about.status_code == 501
        one = default[5]["id"]
        single = (await client.get(f"/v1.0/users/{one}?$select=displayName,identities")).json()
        assert set(single) == {"@odata.context", "displayName", "identities"}
        assert single["@odata.context"].endswith("$metadata#users(displayName,identities)/$entity")


async def test_orderby_display_name_and_upn_across_pages() -> None:
    emu = make(users=700)
    users = all_users(emu)
    async with client_for(emu) as client:
        for prop, key in (("displayName", str.casefold), ("userPrincipalName", str.lower)):
            asc = await walk(client, f"/v1.0/users?$orderby={prop}&$top=64&$select=id,{prop}")
            want = sorted(users, key=lambda u: (key(u[prop]), 0))
            assert [key(u[prop]) for u in asc] == [key(u[prop]) for u in want]
            assert sorted(u["id"] for u in asc) == sorted(u["id"] for u in users)
            desc = await walk(client, f"/v1.0/users?$orderby={prop} desc&$top=99&$select=id,{prop}")
            assert [key(u[prop]) for u in desc] == [key(u[prop]) for u in reversed(want)]
            assert len({u["id"] for u in desc}) == len(users)


async def test_orderby_includes_created_and_renamed_users() -> None:
    emu = make(users=100)
    async with client_for(emu) as client:
        victim = all_users(emu)[50]["id"]
        assert (
            await client.patch(f"/v1.0/users/{victim}", json={"displayName": "AAAA First"})
        ).status_code == 204
        first = (await client.get("/v1.0/users?$orderby=displayName&$top=1&$select=id")).json()
        assert first["value"] == [{"id": victim}]
