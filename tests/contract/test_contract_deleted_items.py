"""Contract: deleted items (list by type, get, restore, delete permanently; v1.0)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from b2c_tui.graph import UnsupportedQueryError, ValidationError

from .harness import Recorder, documented_body, example, make_client, replay

COVERS = [
    "directory-deleteditems-delete",
    "directory-deleteditems-get",
    "directory-deleteditems-list",
    "directory-deleteditems-restore",
]

GROUP = "46cc6179-19d0-473e-97ad-6ff84347bbbb"
USER = "78bf875b-9343-4edc-9130-0d3958113563"


async def test_list_deleted_groups() -> None:
    r = await replay("directory-deleteditems-list",
                     lambda c: c.deleted_items.list("group").collect())
    assert r.result == documented_body("directory-deleteditems-list", 0)["value"]


async def test_advanced_query_example_is_refused_for_b2c() -> None:
    url = example("directory-deleteditems-list", 1)["request"]["url"]
    params = dict(parse_qsl(urlsplit(url).query))
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(UnsupportedQueryError):
            client.deleted_items.list("group", params)
    assert recorder.requests == []


@pytest.mark.parametrize("given, cast", [
    ("user", "microsoft.graph.user"), ("Application", "microsoft.graph.application"),
    ("microsoft.graph.servicePrincipal", "microsoft.graph.servicePrincipal"),
    ("#microsoft.graph.administrativeUnit", "microsoft.graph.administrativeUnit"),
])
async def test_list_by_type_uses_the_cast_segment(given: str, cast: str) -> None:
    recorder = Recorder(httpx.Response(200, json={"value": []}))
    async with make_client(recorder) as client:
        await client.deleted_items.list(given, select=["id", "displayName"], top=999).collect()
    url = urlsplit(str(recorder.requests[0].url))
    assert url.path == f"/v1.0/directory/deletedItems/{cast}"
    assert dict(parse_qsl(url.query)) == {"$select": "id,displayName", "$top": "999"}


async def test_get_deleted_item() -> None:
    r = await replay("directory-deleteditems-get", lambda c: c.deleted_items.get(GROUP))
    assert r.result == documented_body("directory-deleteditems-get")


async def test_restore_without_options_sends_no_body() -> None:
    r = await replay("directory-deleteditems-restore", lambda c: c.deleted_items.restore(GROUP))
    assert r.result == documented_body("directory-deleteditems-restore", 0)
    assert r.body == b""


async def test_restore_user_reconciling_proxy_addresses() -> None:
    r = await replay("directory-deleteditems-restore", lambda c: c.deleted_items.restore(
        USER, auto_reconcile_proxy_conflict=True), 1)
    assert r.result == documented_body("directory-deleteditems-restore", 1)


async def test_restore_user_with_a_new_upn() -> None:
    r = await replay("directory-deleteditems-restore", lambda c: c.deleted_items.restore(
        USER, new_user_principal_name="johndoe@contoso.com"), 2)
    assert r.result["userPrincipalName"] == "johndoe@contoso.com"
    assert r.result == documented_body("directory-deleteditems-restore", 2)


async def test_delete_permanently() -> None:
    r = await replay("directory-deleteditems-delete",
                     lambda c: c.deleted_items.delete("{object-id}"))
    assert r.result is None


async def test_bad_inputs_are_refused_before_sending() -> None:
    recorder = Recorder()
    async with make_client(recorder) as client:
        for bad in ("device", "", "users", "microsoft.graph.contact"):
            with pytest.raises(ValidationError):
                client.deleted_items.list(bad)
        with pytest.raises(ValidationError):
            await client.deleted_items.restore(USER, new_user_principal_name="no-domain")
        with pytest.raises(ValueError):
            await client.deleted_items.delete("")
    assert recorder.requests == []
