"""Contract: the B2C authentication methods policy (beta singleton)."""

from __future__ import annotations

from typing import Any

import pytest

from b2c_tui.graph import ValidationError

from ._families import assert_read_only_refuses, assert_record, no_request
from .harness import documented_body, example, replay

COVERS = ["b2cauthenticationmethodspolicy-get", "b2cauthenticationmethodspolicy-update"]


async def test_get_policy() -> None:
    op = "b2cauthenticationmethodspolicy-get"
    r = await replay(op, lambda c: c.b2c_auth_methods_policy.get())
    assert_record(r.result, documented_body(op), truncated=True)
    assert r.result["id"] == "b2CAuthenticationMethodsPolicy"


async def test_update_policy_patches_the_switches() -> None:
    op = "b2cauthenticationmethodspolicy-update"
    body = example(op)["request"]["body"]
    r = await replay(op, lambda c: c.b2c_auth_methods_policy.update(body))
    assert r.result is None
    assert r.request.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "patch",
    [{}, {"isEmailPasswordAuthenticationEnabled": "yes"},
     {"isSocialAuthenticationEnabled": True}, {"isUserNameAuthenticationEnabled": 1}],
)
async def test_bad_patches_are_refused(patch: dict[str, Any]) -> None:
    await no_request(lambda c: c.b2c_auth_methods_policy.update(patch), ValidationError)


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("b2c_auth_methods_policy") == 1
