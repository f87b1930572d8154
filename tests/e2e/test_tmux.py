"""End to end: the README's command in a real terminal (tmux), on the demo tenant."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

B2C_TUI = Path(sys.executable).with_name("b2c-tui")


class Terminal:
    """A tmux server of our own, one window running a command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = f"b2c-e2e-{uuid.uuid4().hex[:8]}"
        cols, rows = size
        # The tmux server's own environment may carry COLUMNS=80 / LINES=24 (started from a
        # test runner), which Textual's size detection believes over the terminal's.
        env = {**env, "COLUMNS": str(cols), "LINES": str(rows)}
        env_args = [arg for k, v in env.items() for arg in ("-e", f"{k}={v}")]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(cols), "-y", str(rows),
                  *env_args, " ".join(command))

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=20)
        return out.stdout

    def screen(self, styles: bool = False) -> str:
        """The visible text; with ``styles``, colours too (a cursor move changes only those)."""
        return self.tmux("capture-pane", "-t", "e2e", "-p", *(["-e"] if styles else []))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, predicate, timeout: float = 30.0, what: str = "",
                 styles: bool = False) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(styles)
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no profile configured: demo tenant
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        # b2c_tui.paths' own variables win over XDG (and the test session sets them): point
        # them at this test's folders too, where the served profile's config is written.
        "B2C_TUI_CONFIG_DIR": str(tmp_path / "config" / "b2c-tui"),
        "B2C_TUI_CACHE_DIR": str(tmp_path / "cache" / "b2c-tui"),
        "B2C_TUI_STATE_DIR": str(tmp_path / "state" / "b2c-tui"),
        "B2C_TUI_DATA_DIR": str(tmp_path / "data" / "b2c-tui"),
        "B2C_TUI_LOG_DIR": str(tmp_path / "state" / "b2c-tui" / "log"),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", ""),
    }
    env.update(extra)
    return env


def _run(tmp_path: Path, *args: str, size: tuple[int, int] = (140, 40),
         **env: str) -> Terminal:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end test (apt-get install tmux)")
    assert B2C_TUI.exists(), f"{B2C_TUI} missing: install the project as the README says"
    command = " ".join([f"'{B2C_TUI}'", *args])
    # The shell reports the exit status once the explorer has quit.
    return Terminal([f"{command}; echo B2C_TUI_EXIT=$?; sleep 30"], _env(tmp_path, **env), size)


@pytest.fixture
def terminal(tmp_path):
    term = _run(tmp_path)
    yield term
    term.close()


def _table_ready(screen: str) -> bool:
    return "Display name" in screen and ("(all)" in screen or "more available" in screen) \
        and "loading" not in screen and "sorting" not in screen


def _dashboard_then_users(term: Terminal, what: str = "the users table") -> str:
    """The explorer opens on the tenant dashboard; ``u`` is the users pane."""
    term.wait_for(lambda s: "Quota" in s and "Health" in s, what="the tenant dashboard")
    term.keys("u")
    return term.wait_for(_table_ready, what=what)


def _quit(term: Terminal) -> None:
    term.keys("q")
    screen = term.wait_for(lambda s: "B2C_TUI_EXIT=" in s, timeout=15, what="b2c-tui to quit")
    assert "B2C_TUI_EXIT=0" in screen, "b2c-tui did not quit cleanly"


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
    _quit(terminal)


def test_read_only_hides_writes_and_says_why(tmp_path: Path) -> None:
    term = _run(tmp_path, "--read-only")
    try:
        screen = _dashboard_then_users(term)
        assert "READ-ONLY" in screen
        footer = screen.rstrip().splitlines()[-1]
        assert "Find user" in footer and "Help" in footer
        assert "New user" not in footer and "Delete" not in footer and "Edit" not in footer
        term.keys("n")
        term.wait_for(lambda s: "Read-only" in s, timeout=10, what="the read-only refusal")
        _quit(term)
    finally:
        term.close()


@pytest.fixture
def served(tmp_path: Path):
    """``b2c-tui emulator`` on a free port, and a config with the profile it printed."""
    args = [str(B2C_TUI), "emulator", "--port", "0", "--users", "400", "--no-throttling"]
    help_text = subprocess.run([str(B2C_TUI), "emulator", "--help"], capture_output=True,
                               text=True, timeout=30, env=_env(tmp_path)).stdout
    if "--no-auth" in help_text:  # served emulators require a token unless told otherwise
        args.append("--no-auth")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=_env(tmp_path))
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
    term = _run(tmp_path, "-p", name, B2C_TUI_TOKEN=token)
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
            term.wait_for(lambda s, w=word: any(w in line and "/" in line
                                                for line in s.rstrip().splitlines()[-4:]),
                          timeout=10, what=f"{word} typed in the prompt")
            term.keys("Enter")
            term.wait_for(lambda s, w=word: "find:" in s and _table_ready(s)
                          and w in s.split("Display name", 1)[-1], timeout=15,
                          what=f"the find for {word} to finish")
        # Esc alone (tmux reads Esc and a key sent at once as Alt+key), then sort
        term.keys("Escape")
        term.wait_for(lambda s: "find:" not in s and _table_ready(s), timeout=15,
                      what="the find to be cleared")
        term.keys("s")
        term.wait_for(lambda s: "▲" in s and _table_ready(s), timeout=20,
                      what="the sorted table")
        _quit(term)
    finally:
        term.close()
