"""``b2c-tui journal``: list, show, undo (refused with --read-only) and reconcile, through the
real command line against the demo tenant served over loopback with a token profile."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from b2c_tui.changes import Change, Journal, commit
from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_READ_ONLY, EXIT_USAGE
from b2c_tui.emulator import create_emulator
from b2c_tui.graph import GraphClient
from tests.helpers.serve import serving

TENANT = "contosob2c.onmicrosoft.com"
SNEAKY = "Eve\u202egnp.exe\x1b[31m"  # a right-to-left override and an escape sequence


@pytest.fixture
def tenant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    emulator = create_emulator(users=30, tenant=TENANT, throttling=False)
    with serving(emulator.asgi) as base:
        config = tmp_path / "config.toml"
        config.write_text(f'[profiles.emu]\ntenant = "{TENANT}"\nauth = "token"\n'
                          f'token_env = "EMU_TOKEN"\ngraph_url = "{base}"\n')
        monkeypatch.setenv("EMU_TOKEN", "any-token-the-emulator-accepts")
        yield base, ["-p", "emu", "--config", str(config)]


def run_async(coro: Any) -> Any:
    return asyncio.run(coro)


async def _commit(base: str, changes_for: Any) -> list[Any]:
    async with GraphClient.create(None, graph_url=base) as client:
        users = await client.users.list(select=["id", "displayName"], top=5).collect(5)
        journal = Journal.for_tenant(TENANT, profile="emu")
        return await commit(client, changes_for(users), journal)


async def _name(base: str, user_id: str) -> str:
    async with GraphClient.create(None, graph_url=base) as client:
        return str((await client.users.get(user_id, select=["displayName"]))["displayName"])


def test_list_show_undo_and_read_only(tenant, capsys) -> None:
    base, profile = tenant
    results = run_async(_commit(base, lambda users: [
        Change.update("user", users[0]["id"], {"displayName": SNEAKY},
                      old={"displayName": users[0]["displayName"]},
                      display_name=users[0]["displayName"]),
        Change.update("user", users[1]["id"], {"displayName": "Second"},
                      old={"displayName": users[1]["displayName"]}, display_name=SNEAKY),
    ]))
    first, second = results
    assert first.ok and second.ok
    capsys.readouterr()

    assert main(["journal", *profile]) == EXIT_OK  # list is the default
    out = capsys.readouterr().out
    assert first.entry_id[:8] in out and second.entry_id[:8] in out and "displayName" in out
    assert "\u202e" not in out and "\x1b" not in out and "\\u202e" in out

    assert main(["journal", "list", "--json", *profile]) == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in listed] == [first.entry_id, second.entry_id]
    assert listed[0]["new"] == {"displayName": SNEAKY}  # the data itself is intact

    assert main(["journal", "show", first.entry_id[:10], *profile]) == EXIT_OK
    shown = capsys.readouterr().out
    assert "displayName:" in shown and "->" in shown and "\x1b" not in shown

    before = run_async(_name(base, first.change.object_id))
    assert main(["journal", "undo", first.entry_id[:8], "--read-only", *profile]) == (
        EXIT_READ_ONLY)
    assert "Read-only" in capsys.readouterr().err
    assert run_async(_name(base, first.change.object_id)) == before == SNEAKY

    assert main(["journal", *profile, "undo", first.entry_id[:8]]) == EXIT_OK
    assert "Undone" in capsys.readouterr().out
    assert run_async(_name(base, first.change.object_id)) == first.change.old["displayName"]

    assert main(["journal", "undo", first.entry_id[:8], *profile]) == EXIT_FINDINGS
    assert "already undone" in capsys.readouterr().err
    assert main(["journal", "show", "ffffffff", *profile]) == EXIT_USAGE
    assert "No journal entry" in capsys.readouterr().err


def test_reconcile_from_the_command_line(tenant, capsys) -> None:
    base, profile = tenant

    async def crash_after_write() -> tuple[str, str]:
        async with GraphClient.create(None, graph_url=base) as client:
            [user] = await client.users.list(select=["id", "displayName"], top=1).collect(1)
            journal = Journal.for_tenant(TENANT, profile="emu")
            [entry] = journal.record([Change.update(
                "user", user["id"], {"displayName": "Made it"},
                old={"displayName": user["displayName"]})])
            await client.users.update(user["id"], {"displayName": "Made it"})  # then "crash"
            return entry.id, user["id"]

    entry_id, _ = run_async(crash_after_write())
    assert main(["journal", "reconcile", *profile]) == EXIT_OK
    out = capsys.readouterr().out
    assert entry_id[:8] in out and "done" in out
    assert main(["journal", "reconcile", *profile]) == EXIT_OK
    assert "Nothing pending" in capsys.readouterr().out


def test_list_and_show_read_the_file_without_opening_the_tenant(
        tenant, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    base, profile = tenant
    [done] = run_async(_commit(base, lambda users: [
        Change.update("user", users[0]["id"], {"displayName": "Renamed"},
                      old={"displayName": users[0]["displayName"]})]))
    capsys.readouterr()

    def opened(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the tenant was opened to read its journal")

    monkeypatch.setattr("b2c_tui.connection.open_profile", opened)
    monkeypatch.setattr("b2c_tui.connection.open_demo", opened)
    assert main(["journal", "list", *profile]) == EXIT_OK
    assert done.entry_id[:8] in capsys.readouterr().out
    assert main(["journal", "show", done.entry_id[:8], *profile]) == EXIT_OK
    assert "Renamed" in capsys.readouterr().out
    assert main(["journal", "list", "--demo"]) == EXIT_OK  # the demo tenant's own journal
    assert "No changes journaled" in capsys.readouterr().out
