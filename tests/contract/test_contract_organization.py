"""Contract: the organization record and its directory quota."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx

from .harness import Recorder, documented_body, make_client, replay

COVERS = ["organization-get"]

ORG_V1 = "dcd219dd-bc68-4b9b-bf0b-4a33a796be35"  # the v1.0 example's request id
ORG_BETA = "84841066-274d-4ec0-a5c1-276be684bdd3"


async def test_get_organization_v1() -> None:
    r = await replay("organization-get", lambda c: c.organization.get(ORG_V1), 0)
    assert r.result == documented_body("organization-get", 0)


async def test_get_organization_beta() -> None:
    r = await replay("organization-get",
                     lambda c: c.organization.get(ORG_BETA, version="beta"), 1)
    assert r.result == documented_body("organization-get", 1)


async def test_quota_selects_directory_size_quota_from_beta() -> None:
    r = await replay("organization-get", lambda c: c.organization.quota(ORG_BETA), 1,
                     query={"$select": "directorySizeQuota"})
    assert r.result == {"used": 698, "total": 50000}


async def test_quota_without_an_id_reads_the_collection() -> None:
    body = {"@odata.context": "https://graph.microsoft.com/beta/$metadata#organization("
                              "directorySizeQuota)",
            "value": [{"directorySizeQuota": {"used": 211802, "total": 300000}}]}
    recorder = Recorder(httpx.Response(200, json=body))
    async with make_client(recorder) as client:
        assert await client.organization.quota() == {"used": 211802, "total": 300000}
    url = urlsplit(str(recorder.requests[0].url))
    assert url.path == "/beta/organization"
    assert dict(parse_qsl(url.query)) == {"$select": "directorySizeQuota"}


async def test_quota_is_empty_when_not_reported() -> None:
    recorder = Recorder(httpx.Response(200, json={"id": ORG_BETA}))
    async with make_client(recorder) as client:
        assert await client.organization.quota(ORG_BETA) == {}


async def test_list_organization() -> None:
    recorder = Recorder(httpx.Response(200, json={"value": [{"id": ORG_BETA}]}))
    async with make_client(recorder) as client:
        assert await client.organization.list().collect() == [{"id": ORG_BETA}]
    assert recorder.requests[0].url.path == "/v1.0/organization"
