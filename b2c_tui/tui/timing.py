"""Start-up marks for the launch benchmark: ``B2C_TUI_TIMING=<file>`` appends
``<name> <epoch seconds>`` lines when the first frame and the first rows reach the screen."""

from __future__ import annotations

import os
import time

_done: set[str] = set()


def mark(name: str) -> None:
    """Record ``name`` once, if timing was asked for (costs nothing otherwise)."""
    path = os.environ.get("B2C_TUI_TIMING")
    if not path or name in _done:
        return
    _done.add(name)
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{name} {time.time():.6f}\n")
