"""Pilot fixtures: the explorer on a small, deterministic demo tenant (fixed clock).

Helpers (``settle``, ``FIXED_NOW``, ``demo_connection``) live in :mod:`tests.helpers.pilot`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import demo_connection


@pytest.fixture
def make_app() -> Callable[..., B2CApp]:
    """``make_app(users=300, read_only=False)`` -> a B2CApp on a fresh demo tenant, opened on
    the users pane (most Pilot tests are about a resource pane; ``pane=None`` opens on the
    tenant dashboard, as the explorer does)."""

    def factory(users: int = 300, *, read_only: bool = False,
                pane: str | None = "users") -> B2CApp:
        return B2CApp(demo_connection(users, read_only=read_only), theme="b2c-dark",
                      pane=pane)

    return factory
