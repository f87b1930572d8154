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
    # The shell reports the exit status once the explorer has quit.
    term = Terminal([f"'{B2C_TUI}'; echo B2C_TUI_EXIT=$?; sleep 30"], env, (140, 40))
    yield term
    term.close()


def test_readme_command_opens_demo_tenant_browses_and_quits(terminal: Terminal) -> None:
    screen = terminal.wait_for(
        lambda s: "Display name" in s and "DEMO" in s and ("(all)" in s or "more available" in s),
        what="the users table")
    assert "contosob2c.onmicrosoft.com" in screen
    first_rows = terminal.screen(styles=True)
    terminal.keys("Down", "Down", "Down")
    terminal.wait_for(lambda s: s != first_rows, what="the cursor to move", styles=True)
    terminal.keys("Enter")  # open the user under the cursor
    terminal.wait_for(lambda s: "Identities" in s or "identities" in s, timeout=20,
                      what="the user detail view")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Identities" not in s and "Display name" in s,
                      what="the users table again")
    terminal.keys("q")
    screen = terminal.wait_for(lambda s: "B2C_TUI_EXIT=" in s, timeout=15, what="b2c-tui to quit")
    assert "B2C_TUI_EXIT=0" in screen, "b2c-tui did not quit cleanly"
