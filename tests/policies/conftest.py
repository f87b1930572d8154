"""Fixtures for the policy and key tests (helpers live in :mod:`tests.helpers.policies`)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.helpers.policies import STARTER, Demo, open_demo_tenant


@pytest.fixture
async def demo() -> AsyncIterator[Demo]:
    tenant = await open_demo_tenant()
    yield tenant
    await tenant.client.aclose()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a starter pack to a temporary folder (to change it)."""

    def copy(pack: str) -> Path:
        dest = tmp_path / pack
        shutil.copytree(STARTER / pack, dest)
        return dest

    return copy
