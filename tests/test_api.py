"""The notebook facade: DataFrames out, synchronous even inside a running event loop."""

from __future__ import annotations

import pandas as pd

from b2c_tui.api import USER_COLUMNS, Tenant
from b2c_tui.connection import open_demo


def test_users_dataframe_has_sign_in_names() -> None:
    tenant = Tenant(open_demo(users=200, throttling=False))
    df = tenant.users(limit=150)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(USER_COLUMNS) and len(df) == 150
    local = df[df["creationType"] == "LocalAccount"]
    assert len(local) and (local["signInNames"].str.len() > 0).all()


async def test_sync_call_works_inside_a_running_loop() -> None:
    """As in Jupyter, where a loop is already running in the calling thread."""
    tenant = Tenant(open_demo(users=50, throttling=False))
    df = tenant.users()
    users = await tenant.users_async()
    assert len(df) == len(users) > 40
