"""What ``b2c-tui policies`` and ``b2c-tui keys`` share: running async work against the
tenant, turning errors into one line and an exit code, and printing tenant text safely."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ..api.text import visible
from .common import EXIT_GRAPH, Handler, fail, open_connection
from .frame_output import exit_code_for, pipe_closed

if TYPE_CHECKING:
    from ..connection import Connection

def clean(text: object) -> str:
    """``text`` (ids, Graph messages, policy XML: lines of tenant text) with what would act on a
    terminal or hide itself shown as an escape (``\\u001b``, ``\\u202e``); tabs and line breaks
    are kept."""
    return visible(str(text), keep="\t\n")


def out(line: str = "") -> None:
    sys.stdout.write(clean(line) + "\n")


def note(line: str) -> None:
    """A progress or context line on stderr (stdout stays for results a pipeline reads)."""
    sys.stderr.write(clean(line) + "\n")
    sys.stderr.flush()


def run_with_tenant(args: argparse.Namespace,
                    work: Callable[[Connection], Awaitable[int]]) -> int:
    """Open the tenant the common options name, run ``work`` and close it; errors become one
    line on stderr and the matching exit code."""
    from ..graph.errors import B2CTuiError, GraphError
    from ..policies.push import TenantChangedError, UploadRefusedError

    async def main() -> int:
        connection = open_connection(args)
        try:
            return await work(connection)
        finally:
            await connection.aclose()

    try:
        return asyncio.run(main())
    except BrokenPipeError:
        return pipe_closed()
    except B2CTuiError as exc:
        text = f"Graph refused: {exc}" if isinstance(exc, GraphError) else str(exc)
        return fail(text, exit_code_for(exc, {UploadRefusedError: EXIT_GRAPH,
                                                     TenantChangedError: EXIT_GRAPH}))


def tenant_action(work: Callable[[argparse.Namespace, Connection], Awaitable[int]]) -> Handler:
    """An action's handler from ``work(args, connection)``: run on the tenant the common
    options name, through :func:`run_with_tenant`."""

    @functools.wraps(work)
    def run(args: argparse.Namespace) -> int:
        return run_with_tenant(args, functools.partial(work, args))

    return run
