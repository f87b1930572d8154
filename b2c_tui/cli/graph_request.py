"""``b2c-tui graph METHOD PATH``: one raw Graph request with the profile's sign-in.

Like ``Invoke-MgGraphRequest`` or ``m365 request``: the answer's JSON on stdout, ``--all``
follows ``@odata.nextLink`` and gathers every page. A write (POST, PATCH, PUT, DELETE) on a
read-only profile is refused before anything is sent (exit 4). The token only ever goes to the
profile's Graph host: an absolute URL elsewhere is refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .common import (
    EXIT_CODES_HELP,
    EXIT_OK,
    EXIT_READ_ONLY,
    EXIT_USAGE,
    fail,
    open_connection,
    write_json,
)
from .frame_output import (
    UsageError,
    exit_code_for,
    failures,
    json_safe,
    one_line,
    pipe_closed,
    visible,
)
from .options import command_parser

if TYPE_CHECKING:
    from ..connection import Connection

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
VERSIONS = ("v1.0", "beta")

EXAMPLES = f"""\
examples:
  b2c-tui graph GET /organization
  b2c-tui graph GET "/users?\\$select=id,displayName&\\$top=5"
  b2c-tui graph GET /users --all -o jsonl > users.jsonl
  b2c-tui graph GET /beta/trustFramework/keySets
  b2c-tui graph PATCH /users/ID --body patch.json
  echo '{{"displayName": "New name"}}' | b2c-tui graph PATCH /users/ID --body -
  b2c-tui graph PUT /beta/trustFramework/policies/B2C_1A_X/\\$value --body x.xml \\
      --content-type application/xml

PATH is relative to the profile's Graph URL; it may start with /v1.0/ or /beta/ (--beta
says beta for a PATH without one). Quote it so the shell leaves $select and & alone.
{EXIT_CODES_HELP}
"""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = command_parser(
        sub, common, "graph", help="send one raw Graph request (JSON out)",
        description="Send a request to Microsoft Graph with the profile's sign-in.",
        epilog=EXAMPLES)
    parser.add_argument("method", metavar="METHOD", help=", ".join(METHODS))
    parser.add_argument("path", metavar="PATH", help="/users, /beta/identity/b2cUserFlows...")
    parser.add_argument("--body", metavar="FILE", help="request body from FILE ('-': stdin)")
    parser.add_argument("--content-type", default="application/json",
                        help="the body's type (default application/json, checked before "
                        "sending)")
    parser.add_argument("--all", action="store_true",
                        help="GET: follow @odata.nextLink and gather every page's value")
    parser.add_argument("--beta", action="store_true", help="use beta for a PATH without a "
                        "version")
    parser.add_argument("-o", "--output", choices=("json", "jsonl"), default="json",
                        help="json (default) or, with --all, jsonl: one record per line")
    parser.set_defaults(func=run)


def _body(args: argparse.Namespace, method: str) -> bytes | None:
    if args.body is None:
        return None
    if method == "GET":
        raise UsageError("A GET request has no body; drop --body.")
    try:
        if args.body == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.body, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read the body: {exc.strerror or exc}") from None
    if "json" in args.content_type.lower():
        try:
            json.loads(data or b"null")
        except ValueError as exc:
            raise UsageError(f"the body is not valid JSON ({exc}); nothing was sent") from None
    return data


def split_path(path: str, graph_url: str, beta: bool) -> tuple[str, str, dict[str, str]]:
    """``(version, /path, query pairs)`` for what was typed; an absolute URL must be on the
    profile's Graph host (the token is sent only there)."""
    text = path.strip()
    if text.lower().startswith(("https://", "http://")):
        base = graph_url.rstrip("/") + "/"
        if not text.lower().startswith(base.lower()):
            raise UsageError(f"{visible(text.split('?', 1)[0])} is not on this profile's Graph "
                             f"({graph_url}); the token is only sent there.")
        text = text[len(base):]
    text, _, query = text.lstrip("/").partition("?")
    head, _, rest = text.partition("/")
    version = "beta" if beta else "v1.0"
    if head in VERSIONS:
        version, text = head, rest
    if not text:
        raise UsageError("PATH names nothing after the version (e.g. /users).")
    return version, "/" + text, dict(parse_qsl(query, keep_blank_values=True))


def run(args: argparse.Namespace) -> int:
    method = args.method.strip().upper()
    if method not in METHODS:
        return fail(f"unknown method {visible(args.method)!r}; one of {', '.join(METHODS)}",
                    EXIT_USAGE)
    if args.all and method != "GET":
        return fail("--all follows the pages of a GET; drop it for " + method, EXIT_USAGE)
    if args.output == "jsonl" and not args.all:
        return fail("-o jsonl needs --all (one record per line of a collection)", EXIT_USAGE)
    try:
        body = _body(args, method)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    connection = open_connection(args)
    if method != "GET" and connection.read_only:
        return fail(f"read-only: refusing to send {method} {visible(args.path)} (nothing was "
                    "sent)", EXIT_READ_ONLY)
    import asyncio

    try:
        version, path, params = split_path(args.path, connection.client.core.graph_url,
                                           args.beta)
        asyncio.run(_send(connection, method, version, path, params, body, args))
    except BrokenPipeError:
        return pipe_closed()
    except failures() as exc:
        return fail(one_line(exc), exit_code_for(exc))
    return EXIT_OK


async def _send(connection: Connection, method: str, version: str, path: str,
                params: dict[str, str], body: bytes | None,
                args: argparse.Namespace) -> None:
    core = connection.client.core
    out = sys.stdout
    try:
        if args.all:
            await _all_pages(connection, version, path, params, args.output, out)
            return
        response = await core.request(
            method, path, version=version, params=params or None, content=body,
            content_type=args.content_type if body is not None else None)
        if not response.content:
            return
        ctype = response.headers.get("content-type", "")
        if "json" in ctype:
            write_json(response.json(), out)
        else:
            text = response.text
            out.write(visible_lines(text) if out.isatty() else text)
            if not text.endswith("\n"):
                out.write("\n")
    finally:
        await connection.aclose()


async def _all_pages(connection: Connection, version: str, path: str,
                     params: dict[str, str], output: str, out: IO[str]) -> None:
    pages = connection.client.core.pages(path, version=version, params=params or None)
    items: list[Any] = []
    async with pages:
        async for page in pages:
            if output == "jsonl":
                out.write("".join(json_safe(json.dumps(i, ensure_ascii=False)) + "\n"
                                  for i in page.items))
            else:
                items.extend(page.items)
    if output == "json":
        write_json({"value": items}, out)


def visible_lines(text: str) -> str:
    """Text for a terminal: hidden characters visible, line breaks kept."""
    return "\n".join(visible(line) for line in text.split("\n"))
