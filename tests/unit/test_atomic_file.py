"""``paths.atomic_file``: the one way b2c-tui writes a file that must never be seen half done
(CLI and API exports, the audit archive, downloaded policies)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from b2c_tui.paths import atomic_file


def test_the_target_appears_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_file(target) as handle:
        handle.write(b"a,b\r\n")
        assert not target.exists()
        temps = [p.name for p in tmp_path.iterdir()]
        assert len(temps) == 1 and temps[0].startswith(".out.csv.")
        assert temps[0].endswith(".partial")
    assert target.read_bytes() == b"a,b\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_file(target, suffix=".tmp") as handle:
        handle.write(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_a_target_that_appears_meanwhile_is_kept_unless_replacing(tmp_path: Path) -> None:
    target = tmp_path / "users.parquet"
    with pytest.raises(FileExistsError), atomic_file(target, replace=False) as handle:
        handle.write(b"new")
        target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["users.parquet"]
    with atomic_file(target) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new"
