"""Keep httpx's command-line client out of ``import httpx``.

httpx's ``__init__`` imports its CLI (``httpx._main``: click, ``rich.progress``,
``rich.syntax``, pygments' lexer table) whenever click is installed, and uvicorn (the served
emulator) installs it: some 17 ms of every start of the explorer, the CLI and the API, for a
command we never run (httpx 0.28 and 0.29; upstream forks import it lazily). Before httpx is
first imported (this module runs :func:`defer` when :mod:`b2c_tui.graph` is imported) a
placeholder module takes its place whose ``main`` loads the real one on first use, so
``httpx.main()`` still works.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

NAME = "httpx._main"


def _main(*args: Any, **kwargs: Any) -> Any:
    """httpx's ``main``, loaded now (the placeholder steps aside first)."""
    if getattr(sys.modules.get(NAME), "__b2c_placeholder__", False):
        del sys.modules[NAME]
    from httpx._main import main

    return main(*args, **kwargs)


def defer() -> None:
    """Install the placeholder, unless httpx (or its CLI) is loaded already."""
    if "httpx" in sys.modules or NAME in sys.modules:
        return
    placeholder = ModuleType(NAME, "httpx's command-line client, loaded on first use")
    placeholder.__b2c_placeholder__ = True  # type: ignore[attr-defined]
    placeholder.main = _main  # type: ignore[attr-defined]
    sys.modules[NAME] = placeholder


defer()
