"""Contract: user-flow attributes (``/identity/userFlowAttributes``)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from b2c_tui.graph import ValidationError

from ._families import (
    assert_read_only_refuses,
    assert_record,
    no_request,
    repair_json,
    replay_repaired,
)
from .harness import Recorder, documented_body, example, make_client, replay

COVERS = [
    "identityuserflowattribute-delete",
    "identityuserflowattribute-get",
    "identityuserflowattribute-list",
    "identityuserflowattribute-post",
    "identityuserflowattribute-update",
]

HOBBY = "extension_d09380e2b4c642b9a203fb816a04a7ad_Hobby"


async def test_list_attributes() -> None:
    op = "identityuserflowattribute-list"
    r = await replay(op, lambda c: c.user_flow_attributes.list().collect())
    assert r.result == documented_body(op)["value"]


async def test_list_attributes_beta_from_the_raw_documented_body() -> None:
    op = "identityuserflowattribute-list"
    r = await replay_repaired(op, lambda c: c.user_flow_attributes.list(version="beta").collect(),
                              1)
    assert r.result == repair_json(documented_body(op, 1))["value"]


async def test_get_attribute() -> None:
    op = "identityuserflowattribute-get"
    r = await replay(op, lambda c: c.user_flow_attributes.get("{id}"))
    assert_record(r.result, documented_body(op))


async def test_create_attribute() -> None:
    op = "identityuserflowattribute-post"
    body = example(op)["request"]["body"]
    r = await replay(op, lambda c: c.user_flow_attributes.create(body))
    assert_record(r.result, documented_body(op))


async def test_update_attribute_description() -> None:
    op = "identityuserflowattribute-update"
    body = example(op)["request"]["body"]
    r = await replay(op, lambda c: c.user_flow_attributes.update(HOBBY, body))
    assert r.result is None


async def test_delete_attribute() -> None:
    r = await replay("identityuserflowattribute-delete",
                     lambda c: c.user_flow_attributes.delete(HOBBY))
    assert r.result is None


# -- validation happens before any request -------------------------------------------------------
GOOD = {"displayName": "Hobby", "description": "Your hobby", "dataType": "string"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dataType": "float"}, "dataType"),
        ({"dataType": None}, "dataType"),
        ({"displayName": ""}, "displayName"),
        ({"displayName": "Favourite colour"}, "displayName"),
        ({"id": "Hobby"}, "id"),
        ({"userFlowAttributeType": "custom"}, "userFlowAttributeType"),
    ],
)
async def test_bad_new_attributes_are_refused(change: dict[str, Any], field: str) -> None:
    body = {**GOOD, **change}
    err = await no_request(lambda c: c.user_flow_attributes.create(body), ValidationError)
    assert isinstance(err, ValidationError)
    assert err.field == field


async def test_data_type_is_sent_in_graph_spelling() -> None:
    recorder = Recorder(httpx.Response(201, json={"id": HOBBY}))
    async with make_client(recorder) as client:
        await client.user_flow_attributes.create({**GOOD, "dataType": "Int64"})
    assert json.loads(recorder.bodies[0])["dataType"] == "int64"


async def test_only_a_custom_description_can_change() -> None:
    await no_request(lambda c: c.user_flow_attributes.update("City", {"description": "x"}),
                     ValidationError)
    await no_request(lambda c: c.user_flow_attributes.update(HOBBY, {"dataType": "int64"}),
                     ValidationError)
    await no_request(lambda c: c.user_flow_attributes.update(HOBBY, {}), ValidationError)


async def test_built_in_attributes_cannot_be_deleted() -> None:
    await no_request(lambda c: c.user_flow_attributes.delete("City"), ValidationError)


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("user_flow_attributes") == 3
