"""The tenant dashboard (``:tenant``, the first pane on launch): its layout at once, counts as
they arrive, each health finding on a demo tenant arranged to show it, links to the panes that
fix them, a failing piece saying why in its own place, navigation never waiting on it."""

from __future__ import annotations

import re
from typing import Any

from textual.widgets import OptionList, Static

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.panes.audit import AuditPane
from b2c_tui.tui.panes.tenant import TenantPane
from b2c_tui.tui.panes.tenant.checks import COUNTS
from b2c_tui.tui.panes.users import UsersPane
from tests.helpers.pilot import demo_connection, settle
from tests.helpers.users_pane import screen_text

SIZE = (160, 45)


def dashboard_app(users: int = 300, *, read_only: bool = False, **tenant: Any) -> B2CApp:
    """The explorer as launched (no start pane), on a demo tenant arranged with ``tenant``."""
    return B2CApp(demo_connection(users, read_only=read_only, **tenant), theme="b2c-dark")


async def settled_dashboard(pilot: Any, app: B2CApp) -> TenantPane:
    """The tenant pane once every worker has finished."""
    await settle(pilot, app)
    pane = app.pane("tenant")
    assert isinstance(pane, TenantPane)
    return pane


def text_of(pane: TenantPane, widget_id: str) -> str:
    return str(pane.query_one(f"#{widget_id}", Static).render())


def health_lines(pane: TenantPane) -> list[str]:
    health = pane.query_one("#tenant-health", OptionList)
    return [str(health.get_option_at_index(i).prompt) for i in range(health.option_count)]


async def test_opens_first_with_its_layout_at_once_and_users_one_key_away() -> None:
    app = dashboard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.pane("tenant")
        assert app.current_pane == "tenant" and isinstance(pane, TenantPane)
        # before any answer: every place is there, saying it is on its way
        assert "reading" in text_of(pane, "tenant-quota") or pane.quota is not None
        await settle(pilot, app)
        assert "Health" in screen_text(app) and "Quota" in screen_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert app.current_pane == "users"
        users = app.pane("users")
        assert isinstance(users, UsersPane) and users.table.row_count > 0


async def test_quota_bar_and_counts_equal_what_graph_lists() -> None:
    app = dashboard_app(users=2500)
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        client = app.context.client
        quota = await client.organization.quota()
        assert f"{quota['used']:,} of {quota['total']:,} directory objects" in text_of(
            pane, "tenant-quota")
        assert "80% act · 90% alert · 100% full" in text_of(pane, "tenant-quota")
        users = len(await client.users.list(select=["id"]).collect())
        apps = len(await client.applications.list().collect())
        counts = text_of(pane, "tenant-counts")
        assert re.search(rf"Users +{users:,} ", counts) and re.search(rf"Applications +{apps}\b",
                                                                     counts)
        assert pane.counts["users"] == (users, True)
        assert all(isinstance(pane.counts[s.key], tuple) and pane.counts[s.key][1]
                   for s in COUNTS)


async def test_the_quota_bar_warns_at_microsofts_levels() -> None:
    app = dashboard_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        assert re.search(r"\d\.\d%  ok\n", text_of(pane, "tenant-quota"))
        store = app.context.connection.emulator.store
        used = store.quota_used()
        for total, level in ((int(used / 0.85), "WARNING"), (int(used / 0.95), "ALERT"),
                             (used, "FULL")):
            store.quota_total = total
            await pilot.press("r")
            await settle(pilot, app)
            shown = text_of(pane, "tenant-quota")
            assert f"  {level}\n" in shown and f"{used:,} of {total:,}" in shown, shown


async def test_a_running_count_shows_while_a_large_tenant_is_listed() -> None:
    app = dashboard_app(users=5000)
    # each page of users takes a while, as on a large tenant far away
    app.context.connection.emulator.faults.configure(latency=0.2, path="/users")
    async with app.run_test(size=SIZE) as pilot:
        pane = app.pane("tenant")
        assert isinstance(pane, TenantPane)
        running = None
        for _ in range(400):
            await pilot.pause(0.02)
            state = pane.counts.get("users")
            if isinstance(state, tuple) and not state[1] and state[0] > 0:
                running = state[0]
                break
        assert running is not None and running % 999 == 0
        assert re.search(rf"Users +{running:,}… counting", text_of(pane, "tenant-counts"))
        await settle(pilot, app)
        assert pane.counts["users"][1] is True  # type: ignore[index]


async def test_each_health_finding_on_a_tenant_arranged_to_show_it() -> None:
    app = dashboard_app(health_findings=True, extensions_app=False)
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        lines = "\n".join(health_lines(pane))
        assert "B2C_1A_GoogleSecret: its key expires in 7 day(s) (2026-11-08)" in lines
        assert "expired on 2026-09-27" in lines  # an expired key still in its keyset
        assert "Contoso Mobile: secret 'Production secret' expired 5 day(s) ago" in lines
        assert "Contoso Web: secret 'Production secret' expires in 12 day(s)" in lines
        assert "Contoso API: certificate 'CN=api.contosob2c.example' expires in 20" in lines
        assert "failures in the last 24 hours" in lines and "× Validate user credentials" in lines
        assert "The b2c-extensions-app is missing" in lines
        assert "is purged for good in 6 day(s)" in lines
        targets = {f.pane for state in pane.health.values() if isinstance(state, list)
                   for f in state}
        assert targets == {"keysets", "applications", "audit", "deleted"}


