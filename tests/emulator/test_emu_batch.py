"""JSON batching: limits, duplicate ids, dependsOn and 424, inner throttling."""

from __future__ import annotations

from typing import Any

from emu_support import client_for, local_account, make

from b2c_tui.emulator import ManualClock


def _by_id(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in body["responses"]}


async def test_batch_runs_each_request_and_reports_status_headers_body() -> None:
    emu = make(users=50)
    requests = [
        {"id": "1", "method": "GET", "url": "/users?$top=2&$select=id"},
        {
            "id": "2",
            "method": "POST",
            "url": "/users",
            "body": local_account("batch@example.com"),
            "headers": {"Content-Type": "application/json"},
        },
        {"id": "3", "method": "GET", "url": "organization"},
        {"id": "4", "method": "GET", "url": "/users/00000000-0000-4000-8000-000000000000"},
        {
            "id": "5",
            "method": "GET",
            "url": "/users?$count=true",
            "headers": {"ConsistencyLevel": "eventual"},
        },
    ]
    async with client_for(emu) as client:
        response = await client.post("/v1.0/$batch", json={"requests": requests})
    assert response.status_code == 200
    out = _by_id(response.json())
    assert out["1"]["status"] == 200 and len(out["1"]["body"]["value"]) == 2
    assert out["1"]["headers"]["x-ms-resource-unit"] == "1"
    assert out["2"]["status"] == 201 and out["2"]["body"]["id"]
    assert out["3"]["body"]["value"][0]["id"] == emu.tenant_id
    assert out["4"]["status"] == 404
    assert out["4"]["body"]["error"]["code"] == "Request_ResourceNotFound"
    assert out["5"]["status"] == 400


async def test_depends_on_orders_and_failed_dependency_gives_424() -> None:
    emu = make(users=20)
    uid = emu.store.users.get(4)["id"]  # type: ignore[index]
    requests = [
        {
            "id": "read",
            "method": "GET",
            "url": f"/users/{uid}?$select=displayName",
            "dependsOn": ["write"],
        },
        {
            "id": "write",
            "method": "PATCH",
            "url": f"/users/{uid}",
            "body": {"displayName": "Batched"},
            "headers": {"Content-Type": "application/json"},
        },
        {"id": "bad", "method": "DELETE", "url": "/users/00000000-0000-4000-8000-000000000000"},
        {"id": "after-bad", "method": "GET", "url": "/organization", "dependsOn": ["bad"]},
        {"id": "chain", "method": "GET", "url": "/organization", "dependsOn": ["after-bad"]},
    ]
    async with client_for(emu) as client:
        response = await client.post("/beta/$batch", json={"requests": requests})
    assert response.status_code == 200
    out = _by_id(response.json())
    assert out["write"]["status"] == 204 and "body" not in out["write"]
    assert out["read"]["body"]["displayName"] == "Batched"
    assert out["bad"]["status"] == 404
    assert out["after-bad"]["status"] == 424
    assert out["chain"]["status"] == 424


