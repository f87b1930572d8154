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
