"""Extras for the contract tests of the identity families (auth methods, providers, flows...).

The lead's harness replays ``examples`` with valid JSON. Some documented examples are not valid
JSON (``body_is_raw``: trailing commas) and some live under ``other_versions``; these helpers
replay those too, with the same request checks.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from b2c_tui.graph import GraphClient, ReadOnlyError
from b2c_tui.graph.resources.base import is_mutating

from .harness import (
    Recorder,
    Replay,
    assert_request_matches,
    documented_response,
    load,
    make_client,
)

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def repair_json(text: str) -> Any:
    """Parse a docs body that is JSON but for trailing commas."""
    return json.loads(_TRAILING_COMMA.sub(r"\1", text))


def repaired_example(ex: dict[str, Any]) -> dict[str, Any]:
    """The example with its raw request and response bodies repaired into JSON values."""
    ex = json.loads(json.dumps(ex))
    for part in ("request", "response"):
        if ex[part].get("body_is_raw") and isinstance(ex[part].get("body"), str):
            ex[part]["body"] = repair_json(ex[part]["body"])
            ex[part]["body_is_raw"] = False
    return ex


def assert_record(result: Any, documented: Any, *, truncated: bool = False) -> None:
    """A get/post result equals the documented body (contains it, where the docs truncated)."""
    assert isinstance(result, dict)
    if truncated:
        assert documented.items() <= result.items(), (result, documented)
    else:
        assert result == documented


async def _run(
    ex: dict[str, Any], call: Callable[[GraphClient], Awaitable[Any]], **check: Any
) -> Replay:
    recorder = Recorder(documented_response(ex))
    async with make_client(recorder) as client:
        result = await call(client)
    assert len(recorder.requests) == 1, f"expected one request, got {len(recorder.requests)}"
    request, body = recorder.requests[0], recorder.bodies[0]
    assert_request_matches(request, body, ex, **check)
    return Replay(result, request, body)


async def replay_repaired(
    op_file: str,
    call: Callable[[GraphClient], Awaitable[Any]],
    index: int = 0,
    *,
    path: str | None = None,
) -> Replay:
    """Replay an example whose bodies are raw: the request must match (its JSON body equal to
    the repaired documented one); an unparseable documented response must fail loudly rather
    than read as an empty result; the repaired response must give the documented result."""
    raw = load(op_file)["examples"][index]
    fixed = repaired_example(raw)
    if raw["response"].get("body_is_raw"):
        recorder = Recorder(documented_response(raw))
        async with make_client(recorder) as client:
            with pytest.raises(ValueError):
                await call(client)
        assert_request_matches(recorder.requests[0], recorder.bodies[0], fixed, path=path)
    replayed = await _run(fixed, call, path=path)
    if raw["request"].get("body_is_raw"):
        assert json.loads(replayed.body) == fixed["request"]["body"]
    return replayed


def other_version_example(op_file: str, version: str, index: int) -> dict[str, Any]:
    for other in load(op_file).get("other_versions", []):
        if other["version"] == version:
            return other["examples"][index]
    raise KeyError(f"{op_file} documents no {version} examples")


async def replay_other_version(
    op_file: str,
    call: Callable[[GraphClient], Awaitable[Any]],
    version: str,
    index: int = 0,
) -> Replay:
    """Replay example ``index`` documented for ``version`` under ``other_versions``."""
    return await _run(other_version_example(op_file, version, index), call)


async def assert_read_only_refuses(family: str, *, skip: tuple[str, ...] = ()) -> int:
    """Every mutating method of ``family`` raises ReadOnlyError on a read-only client before
    anything is sent; returns how many methods were tried."""
    recorder = Recorder()
    tried = 0
    async with make_client(recorder, read_only=True) as client:
        api = dict(client.families())[family]
        for name, method in inspect.getmembers(api, inspect.ismethod):
            if name.startswith("_") or name in skip or not is_mutating(method):
                continue
            params = [p for p in inspect.signature(method).parameters.values()
                      if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
            with pytest.raises(ReadOnlyError):
                await method(*({"id": "x"} if "body" in p.name or "patch" in p.name else "x"
                               for p in params))
            tried += 1
    assert recorder.requests == []
    return tried


async def no_request(
    call: Callable[[GraphClient], Awaitable[Any]], error: type[BaseException]
) -> BaseException:
    """Run ``call`` against a transport that must see nothing; return the raised error."""
    recorder = Recorder(httpx.Response(500))
    async with make_client(recorder) as client:
        with pytest.raises(error) as info:
            await call(client)
    assert recorder.requests == [], "validation must fail before any request"
    return info.value
