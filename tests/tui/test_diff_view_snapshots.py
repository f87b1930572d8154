"""SVG snapshots of the diff view, side by side and unified, at 80x24 and 160x45."""

from __future__ import annotations

from typing import Any

import pytest

from .test_diff_view import DiffHost
from .test_xml_view import settle


@pytest.mark.parametrize("unified", [False, True], ids=["side-by-side", "unified"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_diff_snapshot(snap_compare: Any, size: tuple[int, int], unified: bool) -> None:
    app = DiffHost(unified=unified)

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        await pilot.press("right_square_bracket")  # the second change
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
