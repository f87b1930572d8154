"""``b2c-tui audit pull`` and ``b2c-tui audit show``: headless, exit codes, safe output."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from b2c_tui.audit import AuditArchive, to_table
from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from b2c_tui.connection import DEMO_TENANT

DAY = date(2025, 2, 3)
NASTY = "Eve \x1b]0;pwned\x07 \x9b2J =cmd"


def entry(n: int, **extra: Any) -> dict[str, Any]:
    when = datetime(2025, 2, 3, 8, tzinfo=UTC) + timedelta(minutes=n)
    return {
        "id": f"B2C_{n:08d}", "category": "Authentication", "correlationId": f"c-{n}",
        "result": "failure" if n % 3 == 0 else "success", "resultReason": "",
        "activityDisplayName": "Validate user credentials",
        "activityDateTime": when.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
        "loggedByService": "B2C", "operationType": "Other",
        "initiatedBy": {"app": {"appId": "app-1", "displayName": "Contoso web"}, "user": None},
        "targetResources": [{"id": f"u-{n}", "displayName": NASTY if n == 4 else f"User {n}",
                             "type": "User", "modifiedProperties": []}],
        "additionalDetails": [{"key": "PolicyId", "value": "B2C_1A_signup_signin"}],
        **extra,
    }


@pytest.fixture
def archive() -> AuditArchive:
    """The demo tenant's archive (under this test's private data folder), one day of 12."""
    found = AuditArchive.for_tenant(DEMO_TENANT)
    found.files.write(DAY, to_table([entry(n) for n in range(12)]))
    return found


def test_pull_fills_the_archive_and_a_second_pull_adds_nothing(capsys) -> None:
    assert main(["audit", "pull", "--demo-users", "500"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "audit pull:" in err and "new" in err and "newest archived entry" in err
    archive = AuditArchive.for_tenant(DEMO_TENANT)
    total = archive.query().matched
    assert total > 30 and archive.days()
    assert main(["audit", "pull", "--demo-users", "500"]) == EXIT_OK
    assert ", 0 new," in capsys.readouterr().err
    assert archive.query().matched == total


def test_show_as_a_table_keeps_the_terminal_safe(archive, capsys) -> None:
    assert main(["audit", "show", "--result", "failure"]) == EXIT_OK
    assert "4 matching entries" in capsys.readouterr().out
    assert main(["audit", "show"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Time (UTC)")
    assert "12 matching entries" in out
    for raw in ("\x1b", "\x07", "\x9b"):
        assert raw not in out
    assert "␛]0;pwned" in out  # shown, made visible


def test_show_csv_is_guarded_and_escaped(archive, capsys) -> None:
    assert main(["audit", "show", "-o", "csv", "--text", "eve"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0][:3] == ["id", "activityDateTime", "category"]
    assert len(rows) == 2 and rows[1][0] == "B2C_00000004"
    assert rows[1][1] == "2025-02-03T08:04:00.000000Z"
    targets = rows[1][rows[0].index("targets")]
    assert "\\u001b]0;pwned\\u0007" in targets and "\\u009b2J" in targets


def test_show_json_gives_the_whole_entries(archive, capsys) -> None:
    assert main(["audit", "show", "-o", "json", "--policy", "b2c_1a_signup_signin",
                 "--oldest-first"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out) == [entry(n) for n in range(12)]


def test_a_damaged_file_is_named_and_the_exit_code_says_so(archive, capsys) -> None:
    archive.files.write(DAY + timedelta(days=1), to_table([entry(100)]))
    damaged = archive.files.path(DAY)
    damaged.write_bytes(b"PAR1 not really")
    assert main(["audit", "show"]) == EXIT_FINDINGS
    captured = capsys.readouterr()
    assert "1 matching entries" in captured.out
    assert f"{damaged}" in captured.err and "could not be read" in captured.err


def test_bad_times_are_one_line(capsys) -> None:
    assert main(["audit", "show", "--since", "yesterday-ish"]) == EXIT_USAGE
    assert capsys.readouterr().err.count("\n") == 1


def test_relative_and_date_ranges(archive, capsys) -> None:
    assert main(["audit", "show", "--since", "2025-02-03", "--until", "2025-02-03",
                 "-o", "csv"]) == EXIT_OK
    assert len(capsys.readouterr().out.strip().splitlines()) == 13
    assert main(["audit", "show", "--since", "1d", "-o", "csv"]) == EXIT_OK
    assert len(capsys.readouterr().out.strip().splitlines()) == 1  # nothing that recent


def test_show_reads_a_profiles_archive_without_its_secrets(tmp_path, monkeypatch,
                                                          capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text('default_profile = "prod"\n[profiles.prod]\n'
                      'tenant = "fabrikamb2c.onmicrosoft.com"\nauth = "client_secret"\n'
                      'client_id = "00000000-0000-0000-0000-000000000001"\n'
                      'client_secret_env = "FABRIKAM_SECRET_NOT_SET"\n', encoding="utf-8")
    monkeypatch.delenv("FABRIKAM_SECRET_NOT_SET", raising=False)
    AuditArchive.for_tenant("fabrikamb2c.onmicrosoft.com").files.write(
        DAY, to_table([entry(n) for n in range(3)]))
    assert main(["audit", "show", "--config", str(config), "-o", "csv"]) == EXIT_OK
    assert len(capsys.readouterr().out.strip().splitlines()) == 4