async def test_healthy_parts_say_so() -> None:
    app = dashboard_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        lines = "\n".join(health_lines(pane))
        assert "The b2c-extensions-app is present" in lines
        assert "Application credentials: none of" in lines


async def test_enter_on_audit_failures_opens_the_audit_log_filtered_to_them() -> None:
    app = dashboard_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        health = pane.query_one("#tenant-health", OptionList)
        index = next(i for i in range(health.option_count)
                     if "× Validate user credentials" in str(
                         health.get_option_at_index(i).prompt))
        count = int(str(health.get_option_at_index(index).prompt).split("×")[0].split()[-1])
        health.focus()
        health.highlighted = index
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.current_pane == "audit"
        audit = app.pane("audit")
        assert isinstance(audit, AuditPane)
        assert audit.filter_text == ("since:24h activity:'Validate user credentials' "
                                     "result:failure")
        records = [audit.records[audit.table.row_key(r)] for r in range(audit.table.row_count)]
        assert len(records) == count
        assert "Validate user credentials" in screen_text(app)
        assert {(r["result"], r["activityDisplayName"]) for r in records} == {
            ("failure", "Validate user credentials")}


async def test_enter_on_a_key_line_opens_the_keys_pane() -> None:
    app = dashboard_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        health = pane.query_one("#tenant-health", OptionList)
        health.focus()
        health.highlighted = next(i for i in range(health.option_count)
                                  if "GoogleSecret" in str(health.get_option_at_index(i).prompt))
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.current_pane == "keysets"


async def test_a_failing_piece_says_why_in_its_own_place() -> None:
    async def no_wait(seconds: float) -> None:
        return None

    app = dashboard_app(faults={"rate_503": 1.0, "path": "/trustFramework/keySets"},
                        sleep=no_wait)
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        lines = health_lines(pane)
        keys = [line for line in lines if line.startswith("? Policy keys")]
        assert len(keys) == 1 and "could not be checked" in keys[0]
        assert "503" in keys[0] or "unavailable" in keys[0].lower()
        assert re.search(r"Policy keysets +could not be counted: ", text_of(pane, "tenant-counts"))
        # the other pieces arrived all the same
        assert "Users " in text_of(pane, "tenant-counts")
        assert any("b2c-extensions-app is present" in line for line in lines)
        assert "directory objects" in text_of(pane, "tenant-quota")


async def test_navigation_never_waits_on_the_dashboard() -> None:
    app = dashboard_app()
    app.context.connection.emulator.faults.configure(latency=30.0, path="/trustFramework")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause()
        pane = app.pane("tenant")
        assert isinstance(pane, TenantPane)
        await pilot.press("u")
        for _ in range(20):
            await pilot.pause()
            if app.current_pane == "users":
                break
        assert app.current_pane == "users"
        assert any(w.group == "dashboard" and w.is_running for w in pane.workers)
        app.context.connection.emulator.faults.reset()
        for worker in list(pane.workers):
            worker.cancel()


async def test_refresh_asks_again_and_read_only_offers_no_writes() -> None:
    app = dashboard_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await settled_dashboard(pilot, app)
        first = pane.generation
        await pilot.press("r")
        await settle(pilot, app)
        assert pane.generation == first + 1 and pane.quota is not None
        footer = screen_text(app).rstrip().splitlines()[-1]
        assert "Users" in footer and "Refresh" in footer
        assert "Delete" not in footer and "New" not in footer and "Edit" not in footer


async def test_the_cursor_starts_on_the_first_line_whatever_arrives_first() -> None:
    app = dashboard_app()
    # the keys arrive last: the lines above the cursor must not push it down the list
    app.context.connection.emulator.faults.configure(latency=0.3, path="/trustFramework")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await settled_dashboard(pilot, app)
        health = pane.query_one("#tenant-health", OptionList)
        assert health.highlighted == 0 and health.scroll_offset.y == 0
        assert str(health.get_option_at_index(0).id).startswith("keys:")
        await pilot.press("down", "down")
        await settle(pilot, app)
        moved = health.highlighted_option.id  # type: ignore[union-attr]
        await pilot.press("r")  # a refresh keeps the line the user chose
        await settle(pilot, app)
        assert health.highlighted_option.id == moved  # type: ignore[union-attr]


async def test_counts_stop_when_you_leave_and_go_on_when_you_return() -> None:
    app = dashboard_app(users=5000)
    app.context.connection.emulator.faults.configure(latency=0.1, path="/users")
    core = app.context.client.core
    asked: list[str] = []
    send = core.request

    async def recording(method: str, url: str, **kwargs: Any) -> Any:
        asked.append(url)
        return await send(method, url, **kwargs)

    core.request = recording  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pane = app.pane("tenant")
        assert isinstance(pane, TenantPane)
        for _ in range(400):
            await pilot.pause(0.02)
            if isinstance(pane.counts.get("users"), tuple) and pane.counts["users"][0] > 0:
                break
        await pilot.press("u")
        await settle(pilot, app)
        assert not any(w.group == "dashboard-count" and w.is_running for w in pane.workers)
        counted = pane.counts["users"]
        assert isinstance(counted, tuple) and not counted[1]  # stopped part way
        await pilot.press("colon", *"tenant", "enter")
        await settle(pilot, app)
        first_pages = [u for u in asked if u.endswith("/users?$select=id&$top=999")]
        assert len(first_pages) == 1  # went on from where it was, never from the start again
        total = len(await app.context.client.users.list(select=["id"]).collect())
        assert pane.counts["users"] == (total, True)
