"""Contract: identity providers (v1.0, plus the beta examples of the same operations)."""

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
    other_version_example,
    replay_other_version,
)
from .harness import Recorder, documented_body, example, load, make_client, replay

COVERS = [
    "identitycontainer-list-identityproviders",
    "identitycontainer-post-identityproviders",
    "identityproviderbase-availableprovidertypes",
    "identityproviderbase-delete",
    "identityproviderbase-get",
    "identityproviderbase-update",
]

LIST = "identitycontainer-list-identityproviders"
POST = "identitycontainer-post-identityproviders"


def examples(op: str) -> range:
    return range(len(load(op)["examples"]))


@pytest.mark.parametrize("index", examples(LIST))
async def test_list_returns_polymorphic_records(index: int) -> None:
    r = await replay(LIST, lambda c: c.identity_providers.list().collect(), index)
    assert r.result == documented_body(LIST, index)["value"]
    assert all("@odata.type" in record for record in r.result)


async def test_list_beta_includes_openid_connect_providers() -> None:
    r = await replay_other_version(
        LIST, lambda c: c.identity_providers.list(version="beta").collect(), "beta")
    expected = other_version_example(LIST, "beta", 0)["response"]["body"]["value"]
    assert r.result == expected
    assert any(p["@odata.type"].endswith("openIdConnectIdentityProvider") for p in r.result)


@pytest.mark.parametrize("index", examples("identityproviderbase-get"))
async def test_get(index: int) -> None:
    op = "identityproviderbase-get"
    provider_id = example(op, index)["request"]["url"].rsplit("/", 1)[1]
    r = await replay(op, lambda c: c.identity_providers.get(provider_id), index)
    assert_record(r.result, documented_body(op, index), truncated=True)


@pytest.mark.parametrize("index", examples(POST))
async def test_create_v1(index: int) -> None:
    body = example(POST, index)["request"]["body"]
    r = await replay(POST, lambda c: c.identity_providers.create(body), index)
    assert_record(r.result, documented_body(POST, index), truncated=True)


@pytest.mark.parametrize("index", range(4))
async def test_create_beta_examples(index: int) -> None:
    ex = other_version_example(POST, "beta", index)
    r = await replay_other_version(
        POST, lambda c: c.identity_providers.create(ex["request"]["body"], version="beta"),
        "beta", index)
    assert_record(r.result, ex["response"]["body"], truncated=True)


@pytest.mark.parametrize("index", examples("identityproviderbase-update"))
async def test_update(index: int) -> None:
    op = "identityproviderbase-update"
    req = example(op, index)["request"]
    provider_id = req["url"].rsplit("/", 1)[1]
    r = await replay(op, lambda c: c.identity_providers.update(provider_id, req["body"]), index)
    assert r.result is None


async def test_delete() -> None:
    r = await replay("identityproviderbase-delete", lambda c: c.identity_providers.delete("{id}"))
    assert r.result is None


@pytest.mark.parametrize("index", examples("identityproviderbase-availableprovidertypes"))
async def test_available_provider_types(index: int) -> None:
    op = "identityproviderbase-availableprovidertypes"
    r = await replay(op, lambda c: c.identity_providers.available_provider_types(), index)
    assert r.result == documented_body(op, index)["value"]


# -- validation happens before any request -------------------------------------------------------
SOCIAL = dict(example(POST, 0)["request"]["body"])
OIDC = dict(other_version_example(POST, "beta", 2)["request"]["body"])


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (without(SOCIAL, "@odata.type"), "@odata.type"),
        ({**SOCIAL, "@odata.type": "#microsoft.graph.builtInIdentityProvider"}, "@odata.type"),
        (without(SOCIAL, "clientSecret"), "clientSecret"),
        ({**SOCIAL, "identityProviderType": "MySpace"}, "identityProviderType"),
        ({**SOCIAL, "identityProviderType": "AppleManaged"}, "identityProviderType"),
        (OIDC, "@odata.type"),  # OpenID Connect providers are beta-only in B2C
    ],
)
async def test_bad_create_bodies_are_refused(body: dict[str, Any], field: str) -> None:
    err = await no_request(lambda c: c.identity_providers.create(body), ValidationError)
    assert isinstance(err, ValidationError)
    assert err.field == field


@pytest.mark.parametrize(
    "change",
    [{"metadataUrl": "http://example.com/.well-known/openid-configuration"},
     {"metadataUrl": "https://example.com/metadata"},
     {"responseType": "code", "clientSecret": ""}],
)
async def test_bad_openid_connect_bodies_are_refused(change: dict[str, str]) -> None:
    body = {**OIDC, **change}
    await no_request(lambda c: c.identity_providers.create(body, version="beta"), ValidationError)


async def test_provider_type_is_sent_in_graph_spelling() -> None:
    recorder = Recorder(httpx.Response(201, json={"id": "GitHub-OAUTH"}))
    async with make_client(recorder) as client:
        await client.identity_providers.create({**SOCIAL, "identityProviderType": "github"})
    assert json.loads(recorder.bodies[0])["identityProviderType"] == "GitHub"


async def test_empty_update_is_refused() -> None:
    await no_request(lambda c: c.identity_providers.update("Amazon-OAUTH", {}), ValidationError)


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("identity_providers") == 3
