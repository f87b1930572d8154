"""``b2c-tui graph``: raw requests, paging with --all, read-only refusal before sending."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_GRAPH, EXIT_OK, EXIT_READ_ONLY, EXIT_USAGE
from b2c_tui.cli.graph_request import split_path

from .conftest import Served

DEMO = ("--demo", "--demo-users", "60")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_get_prints_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "graph", "GET", "/organization", *DEMO)
    assert (code, err) == (EXIT_OK, "")
    assert json.loads(out)["value"][0]["tenantType"]
    code, out, _ = run(capsys, "graph", "get", "beta/trustFramework/keySets", *DEMO)
    assert code == EXIT_OK and json.loads(out)["value"][0]["id"].startswith("B2C_1A_")


def test_all_follows_every_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "graph", "GET", "/users?$top=7&$select=id", "--all", *DEMO)
    everyone = json.loads(out)["value"]
    assert code == EXIT_OK and len(everyone) > 7 and len({u["id"] for u in everyone}) == \
        len(everyone)
    code, lines, _ = run(capsys, "graph", "GET", "/users?$top=7&$select=id", "--all",
                         "-o", "jsonl", *DEMO)
    assert [json.loads(x)["id"] for x in lines.splitlines()] == [u["id"] for u in everyone]


def test_writes_go_through_and_read_back(capsys: pytest.CaptureFixture[str], served: Served,
                                         tmp_path: Path) -> None:
    code, out, _ = run(capsys, *served.args("graph", "GET", "/users?$top=1&$select=id"))
    user = json.loads(out)["value"][0]["id"]
    body = tmp_path / "patch.json"
    body.write_text(json.dumps({"jobTitle": "Set by b2c-tui graph"}), encoding="utf-8")
    code, out, err = run(capsys, *served.args("graph", "PATCH", f"/users/{user}",
                                              "--body", str(body)))
    assert (code, out, err) == (EXIT_OK, "", "")
    code, out, _ = run(capsys, *served.args("graph", "GET",
                                            f"{served.base_url}/v1.0/users/{user}"
                                            "?$select=jobTitle"))
    assert code == EXIT_OK and json.loads(out)["jobTitle"] == "Set by b2c-tui graph"


def test_read_only_refuses_a_write_before_sending(capsys: pytest.CaptureFixture[str],
                                                  served: Served, tmp_path: Path) -> None:
    store = served.emulator.store.users
    before = store.live_count()
    body = tmp_path / "user.json"
    body.write_text(json.dumps({"displayName": "Should never exist"}), encoding="utf-8")
    for argv in (("graph", "--read-only", "POST", "/users", "--body", str(body)),
                 ("--read-only", "graph", "DELETE", "/users/anyone")):
        code, out, err = run(capsys, *served.args(*argv))
        assert (code, out) == (EXIT_READ_ONLY, "")
        assert "read-only" in err and "nothing was sent" in err and err.count("\n") == 1
    assert store.live_count() == before
    code, _, _ = run(capsys, *served.args("graph", "--read-only", "GET", "/organization"))
    assert code == EXIT_OK


@pytest.mark.parametrize(("argv", "message"), [
    (["graph", "FETCH", "/users"], "unknown method"),
    (["graph", "POST", "/users", "--all"], "--all follows the pages of a GET"),
    (["graph", "GET", "/users", "-o", "jsonl"], "-o jsonl needs --all"),
    (["graph", "GET", "https://evil.example/v1.0/users"], "the token is only sent there"),
    (["graph", "GET", "/users", "--body", "-"], "has no body"),
    (["graph", "GET", "/v1.0/"], "names nothing"),
])
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str],
                      message: str) -> None:
    code, out, err = run(capsys, *argv, *DEMO)
    assert (code, out) == (EXIT_USAGE, "") and message in err and err.count("\n") == 1


def test_a_body_that_is_not_json_is_refused_before_sending(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    body = tmp_path / "bad.json"
    body.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "graph", "PATCH", "/users/x", "--body", str(body), *DEMO)
    assert code == EXIT_USAGE and "not valid JSON" in err and "nothing was sent" in err


def test_graph_errors_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "graph", "GET", "/users/no-such-user", *DEMO)
    assert (code, out) == (EXIT_GRAPH, "")
    assert err.startswith("b2c-tui: 404 ") and err.count("\n") == 1


def test_paths_and_versions() -> None:
    base = "https://graph.microsoft.com"
    assert split_path("/users?$top=5", base, False) == ("v1.0", "/users", {"$top": "5"})
    assert split_path("beta/identity/b2cUserFlows", base, False) == (
        "beta", "/identity/b2cUserFlows", {})
    assert split_path("/identity/b2cUserFlows", base, True)[0] == "beta"
    assert split_path(f"{base}/v1.0/users/x", base, False) == ("v1.0", "/users/x", {})
