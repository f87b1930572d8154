"""``b2c-tui policies`` and ``b2c-tui keys``: every command, text and --json, exit codes, a
read-only refusal, against the in-process demo tenant and the served emulator."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_FINDINGS, EXIT_GRAPH, EXIT_OK, EXIT_READ_ONLY, EXIT_USAGE
from b2c_tui.emulator import create_emulator
from b2c_tui.emulator.server import profile_toml, run_in_thread
from tests.helpers.policies import STARTER

DEMO = ["--demo", "--demo-users", "20"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*DEMO, *argv] if "--config" not in argv else list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code, out, _err = run(capsys, *argv, "--json")
    return code, json.loads(out)


def test_list_shows_the_sets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policies", "list")
    assert code == EXIT_OK
    assert "B2C_1A_Social_\n  B2C_1A_Social_TrustFrameworkBase  [base" in out
    assert "17 policies in 3 set(s)." in out
    code, data = run_json(capsys, "policies", "list")
    assert code == EXIT_OK and isinstance(data, dict)
    assert [s["name"] for s in data["sets"]] == ["B2C_1A_", "B2C_1A_Social_",
                                                "B2C_1A_SocialAndLocal_"]
    assert len(data["policies"]) == 17 and data["problems"] == []


def test_lint_clean_broken_and_offline(capsys: pytest.CaptureFixture[str],
                                       pack_copy: Callable[[str], Path]) -> None:
    code, out, _ = run(capsys, "policies", "lint", str(STARTER / "LocalAccounts"))
    assert (code, out.strip()) == (EXIT_OK, "6 file(s): 0 error(s), 0 warning(s).")
    folder = pack_copy("LocalAccounts")
    base = folder / "TrustFrameworkBase.xml"
    base.write_text(base.read_text("utf-8-sig").replace(
        'StorageReferenceId="B2C_1A_TokenSigningKeyContainer"',
        'StorageReferenceId="B2C_1A_Missing"'), "utf-8")
    code, out, _ = run(capsys, "policies", "lint", str(folder))
    assert code == EXIT_FINDINGS
    assert f"{base}:" in out and ": error [unknown-keyset] keyset B2C_1A_Missing" in out
    code, data = run_json(capsys, "policies", "lint", str(folder))
    assert code == EXIT_FINDINGS and isinstance(data, dict)
    assert {f["rule"] for f in data["findings"]} == {"unknown-keyset"}
    code, out, _ = run(capsys, "policies", "lint", "--offline", str(STARTER / "LocalAccounts"))
    assert code == EXIT_FINDINGS and "[unreplaced-placeholder]" in out


def test_lint_of_a_missing_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    code, out, err = run(capsys, "policies", "lint", str(tmp_path / "nope"))
    assert code == EXIT_USAGE and out == ""
    assert err == f"b2c-tui: {tmp_path / 'nope'}: no such file or folder.\n"


def test_push_dry_run_then_push_then_backups(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(STARTER / "SocialAndLocalAccounts")
    code, data = run_json(capsys, "policies", "push", folder, "--dry-run")
    assert code == EXIT_OK and isinstance(data, dict)
    actions = {i["id"]: i["action"] for i in data["items"]}
    assert actions["B2C_1A_TrustFrameworkBase"] == "changed"
    assert actions["B2C_1A_ProfileEdit"] == "unchanged"
    changed = next(i for i in data["items"] if i["id"] == "B2C_1A_TrustFrameworkBase")
    assert changed["diff"].startswith("--- tenant/B2C_1A_TrustFrameworkBase")
    code, out, _ = run(capsys, "policies", "push", folder, "--dry-run")
    assert code == EXIT_OK and "would upload: 4." in out and "+++ local/" in out
    code, out, err = run(capsys, "policies", "push", folder)
    assert code == EXIT_OK
    assert "4 policies uploaded: B2C_1A_TrustFrameworkBase, B2C_1A_TrustFrameworkLocalization" \
        in out
    assert "uploaded B2C_1A_signup_signin (4/4)" in err
    assert "restore with: b2c-tui policies restore " in out
    code, data = run_json(capsys, "policies", "backups")
    assert code == EXIT_OK and isinstance(data, dict)
    (backup,) = data["backups"]
    assert backup["operation"] == "push" and backup["status"] == "complete"
    assert len(backup["saved"]) == 4


def test_push_with_a_prefix_creates_a_parallel_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "policies", "push", str(STARTER / "LocalAccounts"),
                          "--prefix", "Dev_")
    assert code == EXIT_OK and isinstance(data, dict)
    assert data["done"][0] == "B2C_1A_Dev_TrustFrameworkBase" and len(data["done"]) == 6


def test_a_refused_push_exits_3_and_sends_nothing(capsys: pytest.CaptureFixture[str],
                                                  pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("SocialAccounts")
    (folder / "Copy.xml").write_bytes((folder / "ProfileEdit.xml").read_bytes())
    code, out, err = run(capsys, "policies", "push", str(folder))
    assert code == EXIT_GRAPH
    assert "[duplicate-policy-id]" in out and "would upload: nothing (refused)." in out
    assert err.startswith("b2c-tui: the upload is refused: lint found errors in "
                          "B2C_1A_ProfileEdit, B2C_1A_ProfileEdit; nothing was sent.")


def test_read_only_push_exits_4(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--read-only", "policies", "push",
                          str(STARTER / "SocialAccounts"))
    assert code == EXIT_READ_ONLY
    assert err.startswith("b2c-tui: read-only: the push would upload ")
    assert err.rstrip().endswith("nothing was sent.")
    code, _out, err = run(capsys, "policies", "delete", "B2C_1A_ProfileEdit", "--yes",
                          "--read-only")
    assert code == EXIT_READ_ONLY and "nothing was sent" in err


def test_diff_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policies", "diff", str(STARTER / "LocalAccounts"))
    assert code == EXIT_OK and "6 compared, 0 differ." in out
    code, out, _ = run(capsys, "policies", "diff", str(STARTER / "SocialAccounts"), "--stat")
    assert code == EXIT_FINDINGS and "changed   B2C_1A_TrustFrameworkBase  (+" in out
    assert "@@" not in out
    code, data = run_json(capsys, "policies", "diff", str(STARTER / "SocialAccounts"))
    assert isinstance(data, list) and data[0]["status"] == "changed" and data[0]["diff"]
    code, _out, err = run(capsys, "policies", "diff")
    assert code == EXIT_USAGE and "diff needs a folder" in err


def test_pull_into_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "policies", "pull", str(tmp_path), "B2C_1A_signup_signin",
                       "B2C_1A_ProfileEdit")
    assert code == EXIT_OK and "2 written, 0 already up to date." in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["B2C_1A_ProfileEdit.xml",
                                                          "B2C_1A_signup_signin.xml"]
    code, data = run_json(capsys, "policies", "pull", str(tmp_path), "B2C_1A_ProfileEdit")
    assert code == EXIT_OK and data == {"folder": str(tmp_path), "written": [], "unchanged": [
        {"id": "B2C_1A_ProfileEdit", "file": str(tmp_path / "B2C_1A_ProfileEdit.xml")}]}
    code, _out, err = run(capsys, "policies", "pull", str(tmp_path), "B2C_1A_Nope")
    assert code == EXIT_USAGE and "the tenant has no policy B2C_1A_Nope" in err


def test_delete_needs_yes_and_names_dependents(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "policies", "delete", "B2C_1A_TrustFrameworkExtensions")
    assert code == EXIT_USAGE
    assert "B2C_1A_TrustFrameworkExtensions is the base of B2C_1A_PasswordReset" in err
    assert "not deleting B2C_1A_TrustFrameworkExtensions without --yes" in err
    code, out, _ = run(capsys, "policies", "delete", "B2C_1A_PasswordReset", "--yes")
    assert code == EXIT_OK and "1 policy deleted: B2C_1A_PasswordReset." in out
    assert "Backup: " in out


def test_keys_list_health_and_rotation(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "keys", "list")
    assert code == EXIT_OK and isinstance(data, list)
    assert all(set(row).isdisjoint({"k", "d", "p", "q", "dp", "dq", "qi"}) for row in data)
    assert {row["keyset"] for row in data} >= {"B2C_1A_TokenSigningKeyContainer"}
    code, out, _ = run(capsys, "keys", "list")
    assert code == EXIT_OK and out.startswith("KEYSET") and "active" in out
    code, out, _ = run(capsys, "keys", "health")
    assert code == EXIT_FINDINGS
    assert "error   [keyset-no-active-key] B2C_1A_RestApiClientCertificate" in out
    code, data = run_json(capsys, "keys", "health", "--days", "400")
    assert code == EXIT_FINDINGS and isinstance(data, dict)
    assert any(p["keyset"] == "B2C_1A_TokenSigningKeyContainer" and p["rule"] == "key-expiring"
               for p in data["problems"])
    code, out, _ = run(capsys, "keys", "rotation", "B2C_1A_TokenSigningKeyContainer")
    assert code == EXIT_OK and "step: generate a RSA sig key" in out
    assert "Nothing was sent; add --apply" in out
    code, _out, err = run(capsys, "--read-only", "keys", "rotation",
                          "B2C_1A_TokenSigningKeyContainer", "--apply")
    assert code == EXIT_READ_ONLY and "read-only: generate a RSA sig key" in err


def test_every_action_has_an_example_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    actions = {"policies": ["list", "lint", "push", "diff", "pull", "restore", "backups",
                            "delete"], "keys": ["list", "health", "rotation"]}
    for command, names in actions.items():
        for name in names:
            with pytest.raises(SystemExit):
                main([command, name, "--help"])
            out = capsys.readouterr().out
            assert f"example:\n  b2c-tui {command} {name}" in out, (command, name)
            assert "exit codes:" in out


# -- the served emulator: one tenant across several runs --------------------------------------
@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    emu = create_emulator(users=20, throttling=False)
    base_url, stop = run_in_thread(emu)
    config = tmp_path / "config.toml"
    config.write_text(profile_toml(emu, base_url, name="emu"))
    monkeypatch.setenv("B2C_TUI_TOKEN", emu.mint_token())
    try:
        yield ["--config", str(config), "-p", "emu"]
    finally:
        stop()


def test_push_restore_and_diff_against_the_served_emulator(
        capsys: pytest.CaptureFixture[str], served: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "work"
    shutil.copytree(STARTER / "SocialAndLocalAccounts", folder)
    code, _out, _err = run(capsys, *served, "policies", "push", str(folder))
    assert code == EXIT_OK
    code, _out, _err = run(capsys, *served, "policies", "diff", str(folder))
    assert code == EXIT_OK  # the tenant now holds the folder
    code, data = run_json(capsys, *served, "policies", "backups")
    assert isinstance(data, dict)
    name = data["backups"][0]["name"]
    code, out, _ = run(capsys, *served, "policies", "restore", name, "B2C_1A_signup_signin")
    assert code == EXIT_OK and "1 policy restored: B2C_1A_signup_signin." in out
    code, out, _ = run(capsys, *served, "policies", "diff", str(folder), "--stat")
    assert code == EXIT_FINDINGS and "changed   B2C_1A_signup_signin" in out
    code, out, _ = run(capsys, *served, "policies", "diff", "--backup", name, "--stat")
    assert code == EXIT_FINDINGS  # the tenant differs from the backup in the three not restored
    assert "unchanged B2C_1A_signup_signin" in out


def test_only_unknown_ids_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "policies", "push", str(STARTER / "LocalAccounts"),
                          "--dry-run", "--only", "B2C_1A_Nope")
    assert code == EXIT_USAGE and "not in the folder: B2C_1A_Nope" in err


def test_tenant_text_cannot_drive_the_terminal() -> None:
    from b2c_tui.cli.policy_support import clean

    assert clean("B2C_1A_X\x1b[2J\x07 é\tok\n") == "B2C_1A_X\\u001b[2J\\u0007 é\tok\n"
    assert clean("\x9b31m") == "\\u009b31m"
    assert clean("Eve\u202egnp.exe\u200b") == "Eve\\u202egnp.exe\\u200b"


def test_json_output_escapes_what_would_act_on_a_terminal() -> None:
    import io
    import json

    from b2c_tui.cli.common import write_json

    out = io.StringIO()
    value = {"id": "B2C_1A_\u202eevil", "message": "Eve\x9b2J\u200b", "é": "ok"}
    write_json(value, out)
    text = out.getvalue()
    assert not {"\u202e", "\x9b", "\u200b"} & set(text) and "é" in text
    assert json.loads(text) == value
