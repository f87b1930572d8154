"""The notebook and script facade: DataFrames out, synchronous or ``await``-able.

    from b2c_tui.api import Tenant
    tenant = Tenant.connect()          # default profile, or the demo tenant
    df = tenant.users()                # a DataFrame, also inside a running Jupyter loop
    df = await tenant.users_async()

Synchronous calls run on a private event-loop thread, so they work where a loop is already
running (Jupyter) as well as in plain scripts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

import pandas as pd

from .connection import Connection, connect
from .frames import records_frame
from .graph.resources.users import USER_SELECT

T = TypeVar("T")

USER_COLUMNS = ("id", "displayName", "signInNames", "mail", "creationType", "accountEnabled",
                "createdDateTime", "userPrincipalName")


class _LoopThread:
    """A private event loop on a daemon thread, for synchronous calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                       name="b2c-tui-api")
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


class Tenant:
    """A tenant for notebooks and scripts."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._runner: _LoopThread | None = None

    @classmethod
    def connect(cls, profile: str | None = None, **kwargs: Any) -> Tenant:
        """Open ``profile`` (or the default; the demo tenant when nothing is configured)."""
        return cls(connect(profile, **kwargs))

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._runner is None:
            self._runner = _LoopThread()
        return self._runner.run(coro)

    async def users_async(self, *, limit: int | None = None,
                          columns: Sequence[str] = USER_COLUMNS) -> pd.DataFrame:
        """Users as a DataFrame (sign-in names included, which the portal's export lacks)."""
        select = list(dict.fromkeys([*USER_SELECT, *(c for c in columns if c != "signInNames")]))
        pages = self.connection.client.users.list(select=select, top=999)
        records = await pages.collect(limit)
        return records_frame(records, columns)

    def users(self, *, limit: int | None = None,
              columns: Sequence[str] = USER_COLUMNS) -> pd.DataFrame:
        return self._run(self.users_async(limit=limit, columns=columns))