async def test_malformed_batches_fail_whole() -> None:
    emu = make(users=5)
    too_many = [{"id": str(n), "method": "GET", "url": "/organization"} for n in range(21)]
    cases = [
        {"requests": too_many},
        {
            "requests": [
                {"id": "a", "method": "GET", "url": "/organization"},
                {"id": "A", "method": "GET", "url": "/organization"},
            ]
        },
        {"requests": [{"id": "a", "method": "GET", "url": "/organization", "dependsOn": ["zz"]}]},
        {"requests": [{"id": "a", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]},
        {"requests": "nope"},
        {"nothing": []},
    ]
    async with client_for(emu) as client:
        for payload in cases:
            response = await client.post("/v1.0/$batch", json=payload)
            assert response.status_code == 400, payload
        exactly_20 = await client.post("/v1.0/$batch", json={"requests": too_many[:20]})
        assert exactly_20.status_code == 200
        no_type = await client.post(
            "/v1.0/$batch",
            json={
                "requests": [
                    {
                        "id": "1",
                        "method": "POST",
                        "url": "/applications",
                        "body": {"displayName": "x"},
                    }
                ]
            },
        )
        assert no_type.status_code == 200 and no_type.json()["responses"][0]["status"] == 400


async def test_inner_requests_are_throttled_individually() -> None:
    emu = make(users=20, throttling=True)
    requests = [
        {"id": str(n), "method": "GET", "url": "/auditLogs/directoryAudits?$top=1"}
        for n in range(7)
    ]
    async with client_for(emu) as client:
        response = await client.post("/v1.0/$batch", json={"requests": requests})
    assert response.status_code == 200
    statuses = sorted(r["status"] for r in response.json()["responses"])
    assert statuses == [200] * 5 + [429] * 2
    throttled = [r for r in response.json()["responses"] if r["status"] == 429]
    assert all(float(r["headers"]["Retry-After"]) > 0 for r in throttled)
    assert throttled[0]["body"]["error"]["code"] == "TooManyRequests"


JSON = "application/json"


def _edits(uids: list[str], start: int) -> list[dict[str, Any]]:
    return [
        {"id": str(n), "method": "PATCH", "url": f"/users/{uids[(start + n) % len(uids)]}",
         "body": {"jobTitle": f"Batch {start + n}"}, "headers": {"Content-Type": JSON}}
        for n in range(20)
    ]


async def test_inner_writes_draw_on_the_write_budget_and_recover_after_retry_after() -> None:
    clock = ManualClock()
    emu = make(users=600, throttling=True, clock=clock)  # a large tenant: 8,000 RU per 10 s
    uids = [u["id"] for o in range(600) if (u := emu.store.users.get(o))]
    results: list[dict[str, Any]] = []
    async with client_for(emu) as client:
        for b in range(160):  # 3,200 edits at once: the write budget is 3,000 per 150 s
            response = await client.post("/v1.0/$batch", json={"requests": _edits(uids, b * 20)})
            assert response.status_code == 200
            results += response.json()["responses"]
        done = [r for r in results if r["status"] == 204]
        throttled = [r for r in results if r["status"] == 429]
        assert len(done) == 3000 and len(throttled) == 200
        assert all(r["headers"]["x-ms-throttle-information"] == "WriteLimitExceeded"
                   for r in throttled)
        waits = [float(r["headers"]["Retry-After"]) for r in throttled]
        assert all(0 < w <= 150 for w in waits)
        assert throttled[0]["body"]["error"]["code"] == "TooManyRequests"
        clock.advance(waits[-1])  # enough for one more edit
        again = (await client.post("/v1.0/$batch", json={"requests": _edits(uids, 0)})).json()
        assert [r["status"] for r in again["responses"]] == [204] + [429] * 19
        clock.advance(1)  # the budget refills at 20 writes a second
        later = (await client.post("/v1.0/$batch", json={"requests": _edits(uids, 0)})).json()
        assert [r["status"] for r in later["responses"]] == [204] * 20


async def test_injected_faults_reach_inner_requests_too() -> None:
    emu = make(users=50, faults={"rate_429": 1.0, "retry_after_429": 3, "path": "/users"})
    uid = emu.store.users.get(5)["id"]  # type: ignore[index]
    requests = [
        {"id": "edit", "method": "PATCH", "url": f"/users/{uid}", "body": {"jobTitle": "x"},
         "headers": {"Content-Type": "application/json"}},
        {"id": "org", "method": "GET", "url": "/organization"},
    ]
    async with client_for(emu) as client:
        response = await client.post("/v1.0/$batch", json={"requests": requests})
    assert response.status_code == 200
    out = _by_id(response.json())
    assert out["edit"]["status"] == 429 and out["edit"]["headers"]["Retry-After"] == "3"
    assert out["org"]["status"] == 200
    assert emu.store.users.get(5)["jobTitle"] is None  # type: ignore[index]
