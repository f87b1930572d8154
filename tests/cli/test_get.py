"""``b2c-tui get``: every resource, every output format, and the exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_GRAPH, EXIT_OK, EXIT_USAGE
from b2c_tui.cli.frame_output import json_safe, table_text
from b2c_tui.cli.get import RESOURCES, find_resource

from .conftest import Served

DEMO = ("--demo", "--demo-users", "80")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("resource", [r.name for r in RESOURCES])
def test_every_resource_as_json(capsys: pytest.CaptureFixture[str], resource: str) -> None:
    extra = ["--user", "6d724881-cb5b-459d-bbf7-ed48b014c336"] if resource == "auth-methods" \
        else []
    code, out, err = run(capsys, "get", resource, *DEMO, *extra, "-o", "json")
    assert (code, err) == (EXIT_OK, "")
    rows = json.loads(out)
    assert isinstance(rows, list) and rows and all("id" in r for r in rows)


def test_aliases_and_options_in_any_position(capsys: pytest.CaptureFixture[str]) -> None:
    a = run(capsys, "--demo", "--demo-users", "80", "get", "u", "--limit", "3", "-o", "json")
    b = run(capsys, "get", "--limit", "3", "users", "-o", "json", *DEMO)
    assert a[0] == b[0] == EXIT_OK
    assert [r["id"] for r in json.loads(a[1])] == [r["id"] for r in json.loads(b[1])]
    assert find_resource("IDP") is find_resource("identity-providers")
    assert find_resource("keys") is not find_resource("keysets")


def test_table_csv_jsonl_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, table, _ = run(capsys, "get", "users", *DEMO, "--limit", "4",
                         "--select", "displayName,accountEnabled,createdDateTime")
    lines = table.splitlines()
    assert code == EXIT_OK and lines[0].split() == ["id", "displayName", "accountEnabled",
                                                    "createdDateTime"]
    assert len(lines) == 5 and "<NA>" not in table
    code, text, _ = run(capsys, "get", "users", *DEMO, "--limit", "4", "-o", "csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert code == EXIT_OK and parsed[0][:3] == ["id", "displayName", "signInName"]
    assert len(parsed) == 5 and text.startswith('"id","displayName"')
    code, text, _ = run(capsys, "get", "users", *DEMO, "--limit", "4", "-o", "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert code == EXIT_OK and len(records) == 4
    assert records[0]["createdDateTime"].endswith("Z")
    assert isinstance(records[0]["accountEnabled"], bool)


def test_out_files_follow_their_extension_and_are_not_overwritten(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    parquet = tmp_path / "users.parquet"
    code, out, _ = run(capsys, "get", "users", *DEMO, "--limit", "9", "--out", str(parquet))
    assert (code, out) == (EXIT_OK, "")
    frame = pd.read_parquet(parquet)
    assert len(frame) == 9 and frame["accountEnabled"].dtype == bool
    target = tmp_path / "keys.csv"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "get", "keys", *DEMO, "--out", str(target))
    assert code == EXIT_USAGE and "already exists" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "keep"
    code, _, _ = run(capsys, "get", "keys", *DEMO, "--out", str(target), "--force")
    assert code == EXIT_OK and target.read_text(encoding="utf-8").startswith('"id","keyset"')
    listing = tmp_path / "apps.json"
    assert run(capsys, "get", "apps", *DEMO, "--out", str(listing))[0] == EXIT_OK
    assert json.loads(listing.read_text(encoding="utf-8"))[0]["appId"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["apps.json", "keys.csv",
                                                          "users.parquet"]


@pytest.mark.parametrize(("argv", "message"), [
    (["get", "nope"], "unknown resource 'nope'"),
    (["get", "users", "--filter", "displayName ne 'x'"], "'ne'"),
    (["get", "keysets", "--filter", "id eq 'x'"], "cannot filter keysets"),
    (["get", "users", "--xml"], "--xml does not apply to users"),
    (["get", "quota", "--limit", "3"], "--limit does not apply"),
    (["get", "users", "--limit", "0"], "at least 1"),
    (["get", "users", "-o", "parquet"], "--out FILE.parquet"),
    (["get", "auth-methods"], "needs --user"),
    (["get", "users", "--select", "displayName,clientSecret"], "secret"),
])
def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                              argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv, *DEMO)
    assert code == EXIT_USAGE and out == ""
    assert message in err and err.startswith("b2c-tui: ") and err.count("\n") == 1


def test_graph_failures_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get", "keys", "--keyset", "B2C_1A_NoSuchKeyset", *DEMO)
    assert code == EXIT_GRAPH and out == "" and "404" in err and err.count("\n") == 1


def test_against_a_served_emulator(capsys: pytest.CaptureFixture[str], served: Served) -> None:
    code, out, err = run(capsys, *served.args("get", "users", "--limit", "5", "-o", "json"))
    assert (code, err) == (EXIT_OK, "")
    assert len(json.loads(out)) == 5
    code, out, _ = run(capsys, *served.args("get", "policies", "-o", "jsonl"))
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert code == EXIT_OK and ids and all(i.startswith("B2C_1A_") for i in ids)


def test_the_installed_command_in_a_pipeline(served: Served) -> None:
    env = {**os.environ, "B2C_TUI_TOKEN": served.token}
    command = [sys.executable, "-m", "b2c_tui.cli", *served.args("get", "users", "-o", "csv",
                                                                    "--limit", "20")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list(csv.reader(io.StringIO(done.stdout)))) == 21
    bad = subprocess.run([*command[:3], *served.args("get", "users", "--filter",
                                                     "not startswith(displayName,'A')")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == EXIT_USAGE and bad.stdout == ""
    assert bad.stderr.startswith("b2c-tui: ") and bad.stderr.count("\n") == 1


def test_tenant_text_cannot_drive_the_terminal() -> None:
    frame = pd.DataFrame({
        "id": pd.array(["1"], dtype="string[pyarrow]"),
        "displayName": pd.array(["\x1b[2J\x1b[31mred\u202eevil\u200b"], dtype="string[pyarrow]"),
    })
    text = table_text(frame)
    assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text
    assert "\\u001b[2J" in text and "\\u202e" in text
    document = json_safe(json.dumps({"n": "a\u202eb\u2028c"}, ensure_ascii=False))
    assert "\u202e" not in document and json.loads(document) == {"n": "a\u202eb\u2028c"}
