"""Helpers for the inline-edit Pilot tests: edit a cell, read its mark, read the journal."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from b2c_tui.changes import JournalEntry
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.kit import KitPane
from b2c_tui.tui.kit.cell_editor import CellEditor
from tests.helpers.pilot import settle
from tests.helpers.users_pane import row_of


def column_of(pane: KitPane, key: str) -> int:
    """The index of column ``key`` in the pane's table."""
    return next(i for i, c in enumerate(pane.table.columns) if c.key == key)


async def cursor_to(pilot: Any, app: B2CApp, pane: KitPane, object_id: str,
                    column: str) -> None:
    row = row_of(pane, object_id)  # type: ignore[arg-type]
    assert row is not None, f"{object_id} is not loaded"
    pane.table.move_cursor(row=row, column=column_of(pane, column))
    await settle(pilot, app)


async def edit_cell(pilot: Any, app: B2CApp, pane: KitPane, object_id: str, column: str,
                    text: str | None = None) -> None:
    """``i`` on the cell, then (unless it toggles) type ``text`` and Enter."""
    await cursor_to(pilot, app, pane, object_id, column)
    await pilot.press("i")
    await settle(pilot, app)
    if text is None:
        return
    editor = app.screen
    assert isinstance(editor, CellEditor)
    editor.query_one("#cell-input", Input).value = text
    await pilot.press("enter")
    await settle(pilot, app)


async def painted(pilot: Any, app: B2CApp, pane: KitPane, object_id: str) -> str:
    """The row of ``object_id`` as the table paints it (scrolled into view first)."""
    row = row_of(pane, object_id)  # type: ignore[arg-type]
    assert row is not None, f"{object_id} is not loaded"
    table = pane.table
    table.move_cursor(row=row, column=0)
    await settle(pilot, app)
    return table.render_line(row - int(table.scroll_offset.y) + 1).text


def journal(app: B2CApp) -> list[JournalEntry]:
    return app.context.connection.journal().entries()


async def user_values(app: B2CApp, user_id: str, *props: str) -> dict[str, Any]:
    user = await app.context.client.users.get(user_id, select=["id", *props])
    return {p: user.get(p) for p in props}
