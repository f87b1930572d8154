"""Shared fixtures: where ../shared lives, and a guard against this machine's CA settings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CONTRACT_DIR = SHARED / "graph-contract"


@pytest.fixture(scope="session")
def contract_dir() -> Path:
    assert CONTRACT_DIR.is_dir(), f"the Graph contract corpus is missing: {CONTRACT_DIR}"
    return CONTRACT_DIR


@pytest.fixture(autouse=True)
def _private_app_dirs(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own config, data, state, log and cache folders (b2c_tui.paths), so
    nothing reads the developer's profiles or writes into their archive, backups or journal."""
    base = tmp_path_factory.mktemp("appdirs")
    for variable, name in (("B2C_TUI_CONFIG_DIR", "config"), ("B2C_TUI_DATA_DIR", "data"),
                           ("B2C_TUI_STATE_DIR", "state"), ("B2C_TUI_LOG_DIR", "log"),
                           ("B2C_TUI_CACHE_DIR", "cache")):
        monkeypatch.setenv(variable, str(base / name))
