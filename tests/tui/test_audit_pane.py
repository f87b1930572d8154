"""The audit log pane (``:audit``): paging, each filter (Graph's and the local ones), quick
filters, the detail view, source switching with the archive, the pull, export, read-only."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from textual.widgets import Input, Static

from b2c_tui.audit import AuditArchive
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.export import ExportDialog
from b2c_tui.tui.kit import DetailScreen
from b2c_tui.tui.panes.audit import AuditPane
from b2c_tui.tui.panes.audit.pull_bar import PullBar
from b2c_tui.tui.panes.audit.quick import QuickFilterScreen
from b2c_tui.tui.panes.audit.sources import PAGE_SIZE
from b2c_tui.tui.screens.prompt import PromptScreen
from tests.helpers.audit_pane import open_pane, spread, write_archive
from tests.helpers.pilot import FIXED_NOW, demo_connection, settle
from tests.helpers.users_pane import screen_text

SIZE = (160, 40)


async def open_audit(pilot: Any, app: B2CApp) -> AuditPane:
    pane = await open_pane(pilot, app, "audit")
    assert isinstance(pane, AuditPane)
    return pane


async def load_all(pilot: Any, app: B2CApp, pane: AuditPane) -> list[str]:
    """Scroll to the end until every page is in; the ids in table order."""
    for _ in range(50):
        if not pane.table.has_more:
            break
        await pilot.press("G")
        await settle(pilot, app)
    assert not pane.table.has_more
    return [pane.table.row_key(r) for r in range(pane.table.row_count)]


async def every_entry(app: B2CApp) -> list[dict[str, Any]]:
    """What the tenant serves, newest first, through Graph."""
    return await app.context.client.audit.list(newest_first=True, top=999).collect()


async def filter_with_prompt(pilot: Any, app: B2CApp, text: str) -> None:
    await pilot.press("slash")
    await settle(pilot, app)
    assert isinstance(app.screen, PromptScreen)
    app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot, app)


def bar(pane: AuditPane) -> str:
    return str(pane.query_one("#audit-bar", Static).render())


def notes(app: B2CApp) -> str:
    return " ".join(f"{n.title}: {n.message}" for n in app._notifications)


async def test_pages_lazily_newest_first(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        assert pane.table.row_count == PAGE_SIZE and pane.table.has_more
        served = [e["id"] for e in await every_entry(app)]
        assert len(served) > PAGE_SIZE
        assert await load_all(pilot, app, pane) == served
        assert "Time (UTC)" in screen_text(app) and "Initiated by" in screen_text(app)


def _details(entry: dict[str, Any], key: str) -> list[str]:
    return [d["value"] for d in entry.get("additionalDetails") or [] if d["key"] == key]


def _who(entry: dict[str, Any]) -> list[str]:
    user, app = entry["initiatedBy"].get("user") or {}, entry["initiatedBy"].get("app") or {}
    return [str(v).lower() for v in (user.get("id"), user.get("userPrincipalName"),
                                     user.get("displayName"), app.get("appId"),
                                     app.get("displayName")) if v]


async def test_each_filter_matches_what_the_tenant_holds(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        entries = await every_entry(app)
        admin = next(e for e in entries if (e["initiatedBy"].get("user") or {}).get(
            "userPrincipalName", "").startswith(("adele", "megan", "nestor")))
        upn = admin["initiatedBy"]["user"]["userPrincipalName"]
        policy = next(v for e in entries for v in _details(e, "PolicyId"))
        client_id = next(v for e in entries for v in _details(e, "ApplicationId"))
        some = entries[37]
        target = some["targetResources"][0]["id"]
        six_hours = (FIXED_NOW - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%S")
        cases = [
            ("category:Key", "Graph filters category", lambda e: e["category"] == "Key"),
            ("result:failure", "Graph filters result", lambda e: e["result"] == "failure"),
            ("since:6h", "Graph filters since", lambda e: e["activityDateTime"] >= six_hours),
            ("until:2026-10-28", "Graph filters until",
             lambda e: e["activityDateTime"] < "2026-10-29"),
            ('activity:"Issue an"', "Graph filters activity",
             lambda e: e["activityDisplayName"].startswith("Issue an")),
            (f"by:{upn}", "Graph filters initiator UPN", lambda e: upn.lower() in _who(e)),
            (f"target:{target}", "Graph filters target",
             lambda e: any(t["id"] == target for t in e["targetResources"])),
            (f"correlation:{some['correlationId']}", "Graph filters correlation",
             lambda e: e["correlationId"] == some["correlationId"]),
            (f"policy:{policy}", "Graph cannot filter policy id",
             lambda e: policy in _details(e, "PolicyId")),
            (f"app:{client_id}", "Graph cannot filter application id",
             lambda e: client_id in _details(e, "ApplicationId")
             or client_id in _who(e)),
            ('by:"contoso web"', "Graph cannot filter initiator name",
             lambda e: "contoso web" in _who(e)),
            ("AADB2C90151", "Graph cannot filter text",
             lambda e: "AADB2C90151" in (e.get("resultReason") or "")),
        ]
        for text, said, keeps in cases:
            await filter_with_prompt(pilot, app, text)
            shown = await load_all(pilot, app, pane)
            expected = [e["id"] for e in entries if keeps(e)]
            assert expected, f"the demo tenant has nothing for {text}"
            assert shown == expected, text
            assert said in bar(pane), (text, bar(pane))
        await pilot.press("escape")  # clears the filter
        await settle(pilot, app)
        assert pane.audit_query.empty and pane.table.row_count == PAGE_SIZE


async def test_a_filter_that_means_nothing_says_why_and_keeps_what_was_typed(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        before = pane.table.row_count
        await filter_with_prompt(pilot, app, "catgory:Key result:failure")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "catgory:Key result:failure"
        assert "catgory: is not a filter" in notes(app)
        app.screen.query_one(Input).value = "category:Authorization result:failure"
        await pilot.press("enter")
        await settle(pilot, app)
        assert pane.filter_text == "category:Authorization result:failure"
        assert 0 < pane.table.row_count < before


async def test_quick_filters_one_key_each(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        entries = await every_entry(app)
        for key, category in (("1", "Authorization"), ("2", "Key"), ("3", "Resource"),
                              ("4", "Authentication")):
            await pilot.press("f")
            await settle(pilot, app)
            assert isinstance(app.screen, QuickFilterScreen)
            await pilot.press(key)
            await settle(pilot, app)
            assert pane.filter_text == f"category:{category}"
            shown = await load_all(pilot, app, pane)
            assert shown == [e["id"] for e in entries if e["category"] == category]
        await pilot.press("f", "x")  # failures, on top of the category
        await settle(pilot, app)
        assert pane.filter_text == "category:Authentication result:failure"
        await pilot.press("f", "4")  # the same category again removes it
        await settle(pilot, app)
        assert pane.filter_text == "result:failure"
        await pilot.press("f", "p")
        await settle(pilot, app)
        prompt = app.screen
        assert isinstance(prompt, PromptScreen) and prompt.kind == "policy:"
        prompt.query_one(Input).value = "B2C_1A_signup_signin"
        await pilot.press("enter")
        await settle(pilot, app)
        assert pane.filter_text == "result:failure policy:B2C_1A_signup_signin"
        shown = await load_all(pilot, app, pane)
        assert shown == [e["id"] for e in entries if e["result"] == "failure"
                         and "B2C_1A_signup_signin" in _details(e, "PolicyId")]
        await pilot.press("f", "c")
        await settle(pilot, app)
        assert pane.filter_text == "" and pane.table.row_count == PAGE_SIZE


async def test_detail_view_shows_the_whole_entry_with_old_and_new_values(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        await filter_with_prompt(pilot, app, 'activity:"Update user"')
        rows = [pane.table.row_key(r) for r in range(pane.table.row_count)]
        row = next(r for r, key in enumerate(rows)
                   if pane.records[key]["targetResources"][0]["modifiedProperties"])
        record = pane.records[rows[row]]
        change = record["targetResources"][0]["modifiedProperties"][0]
        pane.table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Targets (old → new)" in text and "Initiated by" in text
        from b2c_tui.tui.panes.audit.detail import readable

        old, new = readable(change["oldValue"]), readable(change["newValue"])
        assert f"{change['displayName']}: {old} → {new}" in text
        assert '"correlationId"' in text  # the raw JSON beside it
        assert record["correlationId"] in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def test_source_switching_pull_and_the_merged_view(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        tenant_ids = [e["id"] for e in await every_entry(app)]
        await pilot.press("t")
        await settle(pilot, app)
        assert pane.source == "archive" and pane.table.row_count == 0
        assert "The archive is empty" in pane.table.empty_text
        await pilot.press("P")
        await settle(pilot, app)
        assert "Archive pull done" in notes(app)
        assert not app.query_one(PullBar).running
        assert await load_all(pilot, app, pane) == tenant_ids
        assert "1,000 entries" in bar(pane) or f"{len(tenant_ids):,} entries" in bar(pane)
        # history older than the tenant's seven days, archived by earlier pulls
        old = spread(120, FIXED_NOW - timedelta(days=12), timedelta(hours=1), prefix="OLD",
                     category="Key")
        write_archive(pane.archive, old)
        await pilot.press("t")  # both
        await settle(pilot, app)
        assert pane.source == "both"
        merged = await load_all(pilot, app, pane)
        assert merged == tenant_ids + [e["id"] for e in old]
        await filter_with_prompt(pilot, app, "category:Key")
        keys_both = await load_all(pilot, app, pane)
        await pilot.press("t")  # tenant: the same filter, only its seven days
        await settle(pilot, app)
        assert pane.source == "tenant" and pane.filter_text == "category:Key"
        keys_tenant = await load_all(pilot, app, pane)
        assert keys_both == keys_tenant + [e["id"] for e in old]
        await pilot.press("t")  # archive: answered locally, same meaning
        await settle(pilot, app)
        assert await load_all(pilot, app, pane) == keys_both
        assert "answered by the local archive" in bar(pane)


async def test_an_unreadable_archive_file_is_reported_and_skipped(make_app) -> None:
    app = make_app(users=50)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        old = spread(48, FIXED_NOW - timedelta(days=10), timedelta(hours=1), prefix="OLD")
        write_archive(pane.archive, old)
        (pane.archive.folder / "2026-10-01.parquet").write_bytes(b"PAR1 but not really")
        await pilot.press("t")
        await settle(pilot, app)
        assert await load_all(pilot, app, pane) == [e["id"] for e in old]
        assert "2026-10-01.parquet could not be read and was skipped" in notes(app)
        assert "1 file(s) skipped" in bar(pane)


async def test_export_the_view_loaded_or_everything(make_app, tmp_path) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        await open_audit(pilot, app)
        entries = await every_entry(app)
        loaded = tmp_path / "loaded.csv"
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#field-path").value = str(loaded)  # type: ignore[attr-defined]
        dialog.query_one("#field-scope").value = "loaded"  # type: ignore[attr-defined]
        dialog.action_save()
        await settle(pilot, app)
        rows = list(csv.reader(loaded.open(encoding="utf-8")))
        assert rows[0][:4] == ["Time (UTC)", "Category", "Activity", "Result"]
        assert [r[-1] for r in rows[1:]] == [e["id"] for e in entries[:PAGE_SIZE]]
        await filter_with_prompt(pilot, app, "result:failure")
        everything = tmp_path / "failures.csv"
        await pilot.press("e")
        await settle(pilot, app)
        dialog = app.screen
        dialog.query_one("#field-path").value = str(everything)  # type: ignore[attr-defined]
        dialog.query_one("#field-scope").value = "all"  # type: ignore[attr-defined]
        dialog.action_save()  # type: ignore[attr-defined]
        await settle(pilot, app)
        rows = list(csv.reader(everything.open(encoding="utf-8")))
        failures = [e for e in entries if e["result"] == "failure"]
        assert [r[-1] for r in rows[1:]] == [e["id"] for e in failures]
        assert {r[3] for r in rows[1:]} == {"failure"}


async def test_read_only_still_browses_and_pulls(make_app) -> None:
    app = make_app(users=50, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        assert pane.table.row_count > 0
        footer = screen_text(app).rstrip().splitlines()[-1]
        assert "Pull archive" in footer and "Quick filter" in footer
        await pilot.press("P")  # a pull only reads the tenant
        await settle(pilot, app)
        assert "Archive pull done" in notes(app)
        assert AuditArchive.for_tenant(app.context.tenant).count()[0] > 0


async def test_stop_pull_keeps_what_was_written(tmp_path) -> None:
    app = B2CApp(demo_connection(50), theme="b2c-dark", pane="audit")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        pane = app.pane("audit")
        assert isinstance(pane, AuditPane)
        pane.table.focus()
        app.context.connection.emulator.faults.configure(latency=30.0,
                                                         path="/auditLogs")
        await pilot.press("P")
        for _ in range(50):
            await pilot.pause()
            if pane.pulling:
                break
        assert pane.pulling and app.query_one(PullBar).running
        assert "X Stop pull" in screen_text(app)
        await pilot.press("X")
        await settle(pilot, app)
        assert not pane.pulling and not app.query_one(PullBar).running
        assert "Stopped: the archive keeps what was written" in notes(app)


async def test_graph_refusing_the_audit_log_says_why_in_the_view() -> None:
    async def no_wait(seconds: float) -> None:
        return None

    connection = demo_connection(50, faults={"rate_503": 1.0, "path": "/auditLogs"},
                                 sleep=no_wait)
    app = B2CApp(connection, theme="b2c-dark", pane="audit")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        pane = app.pane("audit")
        assert isinstance(pane, AuditPane)
        assert pane.table.row_count == 0 and pane.last_error
        assert pane.table.empty_text == pane.last_error
        assert "Graph error" in notes(app)


async def test_the_rows_stay_on_screen_while_the_next_page_loads(make_app) -> None:
    app = make_app(users=300)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_audit(pilot, app)
        app.context.connection.emulator.faults.configure(latency=30.0, path="/auditLogs")
        await pilot.press("G")
        for _ in range(20):
            await pilot.pause()
            if pane.loading:
                break
        assert pane.loading and "loading…" in app.query_one("#status").render().plain
        assert "Time (UTC)" in screen_text(app), screen_text(app)  # the table is not covered
        pane.workers.cancel_group(pane, "pages")
