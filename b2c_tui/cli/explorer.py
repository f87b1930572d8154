"""``b2c-tui`` with no command: open the explorer."""

from __future__ import annotations

import argparse
import gc

from .common import EXIT_OK, open_connection


def run(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, pandas, numpy); collecting
    # them while importing only costs time. The app re-enables the collector, after freezing
    # those objects, once the first rows are on screen.
    gc.disable()
    from ..tui.app import B2CApp

    B2CApp(open_connection(args)).run()
    return EXIT_OK
