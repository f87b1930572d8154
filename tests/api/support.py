"""Helpers for the notebook API tests: a demo tenant whose requests are recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from b2c_tui.api import Tenant
from b2c_tui.connection import DEMO_GRAPH_URL, DEMO_TENANT, Connection
from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.graph.client import GraphClient


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to ``inner`` and keeps each one (method, URL, body)."""

    inner: httpx.AsyncBaseTransport
    requests: list[httpx.Request] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]

    def writes(self) -> list[httpx.Request]:
        """Requests that change something: not GET, and no $batch of GETs only."""
        import json

        out = []
        for r in self.requests:
            if r.method == "GET":
                continue
            if r.url.path.endswith("/$batch"):
                inner = json.loads(r.content or b"{}").get("requests", [])
                if all(i.get("method") == "GET" for i in inner):
                    continue
            out.append(r)
        return out


def recorded_tenant(users: int = 300, *, read_only: bool = False,
                    **emulator: Any) -> tuple[Tenant, Recorder, Emulator]:
    """A demo tenant (throttling off) over a recording transport."""
    emulator.setdefault("throttling", False)
    emu = create_emulator(users=users, tenant=DEMO_TENANT, **emulator)
    recorder = Recorder(httpx.ASGITransport(app=emu.asgi))  # type: ignore[arg-type]
    client = GraphClient.create(None, graph_url=DEMO_GRAPH_URL, transport=recorder,
                                read_only=read_only)
    connection = Connection(client, DEMO_TENANT, "demo", True, False, None, emu)
    return Tenant(connection), recorder, emu
