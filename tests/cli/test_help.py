"""Every new command's --help has examples and the exit codes; building the parser stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from b2c_tui.cli import main


@pytest.mark.parametrize("command", ["get", "find", "graph"])
def test_help_has_examples_and_exit_codes(capsys: pytest.CaptureFixture[str],
                                          command: str) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "examples:" in out and f"b2c-tui {command}" in out.split("examples:")[1]
    assert "exit codes:" in out and "-p PROFILE" in out and "--read-only" in out


def test_the_parser_imports_no_pandas_or_http() -> None:
    code = ("import sys; from b2c_tui.cli import build_parser; build_parser(); "
            "import b2c_tui.api.text; "
            "print(sorted(m for m in ('pandas', 'numpy', 'httpx', 'pyarrow', 'textual') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_an_error_is_one_line_with_hidden_characters_shown(
        capsys: pytest.CaptureFixture[str]) -> None:
    from b2c_tui.cli.common import EXIT_GRAPH, fail

    assert fail("Export failed: no user Eve\u202egnp.exe\x1b[31m\nsecond line",
                EXIT_GRAPH) == EXIT_GRAPH
    err = capsys.readouterr().err
    assert err == "b2c-tui: Export failed: no user Eve\\u202egnp.exe\\u001b[31m second line\n"
