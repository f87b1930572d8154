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
        env_args = [arg for k, v in env.items() for arg in ("-e", f"{k}={v}")]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(cols), "-y", str(rows),
                  *env_args, " ".join(command))
        self.tmux("set-option", "-t", "e2e", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=20)
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "e2e", "-p")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, predicate, timeout: float = 30.0, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")

    def dead_status(self) -> str:
        return self.tmux("display-message", "-t", "e2e", "-p",
                         "#{pane_dead} #{pane_dead_status}").strip()

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end test (apt-get install tmux)")
    assert B2C_TUI.exists(), f"{B2C_TUI} missing: install the project as the README says"
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no profile configured: demo tenant
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PATH": os.environ.get("PATH", ""),
    }
    term = Terminal([str(B2C_TUI)], env, (140, 40))
    yield term
    term.close()


def test_readme_command_opens_demo_tenant_browses_and_quits(terminal: Terminal) -> None:
    screen = terminal.wait_for(
        lambda s: "Display name" in s and "DEMO" in s and ("(all)" in s or "more available" in s),
        what="the users table")
    assert "contosob2c.onmicrosoft.com" in screen
    first_rows = screen
    terminal.keys("Down", "Down", "Down")
    terminal.wait_for(lambda s: s != first_rows, what="the cursor to move")
    terminal.keys("Enter")  # open the user under the cursor
    terminal.wait_for(lambda s: "Identities" in s or "identities" in s, timeout=20,
                      what="the user detail view")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Display name" in s, what="the users table again")
    terminal.keys("q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not terminal.dead_status().startswith("1"):
        time.sleep(0.1)
    assert terminal.dead_status() == "1 0", "b2c-tui did not quit cleanly"
