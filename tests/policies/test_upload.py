"""Dry run, push, pull, restore and delete against the demo tenant: order, backups first,
honest reports on failure, nothing sent when refused."""

from __future__ import annotations

import codecs
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from b2c_tui.graph.errors import ReadOnlyError
from b2c_tui.policies.backups import BackupJournal
from b2c_tui.policies.inheritance import InheritanceGraph
from b2c_tui.policies.local import load_local
from b2c_tui.policies.parser import parse_policy
from b2c_tui.policies.plan import Action, plan_push
from b2c_tui.policies.pull import PullConflictError, pull
from b2c_tui.policies.push import (
    TenantChangedError,
    UploadRefusedError,
    delete_policies,
    execute_push,
    plan_delete,
    restore,
)
from tests.helpers.policies import DEMO_TENANT, PACKS, STARTER, Demo, open_demo_tenant


def puts(demo: Demo) -> list[str]:
    return [path.split("/policies/")[1].removesuffix("/$value")
            for method, path in demo.recorder.writes() if method == "PUT"]


@pytest.mark.parametrize("pack", PACKS)
async def test_each_pack_dry_runs_uploads_in_order_and_downloads_identical(
        demo: Demo, pack: str, tmp_path: Path) -> None:
    plan = await plan_push(demo.client, STARTER / pack, demo.context, prefix="Test_")
    assert not plan.blocked and plan.findings == []
    assert {i.action for i in plan.items} == {Action.NEW}
    assert not demo.recorder.writes()  # the dry run only reads
    journal = BackupJournal(DEMO_TENANT)
    result = await execute_push(demo.client, plan, journal)
    assert result.ok and result.done == [i.policy_id for i in plan.items]
    sent = puts(demo)
    assert sent == result.done
    graph = InheritanceGraph(parse_policy(i.text, i.source) for i in plan.items)
    for policy_id in sent:  # every base went up before what inherits from it
        base = graph.base_of(policy_id)
        assert base is None or sent.index(base.policy_id) < sent.index(policy_id)
    assert result.backup is not None and result.backup.saved == []  # nothing overwritten
    assert sorted(result.backup.created_policies) == sorted(sent)

    pulled = await pull(demo.client, tmp_path / "down", sent)
    assert len(pulled.written) == len(sent)
    for item in plan.items:
        path = tmp_path / "down" / f"{item.policy_id}.xml"
        assert path.read_bytes() == item.text.encode("utf-8")
    again = await plan_push(demo.client, STARTER / pack, demo.context, prefix="Test_")
    assert {i.action for i in again.items} == {Action.UNCHANGED} and again.to_send == []


