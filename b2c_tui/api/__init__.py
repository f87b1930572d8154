"""The notebook and script facade: every resource family as a DataFrame, sync or ``await``-able.

    from b2c_tui.api import Tenant, to_csv
    tenant = Tenant.connect()              # default profile, or the demo tenant
    users = tenant.users()                 # a DataFrame, also inside a running Jupyter loop
    users = await tenant.users_async()     # the same from asyncio code
    keys = tenant.keys()                   # policy keys with their expiry as timestamps
    report = tenant.users.apply(edited)    # a dry run of writes from a frame
    to_csv(users, "users.csv")             # with the explorer's CSV-injection guard

Every call runs on the tenant's private event-loop thread (see :mod:`.runner`), so sync and
async calls mix on one tenant and work in Jupyter. Dtypes are documented in :mod:`.frames`.

The names below are imported when first used, so that light modules of this package (such as
:mod:`.text`, which the command line uses for ``--help``-time messages) do not pull in pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .files import to_csv, to_parquet
    from .progress import Progress
    from .report import ApplyReport
    from .tenant import Tenant, connect
    from .users import UsersAccessor

_WHERE = {
    "ApplyReport": ".report", "Progress": ".progress", "Tenant": ".tenant",
    "UsersAccessor": ".users", "connect": ".tenant", "to_csv": ".files",
    "to_parquet": ".files",
}

__all__ = ["ApplyReport", "Progress", "Tenant", "UsersAccessor", "connect", "to_csv",
           "to_parquet"]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
