"""End to end: the README's command in a real terminal (tmux), on the demo tenant."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tmux import B2C_TUI, Terminal, quit_cleanly, run_b2c_tui, terminal_env

pytestmark = pytest.mark.e2e


@pytest.fixture
def terminal(tmp_path):
    term = run_b2c_tui(tmp_path)
    yield term
    term.close()


def _table_ready(screen: str) -> bool:
    return "Display name" in screen and ("(all)" in screen or "more available" in screen) \
        and "loading" not in screen and "sorting" not in screen


def _typed_in_prompt(word: str) -> Callable[[str], bool]:
    """The prompt (the last lines) shows ``word`` after its ``/``."""
    return lambda s: any(word in line and "/" in line for line in s.rstrip().splitlines()[-4:])


def _found(word: str) -> Callable[[str], bool]:
    """The find for ``word`` has finished and a row shows it."""
    return lambda s: "find:" in s and _table_ready(s) and word in s.split("Display name", 1)[-1]


def _dashboard_then_users(term: Terminal, what: str = "the users table") -> str:
    """The explorer opens on the tenant dashboard; ``u`` is the users pane."""
    term.wait_for(lambda s: "Quota" in s and "Health" in s, what="the tenant dashboard")
    term.keys("u")
    return term.wait_for(_table_ready, what=what)


def test_readme_command_opens_demo_tenant_browses_and_quits(terminal: Terminal) -> None:
    screen = terminal.wait_for(lambda s: "Quota" in s and "directory objects" in s
                               and "DEMO" in s, what="the tenant dashboard with its quota")
    assert "contosob2c.onmicrosoft.com" in screen
    terminal.keys("u")  # the users pane, one key away
    screen = terminal.wait_for(
        lambda s: "Display name" in s and "DEMO" in s and ("(all)" in s or "more available" in s),
        what="the users table")
    first_rows = terminal.screen(styles=True)
    terminal.keys("Down", "Down", "Down")
    terminal.wait_for(lambda s: s != first_rows, what="the cursor to move", styles=True)
    terminal.keys("Enter")  # open the user under the cursor
    terminal.wait_for(lambda s: "Identities" in s or "identities" in s, timeout=20,
                      what="the user detail view")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Identities" not in s and "Display name" in s,
                      what="the users table again")
    terminal.keys("s")  # sort by the cursor's column: the rows land and "sorting…" clears
    screen = terminal.wait_for(lambda s: "▲" in s and _table_ready(s), timeout=20,
                               what="the sorted table")
    quit_cleanly(terminal)


def test_read_only_hides_writes_and_says_why(tmp_path: Path) -> None:
    term = run_b2c_tui(tmp_path, "--read-only")
    try:
        screen = _dashboard_then_users(term)
        assert "READ-ONLY" in screen
        footer = screen.rstrip().splitlines()[-1]
        assert "Find user" in footer and "Help" in footer
        assert "New user" not in footer and "Delete" not in footer and "Edit" not in footer
        term.keys("n")
        term.wait_for(lambda s: "Read-only" in s, timeout=10, what="the read-only refusal")
        quit_cleanly(term)
    finally:
        term.close()


@pytest.fixture
def served(tmp_path: Path):
    """``b2c-tui emulator`` on a free port, and a config with the profile it printed."""
    args = [str(B2C_TUI), "emulator", "--port", "0", "--users", "400", "--no-throttling"]
    help_text = subprocess.run([str(B2C_TUI), "emulator", "--help"], capture_output=True,
                               text=True, timeout=30, env=terminal_env(tmp_path)).stdout
    if "--no-auth" in help_text:  # served emulators require a token unless told otherwise
        args.append("--no-auth")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=terminal_env(tmp_path))
    lines: list[str] = []
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Press Ctrl-C" in line:
            break
    output = "".join(lines)
    assert "[profiles." in output, output
    profile = output[output.index("[profiles."):].split("\n\n")[0]
    token = next((ln.split("=", 1)[1].strip() for ln in lines
                  if ln.startswith("export B2C_TUI_TOKEN=")), "")
    config = tmp_path / "config" / "b2c-tui"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(profile + "\n")
    name = profile.split("]", 1)[0].removeprefix("[profiles.")
    yield name, token
    process.terminate()
    process.wait(timeout=10)


def test_served_emulator_find_twice_in_a_row_and_sort(tmp_path: Path, served) -> None:
    name, token = served
    term = run_b2c_tui(tmp_path, "-p", name, B2C_TUI_TOKEN=token)
    try:
        screen = _dashboard_then_users(term, "the users table from the served emulator")
        assert "LIVE" in screen or "DEMO" not in screen
        for word in ("Lena", "Harry", "Lena"):  # finds in a row: none may stay "loading…"
            term.keys("/")
            term.wait_for(lambda s: "then Enter" in s or "/ ▊" in s, timeout=10,
                          what="the find prompt")
            term.keys("C-u")  # the prompt keeps the last find: clear it
            term.wait_for(lambda s: "then Enter" in s, timeout=10, what="an empty prompt")
            term.keys(*word)  # in the prompt (not the table) before Enter, even under load
            term.wait_for(_typed_in_prompt(word), timeout=10, what=f"{word} typed in the prompt")
            term.keys("Enter")
            term.wait_for(_found(word), timeout=15, what=f"the find for {word} to finish")
        # Esc alone (tmux reads Esc and a key sent at once as Alt+key), then sort
        term.keys("Escape")
        term.wait_for(lambda s: "find:" not in s and _table_ready(s), timeout=15,
                      what="the find to be cleared")
        term.keys("s")
        term.wait_for(lambda s: "▲" in s and _table_ready(s), timeout=20,
                      what="the sorted table")
        quit_cleanly(term)
    finally:
        term.close()