async def test_only_changed_policies_are_sent_and_overwrites_are_backed_up_first(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    journal = BackupJournal(DEMO_TENANT)
    first = await plan_push(demo.client, folder, demo.context)
    assert {i.action for i in first.items} == {Action.UNCHANGED}  # the demo's own copy
    rp = folder / "SignUpOrSignin.xml"
    rp.write_text(rp.read_text("utf-8-sig").replace(
        '<OutputClaim ClaimTypeReferenceId="email" />',
        '<OutputClaim ClaimTypeReferenceId="email" />\n        '
        '<OutputClaim ClaimTypeReferenceId="tenantId" />'), "utf-8")
    before = await demo.client.policies.get_xml("B2C_1A_signup_signin")
    plan = await plan_push(demo.client, folder, demo.context)
    changed = [i for i in plan.items if i.action is Action.CHANGED]
    assert [i.policy_id for i in changed] == ["B2C_1A_signup_signin"]
    assert "+        <OutputClaim ClaimTypeReferenceId=\"tenantId\" />" in changed[0].diff.unified()

    seen_at_first_put: list[bool] = []

    def check_backup(request: httpx.Request) -> None:
        if request.method == "PUT" and not seen_at_first_put:
            saved = list(journal.root.glob("*/B2C_1A_signup_signin.xml"))
            seen_at_first_put.append(bool(saved) and saved[0].read_text("utf-8") == before)

    demo.recorder.rules.append(lambda r: check_backup(r))  # type: ignore[func-returns-value]
    result = await execute_push(demo.client, plan, journal)
    assert result.ok and puts(demo) == ["B2C_1A_signup_signin"]
    assert seen_at_first_put == [True]
    manifest = json.loads((result.backup.path / "manifest.json").read_text())  # type: ignore[union-attr]
    assert manifest["status"] == "complete" and manifest["done"] == ["B2C_1A_signup_signin"]
    assert [s["policy_id"] for s in manifest["saved"]] == ["B2C_1A_signup_signin"]

    forced = await plan_push(demo.client, folder, demo.context, force_all=True)
    assert len(forced.to_send) == len(forced.items) == 6


async def test_restore_puts_the_backup_back_and_backs_up_what_it_replaces(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    journal = BackupJournal(DEMO_TENANT)
    original = await demo.client.policies.get_xml("B2C_1A_TrustFrameworkBase")
    plan = await plan_push(demo.client, STARTER / "SocialAndLocalAccounts", demo.context)
    pushed = await execute_push(demo.client, plan, journal)
    assert pushed.ok and "B2C_1A_TrustFrameworkBase" in pushed.done
    replaced = await demo.client.policies.get_xml("B2C_1A_TrustFrameworkBase")
    assert replaced != original
    assert pushed.backup is not None
    demo.recorder.requests.clear()
    result = await restore(demo.client, journal, journal.find("latest"),
                           ["B2C_1A_TrustFrameworkBase"])
    assert result.ok and result.done == ["B2C_1A_TrustFrameworkBase"]
    assert await demo.client.policies.get_xml("B2C_1A_TrustFrameworkBase") == original
    assert result.backup is not None and result.backup.operation == "restore"
    assert result.backup.read("B2C_1A_TrustFrameworkBase") == replaced
    everything = await restore(demo.client, journal, pushed.backup)
    assert everything.skipped == ["B2C_1A_TrustFrameworkBase"]  # identical already
    assert everything.done == [p for p in pushed.done if p != "B2C_1A_TrustFrameworkBase"]


async def test_a_failure_midway_stops_and_says_what_was_uploaded(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    plan = await plan_push(demo.client, STARTER / "LocalAccounts", demo.context, prefix="F_")
    message = ("Validation failed: 1 validation error(s) found in policy "
               '"B2C_1A_F_TRUSTFRAMEWORKEXTENSIONS" of tenant "contosob2c.onmicrosoft.com".'
               "Schema validation error found at line 23 col 10 in policy.")

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT" and "TrustFrameworkExtensions" in request.url.path:
            return httpx.Response(400, json={"error": {"code": "AADB2C", "message": message}})
        return None

    demo.recorder.rules.append(refuse)
    journal = BackupJournal(DEMO_TENANT)
    result = await execute_push(demo.client, plan, journal)
    assert not result.ok and result.failed == "B2C_1A_F_TrustFrameworkExtensions"
    assert result.done == ["B2C_1A_F_TrustFrameworkBase", "B2C_1A_F_TrustFrameworkLocalization"]
    assert result.not_done == ["B2C_1A_F_PasswordReset", "B2C_1A_F_ProfileEdit",
                               "B2C_1A_F_signup_signin"]
    assert result.error_line == 23 and result.error_column == 10
    item = next(i for i in plan.items if i.policy_id == result.failed)
    assert result.error_excerpt == item.text.splitlines()[22].strip()
    assert result.source is not None and result.source.endswith("TrustFrameworkExtensions.xml")
    summary = result.summary()
    assert "Stopped at B2C_1A_F_TrustFrameworkExtensions (line 23)" in summary
    assert "Already uploaded: B2C_1A_F_TrustFrameworkBase, B2C_1A_F_TrustFrameworkLocalization" \
        in summary
    assert "Not uploaded: B2C_1A_F_PasswordReset" in summary
    manifest = json.loads((result.backup.path / "manifest.json").read_text())  # type: ignore[union-attr]
    assert manifest["status"] == "failed"
    assert manifest["failed"] == "B2C_1A_F_TrustFrameworkExtensions"
    assert len(puts(demo)) == 3


async def test_read_only_sends_nothing_and_says_so(pack_copy: Callable[[str], Path]) -> None:
    demo = await open_demo_tenant(read_only=True)
    try:
        plan = await plan_push(demo.client, STARTER / "SocialAccounts", demo.context)
        assert plan.to_send
        count = len(plan.to_send)
        with pytest.raises(ReadOnlyError, match=f"read-only: the push would upload {count} "):
            await execute_push(demo.client, plan, BackupJournal(DEMO_TENANT))
        backup = BackupJournal(DEMO_TENANT)
        assert backup.list() == []
        with pytest.raises(ReadOnlyError, match="nothing was sent"):
            await delete_policies(demo.client, backup, ["B2C_1A_signup_signin"])
        assert demo.recorder.writes() == []
    finally:
        await demo.client.aclose()


async def test_a_plan_with_errors_sends_nothing(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("SocialAndLocalAccounts")
    rp = folder / "ProfileEdit.xml"
    rp.write_text(rp.read_text("utf-8-sig").replace(
        'ReferenceId="ProfileEdit"', 'ReferenceId="NoSuchJourney"'), "utf-8")
    plan = await plan_push(demo.client, folder, demo.context, prefix="X_")
    assert plan.blocked and [i.policy_id for i in plan.refused] == ["B2C_1A_X_ProfileEdit"]
    assert plan.to_send == []
    with pytest.raises(UploadRefusedError, match="B2C_1A_X_ProfileEdit; nothing was sent"):
        await execute_push(demo.client, plan, BackupJournal(DEMO_TENANT))
    assert demo.recorder.writes() == []


async def test_a_tenant_that_moved_since_the_plan_is_not_overwritten(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    rp = folder / "ProfileEdit.xml"
    rp.write_text(rp.read_text("utf-8-sig").replace("</RelyingParty>",
                                                      "<!-- mine --></RelyingParty>"), "utf-8")
    plan = await plan_push(demo.client, folder, demo.context)
    theirs = (await demo.client.policies.get_xml("B2C_1A_ProfileEdit")).replace(
        "</RelyingParty>", "<!-- theirs --></RelyingParty>")
    await demo.client.policies.upload("B2C_1A_ProfileEdit", theirs)
    demo.recorder.requests.clear()
    journal = BackupJournal(DEMO_TENANT)
    with pytest.raises(TenantChangedError, match="B2C_1A_ProfileEdit changed in the tenant"):
        await execute_push(demo.client, plan, journal)
    assert demo.recorder.writes() == [] and journal.list() == []


async def test_pull_refuses_to_overwrite_a_different_local_file(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("SocialAndLocalAccounts")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(PullConflictError, match="nothing was written"):
        await pull(demo.client, folder, ["B2C_1A_TrustFrameworkBase", "B2C_1A_ProfileEdit"])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    result = await pull(demo.client, folder, ["B2C_1A_TrustFrameworkBase"], overwrite=True)
    assert [(pid, path.name) for pid, path in result.written] == [
        ("B2C_1A_TrustFrameworkBase", "TrustFrameworkBase.xml")]  # the file claiming the id
    assert not list(folder.glob(".*part"))


async def test_pull_writes_utf8_even_for_a_utf16_upload(demo: Demo, tmp_path: Path) -> None:
    text = (await demo.client.policies.get_xml("B2C_1A_ProfileEdit")).replace(
        'encoding="UTF-8"', 'encoding="utf-16"')
    # sent raw: the Graph client itself always sends UTF-8
    async with httpx.AsyncClient(transport=demo.recorder,
                                 base_url="https://graph.microsoft.com") as raw:
        answer = await raw.put("/beta/trustFramework/policies/B2C_1A_ProfileEdit/$value",
                               content=codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
                               headers={"Content-Type": "application/xml"})
    assert answer.status_code == 200
    result = await pull(demo.client, tmp_path, ["B2C_1A_ProfileEdit"])
    written = result.written[0][1]
    assert written.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert load_local(written).errors == []


async def test_delete_lists_dependents_and_backs_up_first(demo: Demo) -> None:
    [plan] = await plan_delete(demo.client, ["B2C_1A_Social_TrustFrameworkExtensions"])
    assert set(plan.dependents) == {"B2C_1A_Social_signup_signin", "B2C_1A_Social_ProfileEdit"}
    journal = BackupJournal(DEMO_TENANT)
    before = await demo.client.policies.get_xml("B2C_1A_Social_ProfileEdit")
    result = await delete_policies(demo.client, journal, ["B2C_1A_Social_ProfileEdit"])
    assert result.ok and result.done == ["B2C_1A_Social_ProfileEdit"]
    assert result.backup is not None and result.backup.read("B2C_1A_Social_ProfileEdit") == before
    assert "B2C_1A_Social_ProfileEdit" not in {
        r["id"] for r in await demo.client.policies.list().collect()}
    back = await restore(demo.client, journal, result.backup)
    assert back.ok and await demo.client.policies.get_xml("B2C_1A_Social_ProfileEdit") == before


async def test_planning_several_deletions_reads_the_tenant_once(demo: Demo) -> None:
    [one] = await plan_delete(demo.client, ["B2C_1A_Social_TrustFrameworkExtensions"])
    reads_for_one = len(demo.recorder.requests)
    demo.recorder.requests.clear()
    plans = await plan_delete(demo.client, ["B2C_1A_Social_TrustFrameworkExtensions",
                                            "B2C_1A_Social_ProfileEdit"])
    assert plans[0] == one and plans[1].dependents == ()
    assert len(demo.recorder.requests) == reads_for_one


async def test_the_backup_is_written_off_the_event_loop(
        demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    loop_thread = threading.get_ident()
    threads: list[int] = []
    save = BackupJournal.save

    def recording_save(self: BackupJournal, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return save(self, *args, **kwargs)

    monkeypatch.setattr(BackupJournal, "save", recording_save)
    result = await delete_policies(demo.client, BackupJournal(DEMO_TENANT),
                                   ["B2C_1A_Social_ProfileEdit"])
    assert result.ok and threads and loop_thread not in threads


async def test_pull_compares_with_the_local_files_off_the_event_loop(
        demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from b2c_tui.policies import pull as pull_module

    await pull(demo.client, tmp_path, ["B2C_1A_ProfileEdit"])
    loop_thread = threading.get_ident()
    threads: list[int] = []
    read_text = pull_module._read_text

    def recording_read(path: Path) -> str | None:
        threads.append(threading.get_ident())
        return read_text(path)

    monkeypatch.setattr(pull_module, "_read_text", recording_read)
    again = await pull(demo.client, tmp_path, ["B2C_1A_ProfileEdit"])
    assert [pid for pid, _ in again.unchanged] == ["B2C_1A_ProfileEdit"]
    assert threads and loop_thread not in threads


async def test_a_tampered_backup_is_not_restored(demo: Demo) -> None:
    journal = BackupJournal(DEMO_TENANT)
    result = await delete_policies(demo.client, journal, ["B2C_1A_ProfileEdit"])
    assert result.backup is not None
    (result.backup.path / "B2C_1A_ProfileEdit.xml").write_text("<changed/>")
    from b2c_tui.policies.backups import BackupError

    with pytest.raises(BackupError, match="checksum mismatch"):
        await restore(demo.client, journal, journal.find(result.backup.name))


async def test_a_utf16_file_is_sent_as_utf8(demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    rp = folder / "ProfileEdit.xml"
    text = rp.read_text("utf-8-sig").replace('encoding="UTF-8"', 'encoding="utf-16"')
    rp.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    plan = await plan_push(demo.client, folder, demo.context, force_all=True)
    item = next(i for i in plan.items if i.policy_id == "B2C_1A_ProfileEdit")
    assert item.action is Action.UNCHANGED  # the same policy, whatever its encoding on disk
    bodies: list[bytes] = []

    def keep(request: httpx.Request) -> None:
        if request.method == "PUT" and request.url.path.endswith("B2C_1A_ProfileEdit/$value"):
            bodies.append(request.content)

    demo.recorder.rules.append(lambda r: keep(r))  # type: ignore[func-returns-value]
    result = await execute_push(demo.client, plan, BackupJournal(DEMO_TENANT))
    assert result.ok and len(bodies) == 1
    assert bodies[0].startswith(b'<?xml version="1.0" encoding="UTF-8"')


def test_tenant_and_backup_documents_have_no_file_name_to_check() -> None:
    from b2c_tui.policies.lint import lint_policies

    text = (STARTER / "LocalAccounts" / "ProfileEdit.xml").read_text("utf-8-sig")
    for source in ("tenant:B2C_1A_ProfileEdit", "20260101T000000Z-push/B2C_1A_ProfileEdit"):
        findings = lint_policies([parse_policy(text, source)])
        assert "policy-id-file-name" not in {f.rule for f in findings}


async def test_a_plan_item_compares_its_documents_once(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy(PACKS[0])
    await execute_push(demo.client, await plan_push(demo.client, folder, demo.context,
                                                    prefix="Test_"),
                       BackupJournal(DEMO_TENANT))
    changed_file = next(folder.glob("*Extensions*.xml"))
    changed_file.write_text(changed_file.read_text("utf-8").replace(
        "</BuildingBlocks>", "<!-- local note --></BuildingBlocks>", 1), "utf-8")
    plan = await plan_push(demo.client, folder, demo.context, prefix="Test_")
    [item] = [i for i in plan.items if i.action is Action.CHANGED]
    assert item.diff is item.diff
