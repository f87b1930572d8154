"""The conditional access pane (``:ca``): policies and templates in words, filters Graph runs,
create from a template, state changes (report-only included), delete, Graph's refusal in the
dialog, 429s without Retry-After (backoff, shown on the status line), and read-only."""

from __future__ import annotations

from typing import Any

from b2c_tui.connection import open_demo
from b2c_tui.emulator.clock import ManualClock
from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.kit import DetailScreen, SpecForm
from b2c_tui.tui.panes.conditional_access import ConditionalAccessPane
from b2c_tui.tui.panes.conditional_access.pane import IS_TEMPLATE
from b2c_tui.tui.panes.conditional_access.summary import PLACEHOLDER
from b2c_tui.tui.panes.conditional_access.templates import LOCKOUT
from b2c_tui.tui.widgets.status_line import StatusLine
from tests.helpers.kit_panes import RequestLog, cursor_to, loaded_keys, open_pane
from tests.helpers.pilot import FIXED_NOW, settle
from tests.helpers.users_pane import fill, screen_text

SIZE = (200, 45)
REPORT_ONLY = "enabledForReportingButNotEnforced"


async def open_ca(pilot: Any, app: B2CApp) -> ConditionalAccessPane:
    pane = await open_pane(pilot, app, "ca")
    assert isinstance(pane, ConditionalAccessPane)
    return pane


def cell(pane: ConditionalAccessPane, row: int, label: str) -> str:
    labels = [c.label for c in pane.table.columns]
    return pane.table.row_texts(row)[labels.index(label)]


def row_of(pane: ConditionalAccessPane, prefix: str) -> int:
    return next(r for r in range(pane.table.row_count)
                if cell(pane, r, "Name").startswith(prefix))


