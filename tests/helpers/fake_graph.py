"""A tiny scripted Graph for unit tests of the core: pages of users, faults on demand."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class FakeSleep:
    """Replaces asyncio.sleep: records the waits, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 0.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        """A monotonic clock that advances only by the recorded waits."""
        return self.now


def users(n: int) -> list[dict[str, str]]:
    return [{"id": f"{i:08d}", "displayName": f"User {i}"} for i in range(n)]


class PagedUsers:
    """Serves ``/users`` in pages of ``page_size`` via ``$skiptoken``; scripted faults."""

    def __init__(self, n: int, page_size: int = 10) -> None:
        self.records = users(n)
        self.page_size = page_size
        self.calls: list[str] = []
        self.faults: dict[int, Callable[[httpx.Request], httpx.Response]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(str(request.url))
        call_no = len(self.calls)
        if call_no in self.faults:
            return self.faults[call_no](request)
        query = parse_qs(urlsplit(str(request.url)).query)
        start = int(query.get("$skiptoken", ["0"])[0])
        end = start + self.page_size
        body: dict[str, object] = {"value": self.records[start:end]}
        if end < len(self.records):
            base = str(request.url).split("?", 1)[0]
            body["@odata.nextLink"] = f"{base}?$top={self.page_size}&$skiptoken={end}"
        return httpx.Response(200, json=body)


def error(status: int, code: str, message: str = "x", headers: dict[str, str] | None = None,
          request_id: str = "rid-1") -> httpx.Response:
    body = {"error": {"code": code, "message": message,
                      "innerError": {"date": "2026-11-22T00:00:00", "request-id": request_id}}}
    return httpx.Response(status, headers=headers or {}, content=json.dumps(body).encode(),
                          )


def drop(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                    request=request)
