"""What ``b2c-tui policies`` and ``b2c-tui keys`` share: running async work against the
tenant, turning errors into one line and an exit code, and printing tenant text safely."""

from __future__ import annotations

import argparse
import asyncio
import functools
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .common import EXIT_GRAPH, EXIT_READ_ONLY, EXIT_USAGE, Handler, fail, open_connection
from .frame_output import pipe_closed

if TYPE_CHECKING:
    from ..connection import Connection

# C0 and C1 control characters other than tab and newline: tenant text (ids, Graph messages,
# policy XML) reaches a terminal, where these would be interpreted, not shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """``text`` with control characters shown as ``\\xNN`` instead of acting on the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(text))


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
    from ..graph.errors import B2CTuiError, GraphError, ReadOnlyError
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
    except ReadOnlyError as exc:
        return fail(clean(exc), EXIT_READ_ONLY)
    except (UploadRefusedError, TenantChangedError) as exc:
        return fail(clean(exc), EXIT_GRAPH)
    except GraphError as exc:
        return fail(clean(f"Graph refused: {exc}"), EXIT_GRAPH)
    except B2CTuiError as exc:
        return fail(clean(exc), EXIT_USAGE)


def tenant_action(work: Callable[[argparse.Namespace, Connection], Awaitable[int]]) -> Handler:
    """An action's handler from ``work(args, connection)``: run on the tenant the common
    options name, through :func:`run_with_tenant`."""

    @functools.wraps(work)
    def run(args: argparse.Namespace) -> int:
        return run_with_tenant(args, functools.partial(work, args))

    return run
