"""Replay the documented examples of ../shared/graph-contract against the client.

Each contract test calls a client method, checks that the request it sent is the documented
one (method, path, query, headers, body) and that the documented response became the right
result. ``COVERS`` in each test module lists the operation files it exercises; test_coverage.py
checks that together they cover every operation in the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from b2c_tui.graph import GraphClient, RetryPolicy

CONTRACT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "graph-contract"
T = TypeVar("T")


def load(op_file: str) -> dict[str, Any]:
    name = op_file if op_file.endswith(".json") else op_file + ".json"
    return json.loads((CONTRACT_DIR / name).read_text(encoding="utf-8"))


def operation_files() -> list[str]:
    return sorted(
        p.stem for p in CONTRACT_DIR.glob("*.json")
        if not p.stem.startswith(("resource-", "behaviour"))
    )


def example(op_file: str, index: int = 0) -> dict[str, Any]:
    return load(op_file)["examples"][index]


def documented_response(ex: dict[str, Any]) -> httpx.Response:
    resp = ex["response"]
    status = int(resp.get("status") or 200)
    headers = {k: v for k, v in (resp.get("headers") or {}).items()
               if k.lower() == "content-type"}
    body = resp.get("body")
    if body is None:
        return httpx.Response(status, headers=headers)
    if isinstance(body, (dict, list, int, float)) and not resp.get("body_is_raw"):
        headers.setdefault("Content-Type", "application/json")
        return httpx.Response(status, headers=headers, content=json.dumps(body).encode())
    return httpx.Response(status, headers=headers, content=str(body).encode())


class Recorder(httpx.AsyncBaseTransport):
    """Records requests and answers each with the next canned response."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(await request.aread())
        self.requests.append(request)
        if not self.responses:
            raise AssertionError(f"unexpected extra request {request.method} {request.url}")
        response = self.responses.pop(0)
        return httpx.Response(response.status_code, headers=response.headers,
                              content=response.content)


@dataclass
class Replay:
    result: Any
    request: httpx.Request
    body: bytes


def make_client(transport: httpx.AsyncBaseTransport, **kw: Any) -> GraphClient:
    return GraphClient.create(None, transport=transport,
                              retry=kw.pop("retry", RetryPolicy(max_attempts=1)), **kw)


async def replay(
    op_file: str,
    call: Callable[[GraphClient], Awaitable[T]],
    index: int = 0,
    *,
    check_request: bool = True,
    path: str | None = None,
    query: dict[str, str] | None = None,
) -> Replay:
    """Run ``call`` against the documented response of example ``index`` and check the request.

    ``path`` overrides the documented path where the example uses ``/me`` (a signed-in user,
    which app-only B2C administration never has) and ``query`` where the docs spell it loosely.
    """
    ex = example(op_file, index)
    recorder = Recorder(documented_response(ex))
    async with make_client(recorder) as client:
        result = await call(client)
    assert len(recorder.requests) == 1, f"expected one request, got {len(recorder.requests)}"
    request, body = recorder.requests[0], recorder.bodies[0]
    if check_request:
        assert_request_matches(request, body, ex, path=path, query=query)
    return Replay(result, request, body)


def _split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    # The docs write queries unencoded ("$filter=a eq 'b'"); compare decoded forms.
    query = {unquote(k): unquote(v) for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    return unquote(parts.path).rstrip("/"), query


def assert_request_matches(
    request: httpx.Request,
    body: bytes,
    ex: dict[str, Any],
    *,
    path: str | None = None,
    query: dict[str, str] | None = None,
) -> None:
    doc = ex["request"]
    assert request.method == doc["method"].upper()
    doc_path, doc_query = _split(doc["url"].replace("+", "%2B"))
    sent_path, sent_query = _split(str(request.url))
    assert sent_path.lower() == (path or doc_path).rstrip("/").lower(), (sent_path, doc_path)
    assert sent_query == (doc_query if query is None else query)
    for name, value in (doc.get("headers") or {}).items():
        if name.lower() == "content-type":
            assert request.headers.get("content-type", "").split(";")[0] == value.split(";")[0]
    assert request.headers.get("authorization") is None or request.headers["authorization"]
    doc_body = doc.get("body")
    if doc_body is None:
        assert body in (b"", b"null")
    elif doc.get("body_is_raw"):
        if isinstance(doc_body, str) and doc_body.lstrip().startswith("<"):
            assert body.decode().strip().startswith("<")
    else:
        assert json.loads(body) == doc_body


def documented_body(op_file: str, index: int = 0) -> Any:
    return example(op_file, index)["response"].get("body")
