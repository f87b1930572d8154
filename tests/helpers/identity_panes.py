"""Helpers for the Pilot tests of panes built on the kit (identity providers, user flows,
External ID flows, the authentication methods policy): open a pane, find a row, the explorer
on a demo tenant of another kind."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Select

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.kit import KitPane
from b2c_tui.tui.kit.base import ResourcePane
from tests.helpers.pilot import demo_connection, go_to, settle

SIZE = (160, 40)


def explorer(*, tenant_type: str = "AAD B2C", read_only: bool = False,
             users: int = 5) -> B2CApp:
    """The explorer on a small demo tenant whose organization says ``tenant_type``
    (``AAD B2C``, or ``CIAM`` for Entra External ID)."""
    connection = demo_connection(users, read_only=read_only)
    connection.emulator.store.tenant_type = tenant_type
    return B2CApp(connection, theme="b2c-dark")


async def open_pane(pilot: Any, app: B2CApp, typed: str, pane_id: str) -> ResourcePane:
    """``:typed`` then Enter, as a person would; the pane loaded, its main widget focused."""
    await go_to(pilot, app, typed)
    pane = app.pane(pane_id)
    assert pane is not None and app.current_pane == pane_id
    if isinstance(pane, KitPane):
        pane.table.focus()
    await settle(pilot, app)
    return pane


def choose(screen: Any, field: str, value: Any) -> None:
    """Set a choice or checkbox of a form (``#field-<name>``)."""
    widget = screen.query_one(f"#field-{field}")
    assert isinstance(widget, Select | Checkbox), type(widget)
    widget.value = value


def choices(screen: Any, field: str) -> list[Any]:
    """The values a form's choice field offers."""
    widget = screen.query_one(f"#field-{field}", Select)
    return [value for _, value in widget._options if value is not Select.NULL]


def write_actions(app: B2CApp) -> set[str]:
    """The actions the keys offer now (enabled ones; for read-only checks)."""
    return {b.binding.action.partition("(")[0] for b in app.screen.active_bindings.values()
            if b.enabled}


class Spy:
    """Records the calls of one client method (and passes them on)."""

    def __init__(self, owner: Any, name: str) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.real = getattr(owner, name)

        async def spy(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((*args, *kwargs.values()))
            return await self.real(*args, **kwargs)

        setattr(owner, name, spy)


def notes(app: B2CApp) -> list[str]:
    """The notifications shown so far (their text)."""
    return [str(n.message) for n in app._notifications]
