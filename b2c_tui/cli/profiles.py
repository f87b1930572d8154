"""``b2c-tui profiles``: the configured tenant profiles."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("profiles", parents=[common],
                            help="list the configured tenant profiles")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..connection import load_config

    config = load_config(args.config)
    if not config.profiles:
        sys.stdout.write("No profiles configured; b2c-tui opens the demo tenant.\n")
        return EXIT_OK
    for name, profile in sorted(config.profiles.items()):
        mark = "*" if name == config.default_profile else " "
        flags = " ".join(f for f, on in (("production", profile.production),
                                         ("read-only", profile.read_only)) if on)
        sys.stdout.write(f"{mark} {name:<12} {profile.tenant:<40} {profile.cloud.name:<9} "
                         f"{profile.auth:<14} {flags}\n")
    return EXIT_OK
