"""Writes from a DataFrame: the dry run, the write with a result per row, read-only refusal."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from b2c_tui.api import ApplyReport, Tenant
from b2c_tui.graph.errors import ReadOnlyError, ValidationError

from .support import Recorder, recorded_tenant

MISSING = "00000000-0000-0000-0000-0000000000aa"


def local_users(tenant: Tenant, n: int) -> pd.DataFrame:
    users = tenant.users(limit=400)
    local = users[users["creationType"] == "LocalAccount"].reset_index(drop=True)
    assert len(local) >= n
    return local.head(n).copy()


def edited_frame(tenant: Tenant) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eight local users with one edit (or broken edit) each, plus odd rows."""
    before = local_users(tenant, 8)
    df = before.copy()
    df.loc[0, "displayName"] = "Renamed by a frame"                 # ok
    df.loc[1, "loyaltyNumber"] = "LN-NEW-1"                         # ok (custom attribute)
    df.loc[2, "accountEnabled"] = False                             # ok
    df.loc[3, "signInName"] = df.loc[3, "signInName"] + "; second_name"  # ok: adds a user name
    df.loc[4, "displayName"] = ""                                   # invalid: required
    df.loc[5, "creationType"] = "Invitation"                        # invalid: read-only
    df.loc[6, "marketingConsent"] = pd.NA                           # missing: left alone
    df["note"] = "my own helper column"                             # ignored
    extra = pd.DataFrame({"id": [MISSING, df.loc[0, "id"], None],
                          "displayName": ["Nobody", "Twice", "No id"]})
    return before, pd.concat([df, extra], ignore_index=True)


def statuses(report: ApplyReport) -> list[str]:
    return report.rows["status"].tolist()


def test_an_unchanged_frame_changes_nothing() -> None:
    tenant, recorder, _ = recorded_tenant(300)
    with tenant:
        users = tenant.users(limit=25)
        report = tenant.users.apply(users, dry_run=False)
    assert set(statuses(report)) == {"unchanged"} and report.ok
    assert recorder.writes() == []


def test_dry_run_shows_each_change_and_each_broken_row_and_sends_nothing() -> None:
    tenant, recorder, _ = recorded_tenant(400)
    with tenant:
        before, df = edited_frame(tenant)
        report = tenant.users.apply(df)
    assert report.dry_run and not report.ok
    assert recorder.writes() == []
    expected = ["would update"] * 4 + ["invalid", "invalid", "unchanged", "unchanged",
                                       "not found", "invalid", "invalid"]
    assert statuses(report) == expected
    assert list(report.rows.index) == list(df.index)
    changes = report.changes
    first = changes[changes["id"] == df.loc[0, "id"]].iloc[0]
    assert (first["property"], first["old"], first["new"]) == (
        "displayName", before.loc[0, "displayName"], "Renamed by a frame")
    assert set(changes["property"]) >= {"displayName", "loyaltyNumber", "accountEnabled",
                                        "signInName"}
    errors = dict(zip(report.rows["status"].index, report.rows["error"], strict=True))
    assert "displayName" in errors[4]
    assert "creationType" in errors[5] and "cannot be changed" in errors[5]
    assert "earlier row" in errors[9] and "no object id" in errors[10]
    assert report.ignored == ("note",)
    assert "Dry run: 4 would update" in report.summary() and "note" in report.summary()
    assert "Renamed by a frame" in repr(report) and "<table" in report._repr_html_()


def test_write_sends_valid_rows_through_batch_and_reports_each_row() -> None:
    tenant, recorder, _ = recorded_tenant(400)
    with tenant:
        before, df = edited_frame(tenant)
        # One more row Graph itself refuses: a sign-in name another user already has.
        taken = before.loc[1, "signInName"].split(";")[0].strip()
        df.loc[7, "signInName"] = taken
        recorder.requests.clear()
        report = tenant.users.apply(df, dry_run=False)
        after = tenant.users(limit=400).set_index("id")
    rows = report.rows
    assert rows["status"].tolist()[:8] == ["updated"] * 4 + ["invalid", "invalid",
                                                            "unchanged", "failed"]
    assert rows["httpStatus"].tolist()[:4] == [204] * 4
    refused = rows.iloc[7]
    assert refused["httpStatus"] in (400, 409) and refused["error"]
    # what was sent: one $batch of PATCHes, only for the valid rows
    batches = [json.loads(r.content) for r in recorder.writes()]
    sent = [(i["method"], i["url"].rsplit("/", 1)[-1]) for b in batches for i in b["requests"]]
    expected_ids = {df.loc[n, "id"] for n in (0, 1, 2, 3, 7)}
    assert {m for m, _ in sent} == {"PATCH"} and {u for _, u in sent} == expected_ids
    # and the tenant has the changes
    assert after.loc[df.loc[0, "id"], "displayName"] == "Renamed by a frame"
    assert after.loc[df.loc[1, "id"], "loyaltyNumber"] == "LN-NEW-1"
    assert not after.loc[df.loc[2, "id"], "accountEnabled"]
    assert after.loc[df.loc[3, "id"], "signInName"].endswith("; second_name")
    assert after.loc[df.loc[4, "id"], "displayName"] == before.loc[4, "displayName"]
    assert after.loc[df.loc[7, "id"], "signInName"] == before.loc[7, "signInName"]
    assert "Applied: " in report.summary() and "updated" in report.summary()


