"""``b2c-tui`` with no command: open the explorer."""

from __future__ import annotations

import argparse
import gc

from .common import EXIT_OK, EXIT_USAGE, fail, open_connection


def add_options(parser: argparse.ArgumentParser) -> None:
    """The explorer's own options (on the top-level parser: the explorer has no command)."""
    parser.add_argument("--pane", metavar="NAME", default=None,
                        help="open the explorer on this pane (a name ':' takes: users, "
                        "audit, policies, ...); default: the tenant dashboard")


def run(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, pandas, numpy); collecting
    # them while importing only costs time. Once the first rows are on screen the app freezes
    # those objects and collects between keys from then on (b2c_tui.tui.collector).
    gc.disable()
    from ..tui.app import B2CApp
    from ..tui.registry import PANES, find_pane

    pane = getattr(args, "pane", None)
    info = find_pane(pane) if pane else PANES[0]
    if info is None:
        gc.enable()
        names = ", ".join(p.id for p in PANES)
        return fail(f"no pane called {pane!r} (panes: {names})", EXIT_USAGE)
    B2CApp(open_connection(args), pane=info.id).run()
    return EXIT_OK
