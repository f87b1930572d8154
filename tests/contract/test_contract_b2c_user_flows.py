"""Contract: B2C user flows (beta ``/identity/b2cUserFlows``) against the documented examples."""

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
from .harness import Recorder, documented_body, example, load, make_client, replay

COVERS = [
    "identitycontainer-list-b2cuserflows",
    "identitycontainer-post-b2cuserflows",
    "b2cidentityuserflow-delete",
    "b2cidentityuserflow-get",
]

LIST = "identitycontainer-list-b2cuserflows"
POST = "identitycontainer-post-b2cuserflows"


async def test_list_user_flows_from_the_raw_documented_body() -> None:
    """The docs body has a trailing comma: the client must not read it as an empty list."""
    r = await replay_repaired(LIST, lambda c: c.b2c_user_flows.list().collect())
    assert r.request.url.path == "/beta/identity/b2cUserFlows"
    assert r.result == repair_json(documented_body(LIST, 0))["value"]
    assert [flow["id"] for flow in r.result] == ["B2C_1_CustomerSignUp", "B2C_1_CustomerSignIn"]


async def test_list_user_flows_expanding_identity_providers() -> None:
    r = await replay(LIST, lambda c: c.b2c_user_flows.list(expand="identityProviders").collect(), 1)
    assert r.result == documented_body(LIST, 1)["value"]
    assert all(flow["identityProviders"] for flow in r.result)


async def test_get_user_flow() -> None:
    op = "b2cidentityuserflow-get"
    r = await replay(op, lambda c: c.b2c_user_flows.get("{id}"))
    assert_record(r.result, documented_body(op), truncated=True)


@pytest.mark.parametrize("index", range(len(load(POST)["examples"])))
async def test_create_user_flow(index: int) -> None:
    body = example(POST, index)["request"]["body"]
    r = await replay(POST, lambda c: c.b2c_user_flows.create(body), index)
    assert_record(r.result, documented_body(POST, index), truncated=True)
    assert r.result["id"].startswith("B2C_1_")


async def test_delete_user_flow() -> None:
    r = await replay("b2cidentityuserflow-delete", lambda c: c.b2c_user_flows.delete("{id}"))
    assert r.result is None


# -- validation happens before any request -------------------------------------------------------
BASE = {"id": "Customer", "userFlowType": "signUpOrSignIn", "userFlowTypeVersion": 3}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"userFlowType": "signUpSignIn"}, "userFlowType"),
        ({"userFlowType": None}, "userFlowType"),
        ({"userFlowTypeVersion": 4}, "userFlowTypeVersion"),
        ({"id": ""}, "id"),
        ({"id": "Customer Sign In"}, "id"),
    ],
)
async def test_bad_user_flows_are_refused(change: dict[str, Any], field: str) -> None:
    body = {**BASE, **change}
    err = await no_request(lambda c: c.b2c_user_flows.create(body), ValidationError)
    assert isinstance(err, ValidationError)
    assert err.field == field


async def test_prefix_and_type_spelling_are_normalised() -> None:
    """``B2C_1_`` is added by the service: sending it would make ``B2C_1_B2C_1_Customer``."""
    recorder = Recorder(httpx.Response(201, json={"id": "B2C_1_Customer"}))
    async with make_client(recorder) as client:
        await client.b2c_user_flows.create(
            {**BASE, "id": "B2C_1_Customer", "userFlowType": "signuporsignin"})
    sent = json.loads(recorder.bodies[0])
    assert sent == {**BASE, "userFlowType": "signUpOrSignIn"}


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("b2c_user_flows") == 8  # with what a flow holds
