"""Contract: External ID user flows (``/identity/authenticationEventsFlows``), their attributes
and identity providers, with the documented type-cast segments."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from b2c_tui.graph import ValidationError
from b2c_tui.graph.resources.external_flows import ExternalFlowsAPI

from ._families import (
    assert_read_only_refuses,
    assert_record,
    no_request,
    repair_json,
    replay_repaired,
)
from .harness import Recorder, documented_body, example, load, make_client, replay

COVERS = [
    "identitycontainer-list-authenticationeventsflows",
    "identitycontainer-post-authenticationeventsflows",
    "authenticationeventsflow-delete",
    "authenticationeventsflow-get",
    "onattributecollectionexternalusersselfservicesignup-delete-attributes",
    "onattributecollectionexternalusersselfservicesignup-list-attributes",
    "onattributecollectionexternalusersselfservicesignup-post-attributes",
    "onauthenticationmethodloadstartexternalusersselfservicesignup-delete-identityproviders",
    "onauthenticationmethodloadstartexternalusersselfservicesignup-list-identityproviders",
    "onauthenticationmethodloadstartexternalusersselfservicesignup-post-identityproviders",
]

FLOW = "0313cc37-d421-421d-857b-87804d61e33e"
LIST = "identitycontainer-list-authenticationeventsflows"
POST = "identitycontainer-post-authenticationeventsflows"
ATTRS = "onattributecollectionexternalusersselfservicesignup-{}-attributes"
IDPS = "onauthenticationmethodloadstartexternalusersselfservicesignup-{}-identityproviders"

FILTERS = [
    None,
    ExternalFlowsAPI.filter_by_identity_provider("Google-OAUTH"),
    ExternalFlowsAPI.filter_by_attribute("city"),
    ExternalFlowsAPI.filter_by_application("63856651-13d9-4784-9abf-20758d509e19"),
]


@pytest.mark.parametrize("index", range(len(load(LIST)["examples"])))
async def test_list_flows_with_documented_filters(index: int) -> None:
    r = await replay(LIST, lambda c: c.external_flows.list(filter=FILTERS[index]).collect(), index)
    assert r.result == documented_body(LIST, index)["value"]


async def test_get_flow_unwraps_the_documented_value_wrapper() -> None:
    op = "authenticationeventsflow-get"
    r = await replay(op, lambda c: c.external_flows.get(FLOW))
    assert r.result == documented_body(op)["value"]
    assert r.result["@odata.type"] == "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow"


@pytest.mark.parametrize("index", range(len(load(POST)["examples"])))
async def test_create_flow(index: int) -> None:
    body = example(POST, index)["request"]["body"]
    r = await replay(POST, lambda c: c.external_flows.create(body), index)
    assert_record(r.result, documented_body(POST, index))


async def test_delete_flow() -> None:
    r = await replay("authenticationeventsflow-delete", lambda c: c.external_flows.delete(FLOW))
    assert r.result is None


# -- attributes --------------------------------------------------------------------------------
async def test_list_attributes_uses_the_cast_segments() -> None:
    op = ATTRS.format("list")
    r = await replay(op, lambda c: c.external_flows.list_attributes(FLOW).collect())
    assert r.result == documented_body(op)["value"]


async def test_flow_without_attributes_lists_none() -> None:
    """Graph answers 400 rather than an empty list for a flow with no attributes."""
    error = {"error": {"code": "BadRequest", "message": "No attributes"}}
    recorder = Recorder(httpx.Response(400, json=error))
    async with make_client(recorder) as client:
        assert await client.external_flows.list_attributes(FLOW).collect() == []
    assert len(recorder.requests) == 1


async def test_add_attribute_posts_a_reference() -> None:
    r = await replay(ATTRS.format("post"), lambda c: c.external_flows.add_attribute(FLOW, "city"))
    assert r.result is None


async def test_remove_attribute() -> None:
    r = await replay(ATTRS.format("delete"),
                     lambda c: c.external_flows.remove_attribute(FLOW, "city"))
    assert r.result is None


# -- identity providers ------------------------------------------------------------------------
async def test_list_identity_providers_from_the_raw_documented_body() -> None:
    op = IDPS.format("list")
    r = await replay_repaired(
        op, lambda c: c.external_flows.list_identity_providers(FLOW).collect())
    assert r.result == repair_json(documented_body(op))["value"]


async def test_add_identity_provider_follows_the_operation_version() -> None:
    """The op file is v1.0 but its one example uses beta; by default the client sends v1.0 (path
    and @odata.id), and with ``version="beta"`` it reproduces the example exactly."""
    op = IDPS.format("post")
    documented_url = example(op)["request"]["url"]
    r = await replay(op, lambda c: c.external_flows.add_identity_provider(FLOW, "Google-OAUTH"),
                     check_request=False)
    assert load(op)["version"] == "v1.0"
    assert r.request.method == "POST"
    assert str(r.request.url) == documented_url.replace("/beta/", "/v1.0/")
    assert r.request.headers["content-type"] == "application/json"
    assert json.loads(r.body) == {
        "@odata.id": "https://graph.microsoft.com/v1.0/identityProviders/Google-OAUTH"}
    r = await replay(op, lambda c: c.external_flows.add_identity_provider(
        FLOW, "Google-OAUTH", version="beta"))
    assert r.result is None


async def test_remove_identity_provider() -> None:
    r = await replay(IDPS.format("delete"),
                     lambda c: c.external_flows.remove_identity_provider(FLOW, "Facebook-OAUTH"))
    assert r.result is None


# -- validation happens before any request -------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"displayName": "No type"},
        {"@odata.type": "#microsoft.graph.authenticationEventsFlow", "displayName": "Base type"},
        {"@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow"},
        {"@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
         "displayName": "  "},
    ],
)
async def test_bad_flows_are_refused(body: dict[str, Any]) -> None:
    await no_request(lambda c: c.external_flows.create(body), ValidationError)


def test_filter_literals_are_quoted() -> None:
    assert ExternalFlowsAPI.filter_by_attribute("o'brien").endswith("eq 'o''brien')")


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("external_flows") == 8  # with its applications
