"""The demo tenant: an ASGI app that speaks the Microsoft Graph contract.

>>> from b2c_tui.emulator import create_emulator
>>> emu = create_emulator(users=2000, throttling=False)
>>> # httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.asgi), base_url=...)

No textual, no pandas, no Graph client modules: the emulator stands alone. Its top level
holds what the rest of the package uses (the app and its options, the clock, the request
model, the router, throttling, faults, ``$batch``, the store and the server); the families
(``families/``), their one OData kit (``odata/``) and the store's parts (``users/``,
``directory/``, ``identity/``) and the token authority (``authority/``) are sub-packages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .app import Emulator, EmulatorOptions, create_emulator
from .clock import ManualClock, system_clock
from .faults import Faults
from .store import Store

if TYPE_CHECKING:
    from .server import run_in_thread, serve

__all__ = [
    "Emulator",
    "EmulatorOptions",
    "Faults",
    "ManualClock",
    "Store",
    "create_emulator",
    "run_in_thread",
    "serve",
    "system_clock",
]


def __getattr__(name: str) -> Any:
    # The server pulls in uvicorn; import it only when asked for.
    if name in ("serve", "run_in_thread"):
        from . import server

        return getattr(server, name)
    raise AttributeError(name)
