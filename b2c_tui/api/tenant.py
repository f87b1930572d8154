"""``Tenant``: every resource family of the tenant as a DataFrame, sync or ``await``-able."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..connection import Connection
from ..graph.query import Filter
from .apps import AppsMixin
from .directory import DirectoryMixin
from .identity import IdentityMixin
from .trust import TrustMixin
from .users import UsersAccessor


class Tenant(DirectoryMixin, IdentityMixin, AppsMixin, TrustMixin):
    """A B2C / External ID tenant for notebooks and scripts: one method per resource family,
    each returning a DataFrame, with an ``*_async`` twin for asyncio code.

    Every call, sync or async, runs on the tenant's own event-loop thread, so both kinds can be
    mixed freely on one tenant, inside Jupyter's running loop too. Close it when done
    (``tenant.close()``, or ``with Tenant.connect() as tenant:``).
    """

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        #: The users frame (call it), ``.find()`` and ``.apply()`` for writes from a frame.
        self.users = UsersAccessor(self)

    @classmethod
    def connect(cls, profile: str | None = None, *, config_path: str | None = None,
                demo: bool = False, read_only: bool | None = None,
                demo_users: int = 2000, environ: Mapping[str, str] | None = None,
                **kwargs: Any) -> Tenant:
        """Open ``profile`` from the config file (or the default one); the built-in demo
        tenant when nothing is configured or ``demo=True``. ``read_only=True`` refuses every
        change, in the client, before anything is sent."""
        from ..connection import connect

        return cls(connect(profile, config_path=config_path, demo=demo, read_only=read_only,
                           demo_users=demo_users, environ=environ, **kwargs))

    @classmethod
    def demo(cls, users: int = 2000, *, seed: int = 1, read_only: bool = False,
             **kwargs: Any) -> Tenant:
        """The offline demo tenant (in-process, nothing leaves the machine)."""
        from ..connection import open_demo

        return cls(open_demo(users=users, seed=seed, read_only=read_only, **kwargs))

    async def users_async(self, *, filter: str | Filter | None = None,
                          select: Iterable[str] | str | None = None, limit: int | None = None,
                          extensions: bool = True, progress: bool | None = None
                          ) -> pd.DataFrame:
        """Async twin of ``tenant.users()``."""
        return await self._async(self.users._list, "Users", progress, filter=filter,
                                 select=select, limit=limit, extensions=extensions)


def connect(profile: str | None = None, **kwargs: Any) -> Tenant:
    """``Tenant.connect``: open a profile, or the demo tenant when nothing is configured."""
    return Tenant.connect(profile, **kwargs)
