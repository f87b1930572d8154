"""Fixtures every emulator test shares: a manual clock, a small demo tenant on it, and an
httpx client talking to that tenant in process (helpers live in ``emu_support``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from emu_support import GRAPH

from b2c_tui.emulator import Emulator, ManualClock, create_emulator


@pytest.fixture
def clock() -> ManualClock:
    """The tenant's clock: it moves only when a test advances it."""
    return ManualClock()


@pytest.fixture
def emu(clock: ManualClock) -> Emulator:
    """A small demo tenant (20 users, throttling on) on :func:`clock`."""
    return create_emulator(clock=clock, users=20)


@pytest.fixture
async def client(emu: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to :func:`emu` in process."""
    transport = httpx.ASGITransport(app=emu.asgi)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=GRAPH) as c:
        yield c
