"""A real terminal for end-to-end tests: ``b2c-tui`` in a tmux server of the test's own, with
private config, data, state and cache folders (no profile: the demo tenant)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

B2C_TUI = Path(sys.executable).with_name("b2c-tui")


class Terminal:
    """A tmux server of our own, one window running a command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = f"b2c-e2e-{uuid.uuid4().hex[:8]}"
        cols, rows = size
        # The test session may export COLUMNS/LINES (80x24), which the terminal libraries
        # prefer to the window's size: say the window's size there too.
        env = {**env, "COLUMNS": str(cols), "LINES": str(rows)}
        env_args = [arg for k, v in env.items() for arg in ("-e", f"{k}={v}")]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(cols), "-y", str(rows),
                  *env_args, " ".join(command))

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=20)
        return out.stdout

    def screen(self, styles: bool = False) -> str:
        """The visible text; with ``styles``, colours too."""
        return self.tmux("capture-pane", "-t", "e2e", "-p", *(["-e"] if styles else []))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        """Type ``text`` literally (tmux would read a word like ``Enter`` as a key)."""
        self.tmux("send-keys", "-t", "e2e", "-l", text)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 30.0,
                 what: str = "", styles: bool = False) -> str:
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


def terminal_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Private folders for everything b2c-tui reads or writes; no profile (demo tenant)."""
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
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


def run_b2c_tui(tmp_path: Path, *args: str, size: tuple[int, int] = (140, 40),
                **env: str) -> Terminal:
    """``b2c-tui ARGS`` in a new terminal; the shell says ``B2C_TUI_EXIT=<code>`` at the end."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end tests (apt-get install tmux)")
    assert B2C_TUI.exists(), f"{B2C_TUI} missing: install the project as the README says"
    command = " ".join([f"'{B2C_TUI}'", *args])
    return Terminal([f"{command}; echo B2C_TUI_EXIT=$?; sleep 30"],
                    terminal_env(tmp_path, **env), size)


def quit_cleanly(term: Terminal) -> None:
    """``q``, then the exit status must be 0."""
    term.keys("q")
    screen = term.wait_for(lambda s: "B2C_TUI_EXIT=" in s, timeout=15, what="b2c-tui to quit")
    assert "B2C_TUI_EXIT=0" in screen, "b2c-tui did not quit cleanly"
