"""Helpers shared by the emulator core tests (imported as a plain module, not a conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from b2c_tui.emulator import Emulator, ManualClock, create_emulator

GRAPH = "https://graph.microsoft.com"
STRONG_PASSWORD = "Str0ng!Passw0rd"


def make(users: int = 300, **kwargs: Any) -> Emulator:
    """An emulator on a manual clock, throttling off unless asked."""
    kwargs.setdefault("throttling", False)
    kwargs.setdefault("clock", ManualClock())
    return create_emulator(users=users, **kwargs)


@asynccontextmanager
async def client_for(emu: Emulator, base_url: str = GRAPH) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the emulator in process."""
    transport = httpx.ASGITransport(app=emu.asgi)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client


async def walk(client: httpx.AsyncClient, url: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Follow nextLinks verbatim; returns every item."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = await client.get(next_url, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["value"])
        next_url = body.get("@odata.nextLink")
    return items


def all_users(emu: Emulator) -> list[dict[str, Any]]:
    """Every live user record, in listing order (brute force, for comparisons)."""
    users = emu.store.users
    return [rec for o in users.iter_live() if (rec := users.get(o)) is not None]


def local_account(email: str, **extra: Any) -> dict[str, Any]:
    """A valid B2C local account creation body."""
    body = {
        "displayName": "Test User",
        "identities": [
            {
                "signInType": "emailAddress",
                "issuer": "contosob2c.onmicrosoft.com",
                "issuerAssignedId": email,
            }
        ],
        "passwordProfile": {"password": STRONG_PASSWORD, "forceChangePasswordNextSignIn": False},
        "passwordPolicies": "DisablePasswordExpiration",
    }
    body.update(extra)
    return body


def error_code(response: httpx.Response) -> str:
    """Graph error code of a response."""
    return str(response.json()["error"]["code"])
