"""``b2c-tui`` with no command: open the explorer."""

from __future__ import annotations

import argparse
import gc

from .common import EXIT_OK, EXIT_USAGE, fail, open_connection


def run(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, pandas, numpy); collecting
    # them while importing only costs time. The app re-enables the collector, after freezing
    # those objects, once the first rows are on screen.
    gc.disable()
    from ..tui.app import B2CApp
    from ..tui.registry import find_pane

    start = getattr(args, "pane", None)
    if start and find_pane(start) is None:
        gc.enable()
        return fail(f"--pane {start}: no such pane (try users, audit, policies…)", EXIT_USAGE)
    B2CApp(open_connection(args), start=start).run()
    return EXIT_OK
