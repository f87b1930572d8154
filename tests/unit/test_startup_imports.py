"""What start-up imports: modules the first frame does not need stay out (counted, not timed).

Each import costs start-up time on every launch (``benchmarks/bench_launch.py``); these tests
run a fresh interpreter and look at ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def loaded_after(code: str, names: list[str]) -> list[str]:
    """Which of ``names`` are really loaded (not a placeholder) after running ``code``."""
    probe = (f"{code}\nimport sys, json\nprint(json.dumps([n for n in {names!r} if n in "
             "sys.modules and not getattr(sys.modules[n], '__b2c_placeholder__', False)]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_graph_client_leaves_httpx_command_line_client_out() -> None:
    assert loaded_after("import b2c_tui.graph.client, httpx",
                        ["httpx._main", "click", "rich.progress", "rich.syntax"]) == []


def test_httpx_main_still_runs_the_real_command_line_client() -> None:
    code = ("import b2c_tui.graph, httpx\n"
            "try:\n    httpx.main(['--help'])\nexcept SystemExit as exc:\n"
            "    assert exc.code == 0, exc.code\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Usage" in out.stdout and "httpx" in out.stdout


def test_the_explorer_loads_no_highlighter_export_engine_or_http_cli_before_it_starts() -> None:
    # The JSON highlighter (pygments) comes with the first detail view, the export engine
    # with the first export; httpx's CLI never.
    assert loaded_after("import b2c_tui.cli, b2c_tui.tui.app, b2c_tui.connection",
                        ["pygments", "textual.highlight", "b2c_tui.frames.export", "click",
                         "httpx._main"]) == []


def test_the_explorer_imports_no_pane_until_it_shows_one() -> None:
    # The registry gives loaders: start-up imports the first pane only, when it is composed
    # (on main's fourteen panes the eager imports had grown to ~200 modules, cryptography and
    # pygments among them).
    code = ("import sys, b2c_tui.cli, b2c_tui.tui.app\n"
            "from b2c_tui.tui.registry import find_pane\n"
            "names = [m for m in sys.modules if m.startswith('b2c_tui.tui.panes.')]\n"
            "assert names == [], names\n"
            "first = find_pane('users').pane\n"
            "print(sorted({m.split('.')[3] for m in sys.modules\n"
            "              if m.startswith('b2c_tui.tui.panes.')}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['users']"


def test_the_explorer_draws_up_to_120_frames_a_second_unless_told_otherwise() -> None:
    code = ("import b2c_tui.tui.app, textual.constants, textual.screen\n"
            "print(textual.constants.MAX_FPS, round(1 / textual.screen.UPDATE_PERIOD))\n")
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True, env=env)
    assert out.stdout.split() == ["120", "120"]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True, env={**env, "TEXTUAL_FPS": "30"})
    assert out.stdout.split() == ["30", "30"]
