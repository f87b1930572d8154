"""to_csv / to_parquet: the explorer's export guarantees for frames from the API."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from b2c_tui.api import Tenant, to_csv, to_parquet
from b2c_tui.connection import open_demo
from b2c_tui.frames.export import ExportExistsError

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def users() -> pd.DataFrame:
    with Tenant(open_demo(users=60, throttling=False)) as tenant:
        return tenant.users(limit=10)


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_to_csv_neutralises_formulas_where_df_to_csv_does_not(users: pd.DataFrame,
                                                              tmp_path: Path) -> None:
    df = users.copy()
    df.loc[0, "displayName"] = FORMULA
    plain = tmp_path / "plain.csv"
    df.to_csv(plain, index=False)
    assert rows(plain)[1][1] == FORMULA  # what a spreadsheet would evaluate
    guarded = to_csv(df, tmp_path / "guarded.csv")
    got = rows(guarded)
    assert got[0] == list(df.columns)
    assert got[1][1] == "'" + FORMULA
    assert got[1][6].endswith("Z") and got[1][5] in ("true", "false")
    assert stat.S_IMODE(os.stat(guarded).st_mode) == 0o600
    raw = to_csv(df, tmp_path / "raw.csv", guard=False)
    assert rows(raw)[1][1] == FORMULA


def test_to_csv_refuses_to_overwrite_without_being_told(users: pd.DataFrame,
                                                        tmp_path: Path) -> None:
    target = tmp_path / "users.csv"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportExistsError):
        to_csv(users, target)
    assert target.read_text(encoding="utf-8") == "keep me"
    to_csv(users, target, overwrite=True)
    assert len(rows(target)) == len(users) + 1


def test_to_parquet_keeps_the_dtypes_and_drops_secrets(users: pd.DataFrame,
                                                       tmp_path: Path) -> None:
    df = users.assign(clientSecret="s3cret", passwordProfile="pw")
    path = to_parquet(df, tmp_path / "users.parquet")
    back = pd.read_parquet(path)
    assert list(back.columns) == list(users.columns)
    pd.testing.assert_frame_equal(back, users, check_dtype=False)
    assert str(back["createdDateTime"].dtype).startswith("datetime64") and \
        str(back["createdDateTime"].dt.tz) == "UTC"
    assert back["accountEnabled"].dtype == bool
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_failed_write_leaves_no_file(users: pd.DataFrame, tmp_path: Path) -> None:
    df = users.assign(bad=[object()] * len(users))  # pyarrow cannot store this
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises
        to_parquet(df, tmp_path / "broken.parquet")
    assert list(tmp_path.iterdir()) == []
