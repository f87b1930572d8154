"""Pilot helpers for the panes built on the kit (applications, conditional access, deleted
items...): open one by name, find rows, count the requests the client sends."""

from __future__ import annotations

from typing import Any

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.kit import KitPane
from tests.helpers.pilot import go_to, settle


async def all_pages(pilot: Any, app: B2CApp, pane: KitPane) -> None:
    """Wait until the pane has loaded every page it fetches on its own (a short listing:
    the next page is asked for after a refresh, when no worker runs yet)."""
    for _ in range(50):
        await settle(pilot, app)
        if not pane.loading and not (pane.table.has_more and pane.table.row_count
                                     < pane.table.page_size * 2):
            await settle(pilot, app)
            if not pane.loading:
                return


async def open_pane(pilot: Any, app: B2CApp, name: str) -> KitPane:
    """Go to pane ``name`` the way a user does (``:`` then its name), table focused."""
    await go_to(pilot, app, name)
    pane = app.pane(app.current_pane)
    assert isinstance(pane, KitPane), f":{name} opened {app.current_pane}"
    pane.table.focus()
    await all_pages(pilot, app, pane)
    return pane


def row_where(pane: KitPane, **wanted: Any) -> int:
    """The display row of the first loaded record whose properties match ``wanted``."""
    for row in range(pane.table.row_count):
        record = pane.records[pane.table.row_key(row)]
        if all(record.get(k) == v for k, v in wanted.items()):
            return row
    raise AssertionError(f"no row with {wanted}")


def loaded_keys(holder: Any) -> list[str]:
    """The keys of the rows loaded in ``holder.table`` (a pane or a sub-list), in order."""
    return [holder.table.row_key(r) for r in range(holder.table.row_count)]


async def cursor_to(pilot: Any, app: B2CApp, pane: KitPane, **wanted: Any) -> dict[str, Any]:
    """Put the cursor on the row matching ``wanted``; returns its record."""
    row = row_where(pane, **wanted)
    pane.table.move_cursor(row=row)
    await settle(pilot, app)
    return dict(pane.records[pane.table.row_key(row)])


class RequestLog:
    """Every request the app's client sends (method, path without the version), in order."""

    def __init__(self, app: B2CApp) -> None:
        self.sent: list[tuple[str, str]] = []
        core = app.context.client.core
        real = core.request

        async def request(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
            self.sent.append((method.upper(), path.split("?", 1)[0].split("/v1.0", 1)[-1]))
            return await real(method, path, *args, **kwargs)

        core.request = request  # type: ignore[method-assign]

    def clear(self) -> None:
        self.sent.clear()

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.sent if m == method and p.startswith(path))
