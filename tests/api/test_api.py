"""The notebook facade: DataFrames out, synchronous even inside a running event loop."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from b2c_tui.api import Tenant
from b2c_tui.connection import open_demo


def test_users_dataframe_has_sign_in_names() -> None:
    with Tenant(open_demo(users=200, throttling=False)) as tenant:
        df = tenant.users(limit=150)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns[:7]) == ["id", "displayName", "signInName", "mail", "creationType",
                                    "accountEnabled", "createdDateTime"]
    assert len(df) == 150
    local = df[df["creationType"] == "LocalAccount"]
    assert len(local) and (local["signInName"].str.len() > 0).all()


async def test_sync_call_works_inside_a_running_loop() -> None:
    """As in Jupyter, where a loop is already running in the calling thread."""
    tenant = Tenant(open_demo(users=50, throttling=False))
    try:
        df = tenant.users()
        users = await tenant.users_async()
        assert len(df) == len(users) > 40
        assert df["id"].tolist() == users["id"].tolist()
    finally:
        await tenant.aclose()


def test_a_closed_tenant_says_so() -> None:
    tenant = Tenant(open_demo(users=20, throttling=False))
    tenant.users(limit=1)
    tenant.close()
    tenant.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        tenant.users(limit=1)


def test_importing_the_api_leaves_textual_out() -> None:
    import subprocess

    code = ("import sys; from b2c_tui.api import Tenant, to_csv; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_call_runs_the_raw_client_on_the_tenant_loop() -> None:
    with Tenant(open_demo(users=30, throttling=False)) as tenant:
        first = tenant.users(limit=1)["id"][0]
        record = tenant.call(lambda g: g.users.get(first, select=["id", "displayName"]))
    assert record["id"] == first