async def test_policies_are_listed_with_state_and_conditions_in_words(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        assert pane.table.row_count == 3
        admins, legacy, risky = (row_of(pane, p) for p in ("CA001", "CA002", "CA003"))
        assert cell(pane, admins, "State") == "on"
        assert cell(pane, admins, "Users").startswith("Global Administrator, Security Admin")
        assert cell(pane, admins, "Requires") == "require MFA"
        assert cell(pane, legacy, "State") == "report-only"
        assert cell(pane, legacy, "When").startswith("from Exchange ActiveSync or other")
        assert cell(pane, legacy, "Requires") == "block access"
        assert cell(pane, risky, "State") == "off"
        assert cell(pane, risky, "Users") == "all users except guests and external users"
        assert cell(pane, risky, "When") == "sign-in risk high or medium"
        assert cell(pane, risky, "Session") == "sign-in every 4 hours"
        assert "coming" not in screen_text(app).lower()


async def test_detail_view_says_the_policy_in_one_sentence(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        pane.table.move_cursor(row=row_of(pane, "CA003"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        words = str(app.screen.query_one("#detail-section-0").render())
        assert words == ("Off: for all users except guests and external users, signing in to "
                         "all cloud apps (sign-in risk high or medium): require MFA; session: "
                         "sign-in every 4 hours.")
        assert '"signInRiskLevels"' in screen_text(app)  # the raw JSON


async def test_graph_filters_by_state_and_name_prefix(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        log = RequestLog(app)
        pane.apply_filter("report-only")
        await settle(pilot, app)
        assert [cell(pane, r, "State") for r in range(pane.table.row_count)] == ["report-only"]
        pane.apply_filter("CA00")
        await settle(pilot, app)
        assert pane.table.row_count == 3
        assert log.count("GET", "/identity/conditionalAccess/policies") == 2


async def test_templates_view_lists_templates_which_cannot_be_edited(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        await pilot.press("t")
        await settle(pilot, app)
        templates = await app.context.client.conditional_access.list_templates().collect()
        assert pane.table.row_count == len(templates) and pane.showing_templates
        assert "Template" in [c.label for c in pane.table.columns]
        assert pane.check_action("edit", ()) is None and pane.check_action("delete", ()) is None
        assert IS_TEMPLATE in pane.status_note()
        await pilot.press("t")
        await settle(pilot, app)
        assert pane.table.row_count == 3 and not pane.showing_templates


async def test_create_from_the_template_under_the_cursor(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        someone = (await app.context.client.users.list(top=1).collect(1))[0]["id"]
        await pilot.press("t")
        await settle(pilot, app)
        template = await cursor_to(pilot, app, pane, name="Block legacy authentication")
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        assert form.query_one("#field-templateId").value == template["id"]  # type: ignore
        assert form.query_one("#field-state").value == REPORT_ONLY  # type: ignore
        fill(form, {"displayName": "CA100: Block legacy auth", "excludeUsers": someone})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert not pane.showing_templates  # back to the policies, the new one among them
        policies = await app.context.client.conditional_access.list_policies().collect()
        made = next(p for p in policies if p["displayName"] == "CA100: Block legacy auth")
        assert made["id"] in loaded_keys(pane)
        assert made["state"] == REPORT_ONLY and made["templateId"] == template["id"]
        users = made["conditions"]["users"]
        assert users["excludeUsers"] == [someone] and PLACEHOLDER not in users["excludeUsers"]
        assert made["grantControls"]["builtInControls"] == ["block"]


async def test_turning_on_a_policy_for_everyone_needs_an_exclusion(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        await open_ca(pilot, app)
        log = RequestLog(app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        templates = await app.context.client.conditional_access.list_templates().collect()
        everyone = next(t for t in templates if t["name"].endswith("for all users"))
        form.query_one("#field-templateId").value = everyone["id"]  # type: ignore
        form.query_one("#field-state").value = "enabled"  # type: ignore
        log.clear()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and log.sent == []
        assert LOCKOUT[:40] in " ".join(screen_text(app).split())


async def test_edit_switches_the_state_and_sends_only_that(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        api = app.context.client.conditional_access
        sent: list[dict[str, Any]] = []
        real = api.update_policy

        async def spy(key: str, patch: dict[str, Any]) -> None:
            sent.append(dict(patch))
            await real(key, patch)

        api.update_policy = spy  # type: ignore[method-assign]
        pane.table.move_cursor(row=row_of(pane, "CA003"))
        await settle(pilot, app)
        key = pane.table.row_key(pane.table.cursor_row)
        await pilot.press("E")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        form.query_one("#field-state").value = REPORT_ONLY  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]
        assert sent == [{"state": REPORT_ONLY}]
        assert (await api.get_policy(key))["state"] == REPORT_ONLY
        assert cell(pane, row_of(pane, "CA003"), "State") == "report-only"


async def test_graph_refusal_is_shown_in_the_edit_dialog(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        pane.table.move_cursor(row=row_of(pane, "CA002"))
        await settle(pilot, app)
        key = pane.table.row_key(pane.table.cursor_row)
        await pilot.press("E")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, SpecForm)
        # Someone else deletes it meanwhile: Graph answers 404, the form says so.
        await app.context.client.conditional_access.delete_policy(key)
        fill(form, {"displayName": "CA002: renamed"})
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is form and not form.saving
        assert form.query_one("#field-displayName").value == "CA002: renamed"  # type: ignore
        assert "Graph refused the change (404" in screen_text(app)


async def test_delete_confirms_with_name_and_id(make_app) -> None:
    app = make_app(users=5)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        pane.table.move_cursor(row=row_of(pane, "CA002"))
        await settle(pilot, app)
        key = pane.table.row_key(pane.table.cursor_row)
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert "CA002: Block legacy authentication" in text and key in text
        assert "hard delete" in text
        app.screen.dismiss(True)
        await settle(pilot, app)
        assert key not in loaded_keys(pane)
        left = await app.context.client.conditional_access.list_policies().collect()
        assert key not in {p["id"] for p in left}


async def test_a_429_without_retry_after_backs_off_and_shows_on_the_status_line() -> None:
    clock = ManualClock(FIXED_NOW)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the client's wait: move the tenant's clock
        waits.append(seconds)
        clock.advance(seconds)

    # Throttling on: Graph allows one conditional access request a second.
    connection = open_demo(users=5, seed=7, throttling=True, clock=clock, sleep=sleep)
    app = B2CApp(connection, theme="b2c-dark")
    events: list[Any] = []
    connection.client.core.add_listener(events.append)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        assert pane.table.row_count == 3
        await pilot.press("t")  # a second request in the same second: 429, no Retry-After
        await settle(pilot, app)
        throttled = [e for e in events if e.status == 429]
        assert throttled and throttled[0].attempt == 1 and waits
        line = str(app.query_one(StatusLine).render())
        assert "throttled by Graph (429), retry" in line
        # The pane survived it: the templates arrived once the client had waited.
        assert pane.table.row_count == len(connection.emulator.store.identity.ca_templates)
        assert not pane.last_error and pane.showing_templates


async def test_read_only_hides_every_write(make_app) -> None:
    app = make_app(users=5, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_ca(pilot, app)
        pane.table.move_cursor(row=row_of(pane, "CA001"))
        await settle(pilot, app)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"create", "edit", "delete"} and "templates" in actions
        for key in ("n", "E", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        assert any("Read-only" in n.message for n in app._notifications)
