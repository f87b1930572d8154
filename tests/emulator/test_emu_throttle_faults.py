"""Throttling budgets (on the manual clock) and every fault knob."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest
from emu_support import client_for, error_code, local_account, make

from b2c_tui.emulator import ManualClock
from b2c_tui.emulator.http import Request, Response, json_response


def _ok(request: Request) -> Response:
    return json_response(200, {"ok": True})


async def test_resource_unit_costs() -> None:
    emu = make(users=100, throttling=True)
    uid = emu.store.users.get(5)["id"]  # type: ignore[index]
    async with client_for(emu) as client:
        cases = {
            "/v1.0/users": "2",
            "/v1.0/users?$select=id": "1",
            "/v1.0/users?$top=5&$select=id": "1",
            "/v1.0/users?$top=5": "1",
            f"/v1.0/users/{uid}": "2",
            "/v1.0/organization": "1",
        }
        for url, units in cases.items():
            assert (await client.get(url)).headers["x-ms-resource-unit"] == units, url
        created = await client.post("/v1.0/users", json=local_account("ru@example.com"))
        assert created.headers["x-ms-resource-unit"] == "5"  # +4 for a B2C user


async def test_directory_burst_gets_429_with_retry_after_then_recovers() -> None:
    clock = ManualClock()
    emu = make(users=20, throttling=True, clock=clock)  # small tenant: 3,500 RU per 10 s
    uid = emu.store.users.get(3)["id"]  # type: ignore[index]
    async with client_for(emu) as client:
        statuses = []
        for _ in range(1760):
            response = await client.get(f"/v1.0/users/{uid}")
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
        assert statuses.count(200) == 1750
        assert response.status_code == 429 and error_code(response) == "TooManyRequests"
        retry_after = float(response.headers["Retry-After"])
        assert 0 < retry_after <= 10
        assert response.headers["x-ms-throttle-information"] == "ResourceUnitLimitExceeded"
        assert re.match(
            r"Tenant_Application/Read/[0-9a-f-]+/" + emu.tenant_id,
            response.headers["x-ms-throttle-scope"],
        )
        assert (await client.get(f"/v1.0/users/{uid}")).status_code == 429
        clock.advance(retry_after)
        recovered = await client.get(f"/v1.0/users/{uid}")
        assert recovered.status_code == 200
        assert float(recovered.headers["x-ms-throttle-limit-percentage"]) >= 0.8


async def test_audit_logs_allow_five_requests_per_ten_seconds() -> None:
    clock = ManualClock()
    emu = make(users=20, throttling=True, clock=clock)
    async with client_for(emu) as client:
        codes = [
            (await client.get("/v1.0/auditLogs/directoryAudits?$top=1")).status_code
            for _ in range(6)
        ]
        assert codes == [200] * 5 + [429]
        clock.advance(2)
        assert (await client.get("/v1.0/auditLogs/directoryAudits?$top=1")).status_code == 200


async def test_conditional_access_429_has_no_retry_after() -> None:
    clock = ManualClock()
    emu = make(users=20, throttling=True, clock=clock)
    emu.router.add("GET", "/test/ca", _ok, family="conditional_access")
    async with client_for(emu) as client:
        assert (await client.get("/v1.0/test/ca")).status_code == 200
        throttled = await client.get("/v1.0/test/ca")
        assert throttled.status_code == 429 and "retry-after" not in throttled.headers
        clock.advance(1)
        assert (await client.get("/v1.0/test/ca")).status_code == 200


async def test_application_writes_limited_to_60_per_minute() -> None:
    clock = ManualClock()
    emu = make(users=20, throttling=True, clock=clock)
    app_id = emu.store.apps.client_app_id
    async with client_for(emu) as client:
        codes = [
            (
                await client.patch(f"/v1.0/applications(appId='{app_id}')", json={"notes": str(n)})
            ).status_code
            for n in range(61)
        ]
        assert codes[:60] == [204] * 60 and codes[60] == 429


async def test_throttling_switch_off() -> None:
    emu = make(users=20, throttling=False)
    async with client_for(emu) as client:
        codes = {
            (await client.get("/v1.0/auditLogs/directoryAudits?$top=1")).status_code
            for _ in range(20)
        }
    assert codes == {200}


async def test_latency_overlaps_concurrent_requests() -> None:
    emu = make(users=20, latency=0.2)
    async with client_for(emu) as client:
        start = time.perf_counter()
        responses = await asyncio.gather(*(client.get("/v1.0/organization") for _ in range(10)))
        elapsed = time.perf_counter() - start
    assert all(r.status_code == 200 for r in responses)
    assert 0.2 <= elapsed < 10 * 0.2 * 0.75  # overlapped: one after another would take 2 s


async def test_injected_429_and_503_with_path_filter() -> None:
    emu = make(users=20)
    async with client_for(emu) as client:
        emu.faults.configure(rate_429=1.0, retry_after_429=1.5, path="/users")
        throttled = await client.get("/v1.0/users")
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1.500"
        assert (await client.get("/v1.0/applications")).status_code == 200
        emu.faults.reset()
        emu.faults.rate_503 = 1.0
        unavailable = await client.get("/v1.0/organization")
        assert unavailable.status_code == 503 and "retry-after" not in unavailable.headers
        emu.faults.retry_after_503 = 3
        assert (await client.get("/v1.0/organization")).headers["Retry-After"] == "3"
        emu.faults.reset()
        assert (await client.get("/v1.0/organization")).status_code == 200


async def test_rates_are_deterministic() -> None:
    async def run() -> list[int]:
        emu = make(users=20, faults={"rate_429": 0.3, "rate_503": 0.2, "seed": 7})
        async with client_for(emu) as client:
            return [(await client.get("/v1.0/organization")).status_code for _ in range(40)]

    first, second = await run(), await run()
    assert first == second
    assert {200, 429, 503} <= set(first)


async def test_drop_nth_request_and_mid_body() -> None:
    emu = make(users=20, faults={"drop_nth": 2})
    async with client_for(emu) as client:
        assert (await client.get("/v1.0/users?$top=3")).status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/v1.0/users?$top=3")
        assert (await client.get("/v1.0/users?$top=3")).status_code == 200
        emu.faults.configure(drop_rate=1.0, drop_mid_body=True, path=re.compile(r"/users$"))
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            await client.get("/v1.0/users")
        assert (await client.get("/v1.0/organization")).status_code == 200


def test_unknown_knob_is_an_error() -> None:
    emu = make(users=1)
    with pytest.raises(AttributeError):
        emu.faults.configure(latncy=1)
