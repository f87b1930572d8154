"""Nothing the client raises carries the token: not the message, not a chained httpx error
(whose request holds the Authorization header), not a local variable a crash report shows."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from b2c_tui.graph import GraphCore, RetryPolicy
from b2c_tui.graph.errors import B2CTuiError

# Not JWT-shaped and never registered with redact(): only structure can keep it out.
TOKEN = "plain-secret-token-4c1d2e3f"


class Tokens:
    async def token(self, *, force_refresh: bool = False) -> str:
        return TOKEN


def raising(kind: type[httpx.TransportError], message: str) -> Callable[..., httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        raise kind(message, request=request)

    return handler


def answering(status: int) -> Callable[..., httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"code": "X", "message": "nope"}})

    return handler


def chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]


def crash_report(exc: BaseException) -> str:
    """What a rich/Textual crash screen shows: the traceback with every frame's locals."""
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    console.print(Traceback.from_exception(type(exc), exc, exc.__traceback__, show_locals=True,
                                           max_frames=100))
    return out.getvalue()


async def raised(handler: Callable[..., httpx.Response], method: str) -> B2CTuiError:
    core = GraphCore(Tokens(), transport=httpx.MockTransport(handler),
                     retry=RetryPolicy(max_attempts=2, base_delay=0.001))
    with pytest.raises(B2CTuiError) as info:
        await core.request(method, "/users", json={"displayName": "x"} if method != "GET" else None)
    return info.value


CASES: list[tuple[Callable[..., httpx.Response], str]] = [
    (raising(httpx.ConnectError, "[Errno 111] Connection refused"), "GET"),
    (raising(httpx.RemoteProtocolError, "Server disconnected"), "GET"),
    (raising(httpx.RemoteProtocolError, "Server disconnected"), "POST"),
    (raising(httpx.ReadTimeout, "timed out"), "POST"),
    (answering(403), "GET"),
    (answering(400), "PATCH"),
]


@pytest.mark.parametrize(("handler", "method"), CASES)
async def test_errors_carry_no_token_and_no_httpx_request(handler: Any, method: str) -> None:
    error = await raised(handler, method)
    for link in chain(error):
        assert not isinstance(link, httpx.HTTPError), "an httpx error (with its request) is kept"
        assert TOKEN not in str(link) and TOKEN not in repr(link)
        for value in vars(link).values():
            assert not isinstance(value, httpx.Request | httpx.Response | httpx.Headers)
            assert TOKEN not in repr(value)


@pytest.mark.parametrize(("handler", "method"), CASES)
async def test_crash_report_with_locals_shows_no_token(handler: Any, method: str) -> None:
    error = await raised(handler, method)
    report = crash_report(error)
    assert "GraphCore" in report or "request" in report  # the frames are really there
    assert TOKEN not in report
