"""Sync and async calls mixed on one Tenant over real loopback HTTP (a served emulator).

Before every call ran on the tenant's own loop thread, the second kind of call failed with
``... is bound to a different event loop`` (or ``Event loop is closed``): httpx's connection
pool belongs to the loop that opened it. The in-process demo tenant hid this.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from b2c_tui.api import Tenant
from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.emulator.server import profile_toml, run_in_thread


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Emulator, str]]:
    emu = create_emulator(users=300, throttling=False, require_auth=True)
    base_url, stop = run_in_thread(emu)
    yield emu, base_url
    stop()


def loopback_tenant(served: tuple[Emulator, str], tmp_path: Path) -> Tenant:
    emu, base_url = served
    config = tmp_path / "config.toml"
    config.write_text(profile_toml(emu, base_url, name="loopback"), encoding="utf-8")
    tenant = Tenant.connect("loopback", config_path=str(config),
                            environ={"B2C_TUI_TOKEN": emu.mint_token()})
    assert not tenant.connection.demo
    assert tenant.client.core.graph_url == base_url
    return tenant


def test_sync_then_async_then_sync_over_http(served: tuple[Emulator, str],
                                             tmp_path: Path) -> None:
    with loopback_tenant(served, tmp_path) as tenant:
        first = tenant.users(limit=5)
        # each asyncio.run() is a new loop, closed when it returns
        second = asyncio.run(tenant.users_async(limit=5))
        third = tenant.users(limit=5)
        fourth = asyncio.run(tenant.keys_async())
        fifth = tenant.applications()
    assert first["id"].tolist() == second["id"].tolist() == third["id"].tolist()
    assert len(fourth) and len(fifth)


async def test_sync_inside_a_running_loop_then_await_over_http(
        served: tuple[Emulator, str], tmp_path: Path) -> None:
    tenant = loopback_tenant(served, tmp_path)
    try:
        sync = tenant.users(limit=50)  # what a notebook cell does inside Jupyter's loop
        awaited, policies = await asyncio.gather(tenant.users_async(limit=50),
                                                 tenant.policies_async())
        again = tenant.quota()
    finally:
        await tenant.aclose()
    assert sync["id"].tolist() == awaited["id"].tolist()
    assert len(policies) and int(again["total"].iloc[0]) > 0


def test_calls_from_several_threads_share_the_tenant(served: tuple[Emulator, str],
                                                     tmp_path: Path) -> None:
    tenant = loopback_tenant(served, tmp_path)
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(len(asyncio.run(tenant.users_async(limit=20))))
            results.append(len(tenant.users(limit=20)))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    tenant.close()
    assert not errors and results == [20] * 6


async def test_cancelling_an_awaited_call_cancels_it_on_the_tenant_loop(
        served: tuple[Emulator, str], tmp_path: Path) -> None:
    tenant = loopback_tenant(served, tmp_path)
    started = threading.Event()
    cancelled = threading.Event()

    async def slow(client: object) -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task = asyncio.ensure_future(tenant.call_async(slow))
    await asyncio.to_thread(started.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(cancelled.wait, 10)
    assert len(await tenant.users_async(limit=3)) == 3  # the tenant still works
    await tenant.aclose()
