"""The policies pane's workflows through Pilot on the demo tenant: diff (folder and backup), lint
(a folder and the tenant), upload (dry run, confirmation, progress, a Graph refusal with the
line it points to), backups and restore, delete (naming what inherits), download, and
read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input

from b2c_tui.tui.dialogs.confirm import ConfirmDialog
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.panes.policies import PoliciesPane
from b2c_tui.tui.panes.policies.backups_screen import BackupsScreen
from b2c_tui.tui.panes.policies.diff_screen import PolicyDiffScreen
from b2c_tui.tui.panes.policies.forms import (
    CompareDialog,
    DownloadDialog,
    LintDialog,
    UploadDialog,
)
from b2c_tui.tui.panes.policies.lint_screen import LintScreen
from b2c_tui.tui.panes.policies.upload_screen import DONE, FAILED, SKIPPED, UploadScreen
from b2c_tui.tui.panes.policies.viewer import PolicyViewerScreen
from tests.helpers.pilot import settle
from tests.helpers.policies_pane import (
    BASE,
    EXTENSIONS,
    SIGNUP,
    changed_pack,
    copy_pack,
    edit_file,
    make_recorded_app,
    notes,
    open_pane,
    refuse,
    row_of,
    submit_form,
    tenant_xml,
)
from tests.helpers.users_pane import screen_text

SIZE = (160, 40)
LOCALIZATION = "B2C_1A_TrustFrameworkLocalization"


async def open_policies(pilot: Any, app: Any) -> PoliciesPane:
    pane = await open_pane(pilot, app, "policies")
    assert isinstance(pane, PoliciesPane)
    return pane


async def confirm(pilot: Any, app: Any) -> None:
    assert isinstance(app.screen, ConfirmDialog | ConfirmDeleteDialog), type(app.screen)
    await pilot.press("tab", "enter")  # Cancel has the focus: tab to the confirm button
    await settle(pilot, app)


# -- diff -------------------------------------------------------------------------------------
async def test_diff_tenant_with_a_folder_lists_changed_policies_first(tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "f", CompareDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, PolicyDiffScreen)
        statuses = [(d.policy_id, d.status.value) for d in screen.items]
        assert statuses[:2] == [(SIGNUP, "changed"), (EXTENSIONS, "changed")] or \
            statuses[:2] == [(EXTENSIONS, "changed"), (SIGNUP, "changed")]
        assert [s for _, s in statuses[2:]] == ["unchanged"] * 4
        assert screen.view.counts == screen.items[0].counts
        text = screen_text(app)
        assert "2 changed, 4 unchanged" in text and "~ " in text
        await pilot.press("u")  # unified, from the list
        await settle(pilot, app)
        assert screen.view.unified
        await pilot.press("down")
        await settle(pilot, app)
        assert screen.shown == 1
        assert recorder.writes() == []


async def test_diff_refuses_a_folder_that_does_not_exist_and_keeps_the_input(
        tmp_path: Path) -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        missing = str(tmp_path / "nowhere")
        dialog = await submit_form(pilot, app, "f", CompareDialog, {"folder": missing})
        assert app.screen is dialog
        assert dialog.query_one("#field-folder", Input).value == missing
        assert "no such file or folder" in screen_text(app)


async def test_path_completion_in_the_dialog(tmp_path: Path) -> None:
    copy_pack(tmp_path)
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        field = app.screen.query_one("#field-folder", Input)
        field.value = ""
        field.focus()
        await pilot.press(*f"{tmp_path}/Loc")
        await settle(pilot, app)
        await pilot.press("end", "right")  # accept the completion
        await settle(pilot, app)
        assert field.value == f"{tmp_path}/LocalAccounts/"


# -- lint -------------------------------------------------------------------------------------
async def test_lint_a_broken_folder_and_open_a_finding_at_its_line(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    edit_file(folder / "SignUpOrSignin.xml", "B2C_1A_TrustFrameworkExtensions",
              "B2C_1A_NoSuchBase")
    edit_file(folder / "TrustFrameworkExtensions.xml", 'ClaimTypeReferenceId="client_id"',
              'ClaimTypeReferenceId="client_nowhere"')
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "l", LintDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, LintScreen)
        rules = {f.rule for f in screen.items}
        assert {"base-missing", "undefined-claim-type"} <= rules
        text = screen_text(app)
        assert "SignUpOrSignin.xml:" in text and "[base-missing]" in text
        target = next(i for i, f in enumerate(screen.items)
                      if f.rule == "undefined-claim-type")
        finding = screen.items[target]
        screen.query_one("#policy-lint-list").highlighted = target  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        viewer = app.screen
        assert isinstance(viewer, PolicyViewerScreen)
        assert viewer.view.cursor[0] == finding.line
        line = viewer.view.document.line(finding.line - 1)  # type: ignore[union-attr]
        assert "client_nowhere" in line
        assert viewer.view.policy_id == EXTENSIONS
        assert str(folder) in screen_text(app)  # the header names the file


async def test_lint_the_tenants_own_policies() -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "l", LintDialog, {"folder": ""})
        screen = app.screen
        assert isinstance(screen, LintScreen)
        assert screen.files == 17
        assert all(f.severity != "error" for f in screen.items)


# -- upload -----------------------------------------------------------------------------------
async def test_dry_run_then_upload_with_backups_and_progress(tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        plan = [(i.policy_id, i.action.value, i.send) for i in screen.plan.items]
        assert plan == [(BASE, "unchanged", False), (LOCALIZATION, "unchanged", False),
                        (EXTENSIONS, "changed", True), ("B2C_1A_PasswordReset", "unchanged",
                                                        False),
                        ("B2C_1A_ProfileEdit", "unchanged", False), (SIGNUP, "changed", True)]
        assert "Dry run: nothing was sent" in screen_text(app)
        assert recorder.writes() == []
        await pilot.press("U")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        assert "2 policies, bases first" in screen_text(app)
        await confirm(pilot, app)
        assert screen.result is not None and screen.result.ok
        assert screen.state == {EXTENSIONS: DONE, SIGNUP: DONE}
        assert [w for w in recorder.writes() if w[0] == "PUT"] == [
            ("PUT", f"/beta/trustFramework/policies/{EXTENSIONS}/$value"),
            ("PUT", f"/beta/trustFramework/policies/{SIGNUP}/$value")]
        assert "<!-- rp change -->" in tenant_xml(app, SIGNUP)
        backup = screen.result.backup
        assert backup is not None and sorted(backup.saved_ids()) == [EXTENSIONS, SIGNUP]
        assert "2 policies uploaded" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert pane.state is not None  # the tree was read again after the upload
        assert "<!-- rp change -->" in (pane.state.text_of(SIGNUP) or "")


async def test_a_graph_refusal_stops_the_upload_and_names_policy_line_and_what_was_done(
        tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, recorder = make_recorded_app()

    def refuse_rp(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT" and SIGNUP in request.url.path:
            return httpx.Response(400, json={"error": {
                "code": "AADB2C", "message": "Validation failed: 1 validation error(s) found "
                "in policy \"B2C_1A_SIGNUP_SIGNIN\": Line 19, column 6: element not allowed."}})
        return None

    recorder.rules.append(refuse_rp)
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        await pilot.press("U")
        await settle(pilot, app)
        await confirm(pilot, app)
        result = screen.result
        assert result is not None and not result.ok
        assert result.failed == SIGNUP and result.done == [EXTENSIONS]
        assert result.error_line == 19
        assert screen.state == {EXTENSIONS: DONE, SIGNUP: FAILED}
        text = " ".join(screen_text(app).split())  # the status wraps
        assert f"Stopped at {SIGNUP} (line 19)" in text
        assert "element not allowed" in text and f"Already uploaded: {EXTENSIONS}" in text
        assert "line 19:" in text  # the line of the document Graph pointed at
        assert SKIPPED not in screen.state.values()


async def test_a_refused_plan_cannot_be_uploaded(tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    edit_file(folder / "SignUpOrSignin.xml", "B2C_1A_TrustFrameworkExtensions",
              "B2C_1A_NoSuchBase")
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        assert screen.plan.blocked
        assert screen.check_action("upload", ()) is None
        await pilot.press("U")
        await settle(pilot, app)
        assert app.screen is screen and recorder.writes() == []
        assert "Refused by lint" in screen_text(app)


# -- backups and restore ----------------------------------------------------------------------
async def test_restore_a_backup_with_one_key_after_confirming(tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        original = tenant_xml(app, SIGNUP)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": str(folder)})
        await pilot.press("U")
        await settle(pilot, app)
        await confirm(pilot, app)
        assert tenant_xml(app, SIGNUP) != original
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        backups = app.screen
        assert isinstance(backups, BackupsScreen)
        assert len(backups.items) == 1 and backups.items[0].operation == "push"
        assert SIGNUP in screen_text(app)
        await pilot.press("R")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Put back the tenant's copy of 2 policies" in screen_text(app)
        await confirm(pilot, app)
        assert app.screen is backups
        assert tenant_xml(app, SIGNUP) == original
        assert "2 policies restored" in screen_text(app)
        # What the restore overwrote was backed up in turn, and the list says so.
        assert [b.operation for b in backups.items] == ["restore", "push"]


async def test_compare_a_backup_with_the_tenant(tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "u", UploadDialog, {"folder": str(folder)})
        await pilot.press("U")
        await settle(pilot, app)
        await confirm(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        diff = app.screen
        assert isinstance(diff, PolicyDiffScreen)
        assert {d.status.value for d in diff.items} == {"changed"}
        assert diff.items[0].right_label.startswith("backup:")


# -- delete -----------------------------------------------------------------------------------
async def test_delete_names_the_policy_and_what_inherits_from_it_and_backs_up() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        pane.table.move_cursor(row=row_of(pane, EXTENSIONS))
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmDeleteDialog)
        text = screen_text(app)
        assert EXTENSIONS in text
        assert "B2C_1A_PasswordReset, B2C_1A_ProfileEdit, B2C_1A_signup_signin" in text
        await pilot.press("escape")  # cancel: nothing sent
        await settle(pilot, app)
        assert recorder.writes() == []
        pane.table.move_cursor(row=row_of(pane, "B2C_1A_ProfileEdit"))
        await pilot.press("d")
        await settle(pilot, app)
        assert "Nothing inherits from it" in screen_text(app)
        await confirm(pilot, app)
        assert recorder.writes() == [("DELETE", "/beta/trustFramework/policies/"
                                                "B2C_1A_ProfileEdit")]
        assert "B2C_1A_ProfileEdit" not in pane.records
        assert any("1 policy deleted" in n and "Backup:" in n for n in notes(app))


# -- download ---------------------------------------------------------------------------------
async def test_download_the_selection_and_a_conflict_is_said_in_the_dialog(
        tmp_path: Path) -> None:
    app, _ = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        for key in (BASE, SIGNUP):
            pane.table.move_cursor(row=row_of(pane, key))
            await pilot.press("space")
        target = tmp_path / "out"
        dialog = await submit_form(pilot, app, "p", DownloadDialog, {"folder": str(target)})
        assert app.screen is not dialog
        assert sorted(p.name for p in target.iterdir()) == [f"{BASE}.xml", f"{SIGNUP}.xml"]
        assert (target / f"{SIGNUP}.xml").read_text(encoding="utf-8") == \
            tenant_xml(app, SIGNUP)
        # A local file that differs is not replaced unless asked.
        (target / f"{SIGNUP}.xml").write_text((target / f"{SIGNUP}.xml").read_text()
                                              .replace("<RelyingParty>", "<RelyingParty><!--x-->"))
        dialog = await submit_form(pilot, app, "p", DownloadDialog, {"folder": str(target)})
        assert app.screen is dialog
        assert "differ from the tenant" in screen_text(app)
        assert dialog.query_one("#field-folder", Input).value == str(target)


# -- read-only --------------------------------------------------------------------------------
async def test_read_only_hides_writes_and_says_why(tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, recorder = make_recorded_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"upload", "delete", "delete_selected"}
        assert {"compare", "lint", "backups", "download"} <= actions
        pane.table.move_cursor(row=row_of(pane, SIGNUP))
        for key in ("u", "d"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is app.screen_stack[0]
        assert sum("Read-only" in n for n in notes(app)) == 2
        # Reading still works: the diff of a folder.
        await submit_form(pilot, app, "f", CompareDialog, {"folder": str(folder)})
        assert isinstance(app.screen, PolicyDiffScreen)
        assert recorder.writes() == []


async def test_a_graph_refusal_during_the_dry_run_is_shown_in_the_dialog(
        tmp_path: Path) -> None:
    folder = changed_pack(tmp_path)
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        recorder.rules.append(refuse("GET", "/trustFramework/policies", 403,
                                     "Insufficient privileges to complete the operation.",
                                     code="Authorization_RequestDenied"))
        dialog = await submit_form(pilot, app, "u", UploadDialog,
                                   {"folder": str(folder), "prefix": "Dev_"})
        assert app.screen is dialog and not dialog.saving
        assert "Insufficient privileges" in " ".join(screen_text(app).split())
        assert dialog.query_one("#field-prefix", Input).value == "Dev_"
        assert recorder.writes() == []


async def test_delete_the_selection_in_one_confirmation() -> None:
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_policies(pilot, app)
        assert pane.check_action("delete_selected", ()) is None  # nothing selected yet
        for key in ("B2C_1A_ProfileEdit", "B2C_1A_PasswordReset"):
            pane.table.move_cursor(row=row_of(pane, key))
            await pilot.press("space")
        await pilot.press("D")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteDialog) and dialog.bulk
        await pilot.press("2")  # a bulk delete asks for the count
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        deletes = sorted(path for method, path in recorder.writes() if method == "DELETE")
        assert deletes == ["/beta/trustFramework/policies/B2C_1A_PasswordReset",
                           "/beta/trustFramework/policies/B2C_1A_ProfileEdit"]


async def test_lint_names_each_bad_file_an_xml_bomb_utf16_and_a_duplicate_id(
        tmp_path: Path) -> None:
    folder = copy_pack(tmp_path)
    (folder / "Bomb.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;">]>\n<TrustFrameworkPolicy PolicyId="B2C_1A_Bomb">&lol2;'
        "</TrustFrameworkPolicy>\n", encoding="utf-8")
    wide = (folder / "ProfileEdit.xml").read_text(encoding="utf-8")
    (folder / "ProfileEdit.xml").write_bytes(wide.encode("utf-16"))  # with a BOM: readable
    (folder / "Copy.xml").write_text(
        (folder / "SignUpOrSignin.xml").read_text(encoding="utf-8"), encoding="utf-8")
    app, recorder = make_recorded_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_policies(pilot, app)
        await submit_form(pilot, app, "l", LintDialog, {"folder": str(folder)})
        screen = app.screen
        assert isinstance(screen, LintScreen)
        by_rule = {(f.rule, Path(f.file).name) for f in screen.items}
        assert ("xml-unsafe", "Bomb.xml") in by_rule
        assert ("duplicate-policy-id", "Copy.xml") in by_rule
        assert ("duplicate-policy-id", "SignUpOrSignin.xml") in by_rule
        assert not any(name == "ProfileEdit.xml" for _rule, name in by_rule)
        text = screen_text(app)
        assert "Bomb.xml" in text and "[xml-unsafe]" in text
        assert recorder.writes() == []
