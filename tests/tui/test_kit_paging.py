"""The kit keeps fetching short pages until the screen is full, even when the first pages
land before the table's first layout (its size still 0)."""

from __future__ import annotations

from tests.helpers.kit_panes import open_pane
from tests.helpers.pilot import settle


async def test_short_pages_landing_before_layout_still_fill_the_screen(make_app) -> None:
    app = make_app(300)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        apps = await app.context.client.applications.list().collect()
        web = next(a for a in apps if a["displayName"] == "Contoso Web")
        await app.context.client.applications.delete(web["id"])
        # Deleted items come one type a query: users (3), the app, its principal (1 each).
        pane = await open_pane(pilot, app, "deleted")
        pane.table.styles.display = "none"  # as before its first layout: size 0
        await settle(pilot, app)
        assert pane.table.size.height == 0
        pane.reload()
        for _ in range(5):
            await settle(pilot, app)
        assert pane.table.row_count == 5 and not pane.table.has_more
