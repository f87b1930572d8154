"""Option sets several commands share, as data, and the parser shapes commands are built from.

An :class:`Option` is what ``add_argument`` takes; commands add the sets they need with
:func:`add_options`, so ``--json``, the output options of ``get``/``find`` and their help read
the same everywhere. :func:`command_parser` gives a command the common options and its
examples and exit codes in ``--help``; a command made of actions (``policies push``, ``keys
health``) lists them as :class:`Action` data for :func:`add_actions`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .common import EXIT_CODES_HELP, Handler
from .frame_output import FORMATS


@dataclass(frozen=True)
class Option:
    """One command-line option: its flags and ``add_argument``'s settings."""

    flags: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def add(self, parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
        parser.add_argument(*self.flags, **self.settings)


def option(*flags: str, **settings: Any) -> Option:
    return Option(flags, settings)


def add_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup,
                *options: Option | Iterable[Option]) -> None:
    """Add ``options`` (single options or sets of them) to ``parser``, in order."""
    for item in options:
        for one in (item,) if isinstance(item, Option) else item:
            one.add(parser)


JSON = option("--json", action="store_true", help="one JSON document on stdout instead of text")

#: Where and how a DataFrame is written (``get``, ``find``).
FRAME_OUTPUT = (
    option("--select", action="append", metavar="COLUMNS",
           help="columns to show, comma-separated (column names, custom attribute names or "
           "Graph properties)"),
    option("-o", "--output", choices=FORMATS,
           help="table (the default), csv, json, jsonl or parquet"),
    option("--out", metavar="FILE",
           help="write to FILE (it appears only when complete; the format follows its "
           "extension unless -o says)"),
    option("--force", action="store_true", help="replace FILE if it exists"),
)


def comma_list(values: Iterable[str] | None) -> list[str] | None:
    """``--select a,b --select c`` as ``["a", "b", "c"]`` (``None`` when not given)."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def command_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                   name: str, *, help: str, description: str,
                   epilog: str) -> argparse.ArgumentParser:
    """A command's parser: the common options, and an epilog (examples, exit codes) shown as
    written."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, parents=[common], help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser


@dataclass(frozen=True)
class Action:
    """One action of a command (``policies push``): what it does, an example, its handler and
    its own options."""

    name: str
    help: str
    example: str
    handler: Handler
    options: tuple[Option, ...] = ()


def add_actions(parser: argparse.ArgumentParser, common: argparse.ArgumentParser,
                actions: Iterable[Action]) -> None:
    """A sub-parser per action (``args.action`` names it), each with the common options,
    ``--json``, its own options, its example and the exit codes."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action in actions:
        child = command_parser(sub, common, action.name, help=action.help,
                               description=action.help,
                               epilog=f"example:\n  {action.example}\n\n{EXIT_CODES_HELP}")
        add_options(child, JSON, action.options)
        child.set_defaults(func=action.handler)
