"""``b2c-tui find``: the explorer's find-user from a script, with grep-like exit codes."""

from __future__ import annotations

import json

import pytest

from b2c_tui.api import Tenant
from b2c_tui.cli import main
from b2c_tui.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from b2c_tui.connection import open_demo

from .conftest import Served

DEMO = ("--demo", "--demo-users", "120")


@pytest.fixture(scope="module")
def someone() -> dict[str, str]:
    """A local account of the 120-user demo tenant (the same seed the CLI opens)."""
    with Tenant(open_demo(users=120)) as tenant:
        users = tenant.users(select=["displayName", "signInName", "creationType",
                                     "userPrincipalName"])
    local = users[users["creationType"] == "LocalAccount"].iloc[0]
    return {k: str(local[k]) for k in ("id", "displayName", "signInName", "userPrincipalName")}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("how", ["signInName", "id", "userPrincipalName", "displayName"])
def test_finds_by_each_kind_of_identifier(capsys: pytest.CaptureFixture[str],
                                          someone: dict[str, str], how: str) -> None:
    text = someone[how].split(";")[0]
    if how == "displayName":
        text = "name:" + text
    code, out, err = run(capsys, "find", text, *DEMO, "-o", "json")
    assert (code, err) == (EXIT_OK, "")
    assert someone["id"] in [r["id"] for r in json.loads(out)]


def test_no_match_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "find", "nobody.at.all@example.com", *DEMO)
    assert (code, out) == (EXIT_FINDINGS, "")
    assert err == "b2c-tui: no user matches 'nobody.at.all@example.com'\n"


def test_a_search_b2c_cannot_answer_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "find", "*son", *DEMO)
    assert code == EXIT_USAGE and out == "" and "cannot search inside names" in err


def test_a_phone_number_in_several_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "find", "+44", "7700", "900123", *DEMO)
    assert code == EXIT_FINDINGS  # nobody signs in with it
    assert err == "b2c-tui: no user matches '+44 7700 900123'\n"


def test_find_on_a_served_emulator(capsys: pytest.CaptureFixture[str], served: Served) -> None:
    with Tenant.connect("served", config_path=str(served.config)) as tenant:
        first = tenant.users(limit=1)["id"].iloc[0]
    code, out, _ = run(capsys, *served.args("find", first, "-o", "jsonl"))
    assert code == EXIT_OK and json.loads(out.splitlines()[0])["id"] == first
