"""Contract: applications, service principals and permission grants (v1.0)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest

from b2c_tui.graph import UnsupportedQueryError, ValidationError
from b2c_tui.graph.client import GraphClient
from b2c_tui.graph.query import F, Query

from .harness import Recorder, documented_body, example, make_client, replay

COVERS = [
    "application-delete",
    "application-list",
    "application-post-applications",
    "application-update",
    "serviceprincipal-post-serviceprincipals",
    "oauth2permissiongrant-post",
]

APP_ID = "65415bb1-9267-4313-bbf5-ae259732ee12"


async def test_list_applications() -> None:
    r = await replay("application-list", lambda c: c.applications.list().collect())
    assert r.result == documented_body("application-list", 0)["value"]


@pytest.mark.parametrize("index", [1, 2, 3, 4])
async def test_advanced_query_examples_are_refused_for_b2c(index: int) -> None:
    """$count, $search and $filter+$orderby need advanced queries, which B2C lacks."""
    url = example("application-list", index)["request"]["url"]
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.path.endswith("/$count"):
        params["$count"] = "true"  # /applications/$count is the same question
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(UnsupportedQueryError):
            client.applications.list(params)
    assert recorder.requests == []
    with pytest.raises(UnsupportedQueryError):
        Query.parse(params, resource="applications")


async def test_list_with_a_b2c_query() -> None:
    recorder = Recorder(httpx.Response(200, json={"value": []}))
    async with make_client(recorder) as client:
        query = Query("applications").filter(F.startswith("displayName", "a")).top(1)
        assert await client.applications.list(query, select=["id", "appId"]).collect() == []
    sent = dict(parse_qsl(urlsplit(str(recorder.requests[0].url)).query))
    assert sent == {"$filter": "startswith(displayName,'a')", "$top": "1", "$select": "id,appId"}


async def test_create_application() -> None:
    body = example("application-post-applications")["request"]["body"]
    r = await replay("application-post-applications", lambda c: c.applications.create(body))
    assert r.result == documented_body("application-post-applications")


@pytest.mark.parametrize("index", [0, 1])
async def test_update_application(index: int) -> None:
    doc = example("application-update", index)["request"]
    object_id = unquote(doc["url"].rsplit("/", 1)[1])
    r = await replay("application-update",
                     lambda c: c.applications.update(object_id, doc["body"]), index)
    assert r.result is None


async def test_delete_application() -> None:
    r = await replay("application-delete", lambda c: c.applications.delete("{id}"))
    assert r.result is None


async def by_app_id(call: Callable[[GraphClient], Awaitable[Any]], response: httpx.Response
                    ) -> httpx.Request:
    recorder = Recorder(response)
    async with make_client(recorder) as client:
        await call(client)
    return recorder.requests[0]


async def test_alternate_key_paths() -> None:
    """``/applications(appId='{appId}')``, the second documented path of application-update."""
    ok = httpx.Response(200, json={"id": "x"})
    request = await by_app_id(lambda c: c.applications.update_by_app_id(
        APP_ID, {"displayName": "New"}), httpx.Response(204))
    assert request.method == "PATCH"
    assert unquote(request.url.path) == f"/v1.0/applications(appId='{APP_ID}')"
    request = await by_app_id(lambda c: c.applications.get_by_app_id(APP_ID), ok)
    assert unquote(request.url.path) == f"/v1.0/applications(appId='{APP_ID}')"
    request = await by_app_id(lambda c: c.applications.delete_by_app_id(APP_ID),
                              httpx.Response(204))
    assert request.method == "DELETE"
    request = await by_app_id(lambda c: c.applications.get_service_principal_by_app_id(APP_ID),
                              ok)
    assert unquote(request.url.path) == f"/v1.0/servicePrincipals(appId='{APP_ID}')"


async def test_create_service_principal() -> None:
    """The docs' request body has a trailing comma; the meaning is ``{"appId": ...}``."""
    op = "serviceprincipal-post-serviceprincipals"
    r = await replay(op, lambda c: c.applications.create_service_principal(APP_ID))
    assert json.loads(r.body) == {"appId": APP_ID}
    assert r.result == documented_body(op)


async def test_create_permission_grant() -> None:
    op = "oauth2permissiongrant-post"
    doc = example(op)["request"]["body"]
    r = await replay(op, lambda c: c.applications.create_permission_grant(
        client_id=doc["clientId"], resource_id=doc["resourceId"], scope=doc["scope"],
        consent_type=doc["consentType"]))
    assert r.result == documented_body(op)


# -- validation happens before any request -------------------------------------------------

async def refused(call: Callable[[GraphClient], Awaitable[Any]]) -> None:
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError):
            await call(client)
    assert recorder.requests == []


async def test_bad_inputs_are_refused_before_sending() -> None:
    sp = "ef969797-201d-4f6b-960c-e9ed5f31dab5"
    await refused(lambda c: c.applications.create({"signInAudience": "AzureADMyOrg"}))
    await refused(lambda c: c.applications.create({"displayName": "  "}))
    await refused(lambda c: c.applications.update("id", {}))
    await refused(lambda c: c.applications.update("id", {"passwordCredentials": []}))
    await refused(lambda c: c.applications.get_by_app_id("x') or (appId='y"))
    await refused(lambda c: c.applications.create_service_principal("not-a-guid"))
    await refused(lambda c: c.applications.create_permission_grant(
        client_id=sp, resource_id=sp, scope="User.Read", consent_type="Principal"))
    await refused(lambda c: c.applications.create_permission_grant(
        client_id=sp, resource_id=sp, scope="User.Read", principal_id=sp))
    await refused(lambda c: c.applications.create_permission_grant(
        client_id="appname", resource_id=sp, scope="User.Read"))
    await refused(lambda c: c.applications.create_permission_grant(
        client_id=sp, resource_id=sp, scope=" "))


async def test_grant_for_one_user_joins_scopes() -> None:
    sp, user = "ef969797-201d-4f6b-960c-e9ed5f31dab5", "78bf875b-9343-4edc-9130-0d3958113563"
    recorder = Recorder(httpx.Response(201, json={"id": "g"}))
    async with make_client(recorder) as client:
        await client.applications.create_permission_grant(
            client_id=sp, resource_id=sp, scope=["openid", "User.Read"],
            consent_type="Principal", principal_id=user)
    assert json.loads(recorder.bodies[0]) == {
        "clientId": sp, "resourceId": sp, "scope": "openid User.Read",
        "consentType": "Principal", "principalId": user}
