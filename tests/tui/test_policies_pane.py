"""The custom policies pane (``:policies``): the inheritance tree and the list, flags for a
missing base, a cycle and another tenant, the filter, and the XML viewer (search, go to
definition into a base policy and back, find uses across the chain, the editor's copy)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Any

from b2c_tui.tui.panes.policies import PoliciesPane
from b2c_tui.tui.panes.policies.diff_screen import PolicyDiffScreen
from b2c_tui.tui.panes.policies.upload_screen import UploadScreen
from b2c_tui.tui.panes.policies.viewer import PolicyViewerScreen
from tests.helpers.pilot import settle
from tests.helpers.policies_pane import (
    BASE,
    EXTENSIONS,
    SIGNUP,
    make_recorded_app,
    notes,
    open_pane,
    row_of,
    seed_policy,
    tenant_xml,
)
from tests.helpers.users_pane import screen_text

SIZE = (160, 40)
NS = "http://schemas.microsoft.com/online/cpim/schemas/2013/06"
TENANT = "contosob2c.onmicrosoft.com"


def small_policy(policy_id: str, base: str | None = None, tenant: str = TENANT) -> str:
    based = (f"<BasePolicy><TenantId>{tenant}</TenantId><PolicyId>{base}</PolicyId>"
             "</BasePolicy>") if base else ""
    return (f'<TrustFrameworkPolicy xmlns="{NS}" PolicySchemaVersion="0.3.0.0" '
            f'TenantId="{tenant}" PolicyId="{policy_id}" '
            f'PublicPolicyUri="http://{tenant}/{policy_id}">\n  {based}\n'
            "</TrustFrameworkPolicy>\n")


async def open_policies(pilot: Any, app: Any) -> PoliciesPane:
    pane = await open_pane(pilot, app, "policies")
    assert isinstance(pane, PoliciesPane)
    return pane


def labels(pane: PoliciesPane) -> list[str]:
    return [pane.table.row_texts(r)[0] for r in range(pane.table.row_count)]


async def test_tree_shows_each_set_under_its_root_in_inheritance_order() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        shown = labels(pane)
        assert len(shown) == 17
        # Base -> Localization -> Extensions -> relying parties, each set under its root.
        assert shown[:6] == [
            BASE, "└─ B2C_1A_TrustFrameworkLocalization",
            "   └─ B2C_1A_TrustFrameworkExtensions", "      ├─ B2C_1A_PasswordReset",
            "      ├─ B2C_1A_ProfileEdit", "      └─ B2C_1A_signup_signin"]
        roots = [label for label in shown if not label.startswith(" ") and "─" not in label]
        assert roots == [BASE, "B2C_1A_Social_TrustFrameworkBase",
                         "B2C_1A_SocialAndLocal_TrustFrameworkBase"]
        row = pane.table.row_texts(row_of(pane, SIGNUP))
        assert row[1:4] == ["relying party", "", EXTENSIONS] and row[-1] == "B2C_1A_"
        text = screen_text(app)
        assert "17 policies in 3 set(s)" in text and "coming" not in text.lower()
        # The last change comes from the audit log (the policy resource has none).
        changed = pane.records[EXTENSIONS]["lastChange"]
        assert changed and changed.startswith("2026-10-31")


async def test_missing_base_cycle_and_other_tenant_are_flagged() -> None:
    app, _ = make_recorded_app()
    seed_policy(app, small_policy("B2C_1A_Orphan", "B2C_1A_Gone"), "B2C_1A_Orphan",
                "B2C_1A_Gone")
    seed_policy(app, small_policy("B2C_1A_LoopA", "B2C_1A_LoopB"), "B2C_1A_LoopA",
                "B2C_1A_LoopB")
    seed_policy(app, small_policy("B2C_1A_LoopB", "B2C_1A_LoopA"), "B2C_1A_LoopB",
                "B2C_1A_LoopA")
    seed_policy(app, small_policy("B2C_1A_Elsewhere", tenant="fabrikam.onmicrosoft.com"),
                "B2C_1A_Elsewhere", None)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        problems = {key: pane.records[key]["problems"] for key in
                    ("B2C_1A_Orphan", "B2C_1A_LoopA", "B2C_1A_LoopB", "B2C_1A_Elsewhere",
                     BASE)}
        assert problems["B2C_1A_Orphan"] == "✗ base missing"
        assert problems["B2C_1A_LoopA"] == problems["B2C_1A_LoopB"] == "✗ cycle"
        assert problems["B2C_1A_Elsewhere"] == "✗ other tenant"
        assert problems[BASE] == ""
        assert "4 with problems" in pane.status_note()
        # The viewer's header says what is wrong, in words.
        pane.table.move_cursor(row=row_of(pane, "B2C_1A_Orphan"))
        await pilot.press("enter")
        await settle(pilot, app)
        assert "base policy B2C_1A_Gone is not in this set" in screen_text(app)


async def test_list_view_and_the_filter() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        pane.table.move_cursor(row=row_of(pane, SIGNUP))
        await pilot.press("t")
        await settle(pilot, app)
        shown = labels(pane)
        assert shown == sorted(shown, key=str.lower) and "─" not in "".join(shown)
        assert pane.table.row_key(pane.table.cursor_row) == SIGNUP  # the cursor stays on it
        assert "Policy id" in screen_text(app)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*"SocialAndLocal", "enter")
        await settle(pilot, app)
        assert pane.table.row_count == 6
        assert all("SocialAndLocal" in label for label in labels(pane))
        await pilot.press("escape")  # clears the filter
        await settle(pilot, app)
        assert pane.table.row_count == 17
        await pilot.press("t")
        await settle(pilot, app)
        assert labels(pane)[1].startswith("└─")


async def test_the_toggle_does_not_read_the_tenant_again() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        before = len(recorder.requests)
        await pilot.press("t")
        await settle(pilot, app)
        assert len(recorder.requests) == before
        await pilot.press("r")  # refresh reads again
        await settle(pilot, app)
        assert len(recorder.requests) > before


# -- the viewer ------------------------------------------------------------------------------
async def open_viewer(pilot: Any, app: Any, policy_id: str) -> PolicyViewerScreen:
    pane = await open_policies(pilot, app)
    pane.table.move_cursor(row=row_of(pane, policy_id))
    await pilot.press("enter")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, PolicyViewerScreen)
    return screen


async def test_viewer_search_go_to_definition_into_the_base_and_back() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        viewer = await open_viewer(pilot, app, SIGNUP)
        view = viewer.view
        assert view.policy_id == SIGNUP
        assert "relying party" in screen_text(app) and EXTENSIONS in screen_text(app)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*"SignUpOrSignIn", "enter")
        await settle(pilot, app)
        assert view.search_state.matches and len(view.search_state.matches) == 1
        line, column = view.cursor
        assert 'ReferenceId="SignUpOrSignIn"' in view.document.line(line - 1)  # type: ignore
        # The journey is defined in the base policy: enter jumps there.
        await pilot.press("enter")
        await settle(pilot, app)
        assert view.policy_id == BASE
        here = view.document.line(view.cursor[0] - 1)  # type: ignore[union-attr]
        assert '<UserJourney Id="SignUpOrSignIn">' in here
        assert "B2C_1A_TrustFrameworkBase  base" in screen_text(app)
        # Back returns to the relying party, where the jump started.
        await pilot.press("backspace")
        await settle(pilot, app)
        assert view.policy_id == SIGNUP and view.cursor == (line, column)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is app.screen_stack[0]


async def test_find_uses_lists_every_use_across_the_chain_and_jumps() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        viewer = await open_viewer(pilot, app, EXTENSIONS)
        view = viewer.view
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*'Id="login-NonInteractive"', "enter")
        await settle(pilot, app)
        await pilot.press("right", "right", "right", "right", "right")  # onto the id
        start = view.cursor
        await pilot.press("u")
        await settle(pilot, app)
        uses = view.uses_panel
        assert uses is not None and app.screen is viewer  # inline in the viewer
        places = {(loc.policy_id, loc.line) for loc in uses.locations}
        policies = {p for p, _line in places}
        assert EXTENSIONS in policies and BASE in policies  # defined here and in the base
        assert len(places) >= 3
        # Pick the base's use with the keys and jump there: the base policy opens.
        index = next(i for i, loc in enumerate(uses.locations) if loc.policy_id == BASE)
        await pilot.press(*["down"] * index)
        assert uses.chosen == uses.locations[index]
        await pilot.press("enter")
        await settle(pilot, app)
        base_use = uses.locations[index]
        assert view.uses_panel is None
        assert view.policy_id == BASE and view.cursor[0] == base_use.line
        assert f"{base_use.line:>4} " in screen_text(app)  # the base's line is on screen
        await pilot.press("backspace")
        await settle(pilot, app)
        assert (view.policy_id, view.cursor) == (EXTENSIONS, start)


async def test_the_editors_copy_is_diffed_and_only_uploaded_through_the_dry_run(
        tmp_path: Path, monkeypatch: Any) -> None:
    editor = tmp_path / "edit.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('<RelyingParty>', "
                      "'<!-- edited --><RelyingParty>'))\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_viewer(pilot, app, SIGNUP)
        before = recorder.writes()
        await pilot.press("o")
        await settle(pilot, app)
        diff = app.screen
        assert isinstance(diff, PolicyDiffScreen)
        assert diff.items[0].status.value == "changed" and diff.items[0].counts == (1, 1)
        assert recorder.writes() == before  # nothing sent
        await pilot.press("U")  # the dry run of the edited copy
        await settle(pilot, app)
        upload = app.screen
        assert isinstance(upload, UploadScreen)
        assert [(i.policy_id, i.action.value) for i in upload.plan.items] == [
            (SIGNUP, "changed")]
        assert recorder.writes() == before
        await pilot.press("U")
        await settle(pilot, app)
        await pilot.press("tab", "enter")  # the confirmation: focus the Upload button
        await settle(pilot, app)
        assert upload.result is not None and upload.result.ok
        assert "<!-- edited --><RelyingParty>" in tenant_xml(app, SIGNUP)
        assert ("PUT", f"/beta/trustFramework/policies/{SIGNUP}/$value") in recorder.writes()
        assert any("uploaded" in n for n in notes(app)) or "1 policy uploaded" in \
            screen_text(app)


async def test_uses_list_opens_for_a_single_use_and_escape_closes_only_the_list() -> None:
    """Find uses on a definition with a single use still opens the list (not a silent jump);
    escape closes the list, not the viewer."""
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        viewer = await open_viewer(pilot, app, BASE)
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*'UserJourney Id="SignUpOrSignIn', "enter")
        await settle(pilot, app)
        for _ in range(17):
            await pilot.press("right")
        start = viewer.view.cursor
        await pilot.press("u")
        await settle(pilot, app)
        listing = viewer.view.uses_panel
        assert listing is not None
        assert len(listing.locations) >= 2  # the definition and the relying party's use
        assert viewer.view.policy_id == BASE
        assert "uses of SignUpOrSignIn" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert viewer.view.uses_panel is None and app.screen is viewer
        assert viewer.view.cursor == start
        assert "uses of SignUpOrSignIn" not in screen_text(app)


async def test_a_tenant_document_that_does_not_parse_is_listed_and_viewable() -> None:
    app, _ = make_recorded_app()
    broken = small_policy("B2C_1A_Broken").replace("</TrustFrameworkPolicy>", "<Unclosed>")
    seed_policy(app, broken, "B2C_1A_Broken", None)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        record = pane.records["B2C_1A_Broken"]
        assert record["kind"] == "unreadable" and record["problems"] == "✗ xml-malformed"
        assert "1 with problems" in pane.status_note()
        pane.table.move_cursor(row=row_of(pane, "B2C_1A_Broken"))
        await pilot.press("enter")
        await settle(pilot, app)
        viewer = app.screen
        assert isinstance(viewer, PolicyViewerScreen)
        assert viewer.view.text == broken  # shown as the tenant holds it
        assert "✗" in screen_text(app)  # and why it cannot be read


def test_index_resolver_answers_at_once_only_once_the_chain_is_split() -> None:
    from b2c_tui.policies.index import PolicyIndex
    from b2c_tui.policies.local import load_local
    from b2c_tui.tui.panes.policies.resolver import IndexResolver
    from tests.helpers.policies import STARTER

    index = PolicyIndex(load_local(STARTER / "SocialAndLocalAccounts").policies)
    resolver = IndexResolver(index)
    rp = "B2C_1A_signup_signin"
    assert not resolver.answers_at_once(rp)  # a 1 MB base would be split on the key
    resolver.warm(rp)
    assert resolver.answers_at_once(rp)
    assert {p.policy_id.lower() for p in index.chain(rp)} <= set(resolver._split)


async def test_uses_from_the_attribute_name_or_its_quote() -> None:
    # The viewer reads the attribute under the cursor with its name and quotes; the index
    # knows only the values' spans. On the quote it said "No uses of 'login-NonInteractive'".
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        viewer = await open_viewer(pilot, app, EXTENSIONS)
        view = viewer.view
        await pilot.press("slash")
        await settle(pilot, app)
        await pilot.press(*'Id="login-NonInteractive"', "enter")
        await settle(pilot, app)
        await pilot.press("right", "right", "right")  # on the opening quote
        await pilot.press("u")
        await settle(pilot, app)
        assert view.uses_panel is not None and len(view.uses_panel.locations) >= 3
        await pilot.press("escape")
        await pilot.press("left", "left", "left")  # on the attribute's name
        await pilot.press("u")
        await settle(pilot, app)
        assert view.uses_panel is not None and len(view.uses_panel.locations) >= 3
