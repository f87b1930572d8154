"""Contract: Conditional Access policies and templates (v1.0)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from b2c_tui.graph import RetryPolicy, ValidationError

from ._families import assert_read_only_refuses, assert_record, no_request, replay_repaired
from .harness import Recorder, documented_body, example, load, make_client, replay

COVERS = [
    "conditionalaccessroot-list-policies",
    "conditionalaccessroot-list-templates",
    "conditionalaccessroot-post-policies",
    "conditionalaccesspolicy-delete",
    "conditionalaccesspolicy-get",
    "conditionalaccesspolicy-update",
]

POLICY = "6b5e999b-0ba8-4186-a106-e0296c1c4358"
LIST = "conditionalaccessroot-list-policies"
TEMPLATES = "conditionalaccessroot-list-templates"
POST = "conditionalaccessroot-post-policies"


@pytest.mark.parametrize("index", range(len(load(LIST)["examples"])))
async def test_list_policies(index: int) -> None:
    r = await replay(LIST, lambda c: c.conditional_access.list_policies().collect(), index)
    assert r.result == documented_body(LIST, index)["value"]


async def test_list_templates() -> None:
    r = await replay(TEMPLATES, lambda c: c.conditional_access.list_templates().collect())
    assert r.result == documented_body(TEMPLATES)["value"]


async def test_list_templates_of_a_scenario_with_select() -> None:
    r = await replay(TEMPLATES, lambda c: c.conditional_access.list_templates(
        select=["name", "description", "id", "scenarios"], scenario="secureFoundation",
    ).collect(), 1)
    assert r.result == documented_body(TEMPLATES, 1)["value"]


async def test_get_policy() -> None:
    op = "conditionalaccesspolicy-get"
    r = await replay(op, lambda c: c.conditional_access.get_policy(POLICY))
    assert_record(r.result, documented_body(op), truncated=True)


@pytest.mark.parametrize("index", range(len(load(POST)["examples"])))
async def test_create_policy(index: int) -> None:
    body = example(POST, index)["request"]["body"]
    r = await replay(POST, lambda c: c.conditional_access.create_policy(body), index)
    assert_record(r.result, documented_body(POST, index))


async def test_update_policy_sends_the_repaired_documented_body() -> None:
    patch = {"conditions": {"signInRiskLevels": ["high", "medium", "low"]}}
    r = await replay_repaired("conditionalaccesspolicy-update",
                              lambda c: c.conditional_access.update_policy("{id}", patch))
    assert r.result is None


async def test_delete_policy() -> None:
    r = await replay("conditionalaccesspolicy-delete",
                     lambda c: c.conditional_access.delete_policy("{id}"))
    assert r.result is None


async def test_throttling_without_retry_after_backs_off_and_retries() -> None:
    """CA answers 429 with no Retry-After (1 request/s per tenant): the core backs off."""
    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(delay)

    body = documented_body("conditionalaccesspolicy-get")
    recorder = Recorder(httpx.Response(429), httpx.Response(429), httpx.Response(200, json=body))
    async with make_client(recorder, retry=RetryPolicy(max_attempts=3), sleep=sleep) as client:
        assert await client.conditional_access.get_policy(POLICY) == body
    assert len(recorder.requests) == 3
    assert len(waits) == 2 and all(w > 0 for w in waits)


# -- validation happens before any request -------------------------------------------------------
GOOD = example(POST, 3)["request"]["body"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state": "on"}, "state"),
        ({"displayName": ""}, "displayName"),
        ({"conditions": None}, "conditions"),
        ({"conditions": {"applications": {"includeApplications": ["All"]}}}, "users"),
        ({"grantControls": None}, "grantControls"),
    ],
)
async def test_bad_policies_are_refused(change: dict[str, Any], field: str) -> None:
    body = {**GOOD, **change}
    err = await no_request(lambda c: c.conditional_access.create_policy(body), ValidationError)
    assert isinstance(err, ValidationError)
    assert err.field == field


async def test_bad_update_is_refused() -> None:
    await no_request(lambda c: c.conditional_access.update_policy(POLICY, {"state": "reportOnly"}),
                     ValidationError)
    await no_request(lambda c: c.conditional_access.update_policy(POLICY, {}), ValidationError)


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("conditional_access") == 3
