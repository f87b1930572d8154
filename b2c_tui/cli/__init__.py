"""Entry point: ``b2c-tui`` opens the explorer; ``b2c-tui COMMAND`` runs a headless command.

Commands are modules of this package, listed in :data:`COMMANDS` (imported explicitly, never
looked up by name); each adds its parser through ``register(sub, common)``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from . import (
    audit,
    emulator,
    explorer,
    find,
    get,
    graph_request,
    journal,
    keys,
    policies,
    profiles,
)
from . import export as export_command
from .common import (
    EXIT_CODES_HELP,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    add_common_options,
    common_parent,
    fail,
)

COMMANDS = (profiles, emulator, get, find, graph_request, export_command, policies, keys, audit,
            journal)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="b2c-tui",
        description="Explore an Azure AD B2C / Entra External ID tenant. With no tenant "
        "configured, opens the built-in demo tenant (offline).",
        epilog=EXIT_CODES_HELP,
    )
    parser.add_argument("--version", action="version", version=f"b2c-tui {__version__}")
    add_common_options(parser, suppress=False)
    parser.add_argument("--pane", metavar="NAME",
                        help="the explorer's first pane (users, audit…; default: the tenant "
                        "dashboard)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_parent()
    for command in COMMANDS:
        command.register(sub, common)
    parser.set_defaults(func=explorer.run)
    return parser


def _setup_logging(path: str) -> None:
    from .logfile import setup_logging

    setup_logging(path)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.log_file:
        _setup_logging(args.log_file)
    from ..graph.errors import B2CTuiError

    try:
        return int(args.func(args))
    except B2CTuiError as exc:
        return fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