def test_a_read_only_tenant_refuses_before_reading_or_sending() -> None:
    tenant, recorder, _ = recorded_tenant(100, read_only=True)
    with tenant:
        users = tenant.users(limit=5)
        users.loc[0, "displayName"] = "Nope"
        recorder.requests.clear()
        with pytest.raises(ReadOnlyError, match="dry_run=True"):
            tenant.users.apply(users, dry_run=False)
        assert recorder.requests == []
        report = tenant.users.apply(users)  # a dry run only reads
    assert statuses(report)[0] == "would update"
    assert recorder.writes() == []


async def test_a_column_set_on_some_rows_touches_only_those() -> None:
    tenant, recorder, _ = recorded_tenant(100)
    users = tenant.users(limit=5)
    users.loc[1, "givenName"] = "Zed"  # the other rows get NaN: no opinion, not "clear it"
    users.loc[2, "givenName"] = ""  # an empty string clears
    try:
        report = await tenant.users.apply_async(users[["id", "givenName"]])
    finally:
        await tenant.aclose()
    assert statuses(report) == ["unchanged", "would update", "would update", "unchanged",
                                "unchanged"]
    changes = report.changes
    assert changes["new"].tolist() == ["Zed", "(empty)"]
    assert isinstance(recorder, Recorder) and recorder.writes() == []


def test_a_frame_without_ids_is_refused() -> None:
    tenant, _, _ = recorded_tenant(20)
    with tenant, pytest.raises(ValidationError, match="'id' column"):
        tenant.users.apply(pd.DataFrame({"displayName": ["x"]}))


@pytest.mark.parametrize(("column", "value", "message"), [
    ("signInName", "not an email@", "cannot contain spaces"),
    ("signInName", "bad name!", "not a valid user name"),
    ("signInName", "", "at least one sign-in name"),
    ("marketingConsent", "maybe", "true or false"),
    ("givenName", "x" * 65, "at most 64"),
    ("userPrincipalName", "bad upn", "name@domain"),
    ("passwordPolicies", "NoSuchPolicy", "Unknown password policy"),
])
def test_the_explorer_rules_refuse_bad_cells(column: str, value: str, message: str) -> None:
    tenant, recorder, _ = recorded_tenant(300)
    with tenant:
        df = local_users(tenant, 1)[["id"]].copy()
        df[column] = value
        report = tenant.users.apply(df, dry_run=False)
    assert statuses(report) == ["invalid"]
    assert message in report.rows["error"].iloc[0]
    assert recorder.writes() == []


def test_a_printed_report_cannot_drive_the_terminal() -> None:
    from b2c_tui.api.report import ApplyReport, Change, RowResult

    row = RowResult(0, "id-1", "would update", name="\x1b[2Jevil\u202eman")
    row.changes.append(Change("displayName", "\x1b]0;title\x07", "fine"))
    text = repr(ApplyReport(True, [row]))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b[2Jevil\\u202eman" in text


def test_apply_writes_the_tenants_journal_before_sending_and_can_be_undone() -> None:
    """``apply`` sends through the explorer's commit: every change is in the tenant's
    journal (old and new values, Graph's answer), and ``undo`` puts the old value back."""
    from b2c_tui.changes import undo

    tenant, recorder, _ = recorded_tenant(400)
    with tenant:
        before = local_users(tenant, 3)
        df = before[["id", "displayName", "signInName"]].copy()
        df.loc[0, "displayName"] = "Journaled by a frame"
        df.loc[1, "signInName"] = before.loc[2, "signInName"]  # taken: Graph refuses
        journal = tenant.connection.journal()
        sent_before_journaled: list[bool] = []
        real_record = journal.record

        def record(*args: Any, **kwargs: Any) -> Any:
            sent_before_journaled.append(bool(recorder.writes()))
            return real_record(*args, **kwargs)

        tenant.connection.journal = lambda: journal  # type: ignore[method-assign]
        journal.record = record  # type: ignore[method-assign]
        recorder.requests.clear()
        report = tenant.users.apply(df, dry_run=False)
        assert report.rows["status"].tolist() == ["updated", "failed", "unchanged"]
        assert sent_before_journaled == [False]  # journaled before the $batch left
        entries = {e.object_id: e for e in journal.entries()}
        first, second = df.loc[0, "id"], df.loc[1, "id"]
        assert set(entries) == {first, second}
        assert entries[first].state == "done" and entries[first].kind == "user"
        assert entries[first].old == {"displayName": before.loc[0, "displayName"]}
        assert entries[first].new == {"displayName": "Journaled by a frame"}
        assert entries[first].display_name == before.loc[0, "displayName"]
        assert entries[second].state == "failed" and entries[second].message
        assert entries[first].commit == entries[second].commit
        tenant.call(lambda client: undo(client, journal, entries[first].id))
        assert tenant.users(limit=400).set_index("id").loc[first, "displayName"] == \
            before.loc[0, "displayName"]
