"""JSON batching: ``POST /{version}/$batch`` with up to 20 requests.

Ids are unique case-insensitively (a duplicate fails the whole batch with 400), ``dependsOn``
orders execution and turns a failed dependency into 424 for its dependents, and every inner
request is authenticated by the outer one but routed and throttled on its own: it draws on its
family's documented budget (20 user edits are 20 writes of the 3,000 per 150 s), an inner 429
carries its own ``Retry-After``, and injected 429s and 503s reach inner requests too. The outer
status is 200 whenever the batch parses.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from .http import GraphError, Request, Response, current_request, json_response
from .router import Router

#: Runs one inner request the way the emulator runs any request (routing, throttling).
InnerHandler = Callable[[Request], Awaitable[Response]]

MAX_REQUESTS = 20
_SKIP_HEADERS = {"request-id", "client-request-id", "content-length"}


def _bad(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


def _validate(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("requests"), list):
        raise _bad("Invalid batch payload format.")
    items: list[dict[str, Any]] = payload["requests"]
    if not items:
        raise _bad("Invalid batch payload format: no requests.")
    if len(items) > MAX_REQUESTS:
        raise _bad(f"Number of requests in the batch exceeds the limit of {MAX_REQUESTS}.")
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("id", "method", "url")
        ):
            raise _bad("Each batch request requires string 'id', 'method' and 'url'.")
        if item["url"].strip().lower().startswith(("http://", "https://")):
            raise _bad(f"Request '{item['id']}': batch request URLs must be relative.")
        key = item["id"].lower()
        if key in seen:
            raise _bad(f"Batch request contains duplicate request id '{item['id']}'.")
        seen.add(key)
    for item in items:
        deps = item.get("dependsOn") or []
        if not isinstance(deps, list) or any(
            not isinstance(d, str) or d.lower() not in seen for d in deps
        ):
            raise _bad(f"Request '{item['id']}' depends on an unknown request id.")
    return items


def _order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Array order, but every request after the ones it depends on (cycles fail)."""
    done: set[str] = set()
    out: list[dict[str, Any]] = []
    pending = list(items)
    while pending:
        progressed = False
        for item in list(pending):
            deps = {d.lower() for d in item.get("dependsOn") or []}
            if deps <= done:
                out.append(item)
                done.add(item["id"].lower())
                pending.remove(item)
                progressed = True
        if not progressed:
            raise _bad("Batch request dependencies contain a cycle.")
    return out


def _inner_request(outer: Request, item: dict[str, Any]) -> Request:
    url: str = item["url"].strip()
    path, _, query = url.lstrip("/").partition("?")
    first, _, rest = path.partition("/")
    if first.lower() in ("v1.0", "beta"):
        path = rest
    headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
    headers.setdefault("host", outer.host)
    for name in ("authorization",):
        if name in outer.headers:
            headers.setdefault(name, outer.headers[name])
    body_obj = item.get("body")
    body = b""
    if body_obj is not None:
        if "content-type" not in headers:
            raise GraphError(400, "BadRequest", "Content-Type header is required with a body.")
        if isinstance(body_obj, str) and "json" not in headers["content-type"].lower():
            try:
                body = base64.b64decode(body_obj, validate=True)
            except (binascii.Error, ValueError):
                body = body_obj.encode()
        else:
            body = orjson.dumps(body_obj)
    req = Request(
        item["method"],
        "/" + path,
        query_string=query,
        headers=headers,
        body=body,
        version=outer.version,
        scheme=outer.scheme,
        host=outer.host,
        now=outer.now,
    )
    req.state["claims"] = outer.state.get("claims")
    return req


def _entry(item_id: str, response: Response) -> dict[str, Any]:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _SKIP_HEADERS}
    entry: dict[str, Any] = {"id": item_id, "status": response.status, "headers": headers}
    if response.body:
        ctype = (response.header("content-type") or "").lower()
        if "json" in ctype:
            entry["body"] = orjson.loads(response.body)
        else:
            entry["body"] = base64.b64encode(response.body).decode()
    return entry


def register(router: Router, handle: InnerHandler) -> None:
    """Add ``POST /$batch``; ``handle`` runs each inner request."""

    async def batch(request: Request) -> Response:
        items = _validate(request.json())
        results: dict[str, Response] = {}
        failed: set[str] = set()
        for item in _order(items):
            key = item["id"].lower()
            if any(d.lower() in failed for d in item.get("dependsOn") or []):
                response = GraphError(
                    424,
                    "FailedDependency",
                    "The request failed because a dependent request failed.",
                ).response()
            else:
                try:
                    inner = _inner_request(request, item)
                except GraphError as exc:
                    response = exc.response()
                else:
                    token = current_request.set(inner)
                    try:
                        response = await handle(inner)
                    finally:
                        current_request.reset(token)
            if not 200 <= response.status < 300:
                failed.add(key)
            results[item["id"]] = response
        return json_response(
            200, {"responses": [_entry(item["id"], results[item["id"]]) for item in items]}
        )

    router.add("POST", "/$batch", batch, family="batch")
