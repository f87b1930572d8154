"""Helpers for the policies and keys pane tests: a demo tenant whose requests are recorded (and
can be refused), opening a pane the way a user does, seeding the tenant, reading the screen."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from b2c_tui.connection import DEMO_GRAPH_URL, DEMO_TENANT, Connection
from b2c_tui.emulator import create_emulator
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.emulator.identity.state import StoredPolicy
from b2c_tui.graph.client import GraphClient
from b2c_tui.tui.app import B2CApp
from tests.helpers.pilot import FIXED_NOW, go_to, settle
from tests.helpers.policies import STARTER, Recorder
from tests.helpers.users_pane import fill

BASE = "B2C_1A_TrustFrameworkBase"
EXTENSIONS = "B2C_1A_TrustFrameworkExtensions"
SIGNUP = "B2C_1A_signup_signin"


def recorded_connection(*, read_only: bool = False, users: int = 20) -> tuple[Connection,
                                                                              Recorder]:
    """A demo tenant (fixed clock) behind a :class:`Recorder`: every request is recorded, and
    a test can answer some itself (``recorder.rules``)."""
    emulator = create_emulator(seed=7, users=users, throttling=False, tenant=DEMO_TENANT,
                               clock=ManualClock(FIXED_NOW))
    recorder = Recorder(httpx.ASGITransport(app=emulator.asgi))
    client = GraphClient.create(None, graph_url=DEMO_GRAPH_URL, transport=recorder,
                                read_only=read_only)
    connection = Connection(client, DEMO_TENANT, "demo", True, False, None, emulator)
    return connection, recorder


def make_recorded_app(*, read_only: bool = False) -> tuple[B2CApp, Recorder]:
    connection, recorder = recorded_connection(read_only=read_only)
    return B2CApp(connection, theme="b2c-dark"), recorder


async def open_pane(pilot: Any, app: B2CApp, name: str) -> Any:
    """``:`` then the pane's name, as a user opens it; the table gets the keyboard."""
    await go_to(pilot, app, name)
    pane = app.pane(app.current_pane)
    assert pane is not None
    pane.table.focus()
    await settle(pilot, app)
    return pane


async def submit_form(pilot: Any, app: B2CApp, key: str, dialog_type: type,
                      values: dict[str, str]) -> Any:
    """``key`` opens a form of ``dialog_type``: fill in ``values``, submit (ctrl+s); the form."""
    await pilot.press(key)
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, dialog_type), type(dialog)
    fill(dialog, values)
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    return dialog


def row_of(pane: Any, key: str) -> int:
    """The display row of the record with id ``key``."""
    for row in range(pane.table.row_count):
        if pane.table.row_key(row) == key:
            return row
    raise AssertionError(f"no row {key!r}")


def seed_policy(app: B2CApp, xml: str, policy_id: str, base: str | None) -> None:
    """Put a policy straight into the demo tenant (one Graph itself would refuse)."""
    store = app.context.connection.emulator.store
    store.identity.policies.set(policy_id, StoredPolicy(policy_id, xml, base))


def tenant_xml(app: B2CApp, policy_id: str) -> str:
    stored = app.context.connection.emulator.store.identity.policies.get(policy_id)
    assert stored is not None, policy_id
    return str(stored.xml)


def copy_pack(tmp_path: Path, pack: str = "LocalAccounts") -> Path:
    """A copy of a starter pack (the demo tenant holds each, placeholders filled in)."""
    dest = tmp_path / pack
    shutil.copytree(STARTER / pack, dest)
    return dest


def edit_file(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def changed_pack(tmp_path: Path) -> Path:
    """``LocalAccounts`` copied under ``tmp_path`` with two changes (extensions, relying party)."""
    folder = copy_pack(tmp_path)
    edit_file(folder / "TrustFrameworkExtensions.xml", "</BuildingBlocks>",
              "  <!-- extension change -->\n  </BuildingBlocks>")
    edit_file(folder / "SignUpOrSignin.xml", "<RelyingParty>",
              "<RelyingParty><!-- rp change -->")
    return folder


def notes(app: B2CApp) -> list[str]:
    """The notifications shown so far (their text)."""
    return [str(n.message) for n in app._notifications]


def fixed_backup_clock(monkeypatch: Any, when: datetime = FIXED_NOW) -> None:
    """Backups are named by the wall clock: fix it (for deterministic snapshots)."""
    import b2c_tui.policies.backups as backups

    class Fixed(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Fixed:  # type: ignore[override]
            return cls.fromtimestamp(when.timestamp(), tz)

    monkeypatch.setattr(backups, "datetime", Fixed)


Rule = Callable[[httpx.Request], httpx.Response | None]


def refuse(method: str, path_part: str, status: int, message: str, *,
           code: str = "AADB2C") -> Rule:
    """A rule answering ``method`` requests whose path contains ``path_part`` with Graph's
    error body."""

    def rule(request: httpx.Request) -> httpx.Response | None:
        if request.method == method and path_part in request.url.path:
            return httpx.Response(status, json={"error": {"code": code, "message": message}})
        return None

    return rule
