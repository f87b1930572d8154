"""A served emulator and a config profile pointing at it, for the command-line tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.emulator.server import profile_toml, run_in_thread


@dataclass
class Served:
    emulator: Emulator
    base_url: str
    config: Path
    token: str

    def args(self, *rest: str) -> list[str]:
        """Command-line arguments naming this profile (common options after the command)."""
        return [*rest, "-p", "served", "--config", str(self.config)]


@pytest.fixture(scope="module")
def served_emulator() -> Iterator[tuple[Emulator, str]]:
    emu = create_emulator(users=250, throttling=False, require_auth=True)
    base_url, stop = run_in_thread(emu)
    yield emu, base_url
    stop()


@pytest.fixture
def served(served_emulator: tuple[Emulator, str], tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Served:
    emu, base_url = served_emulator
    config = tmp_path / "config.toml"
    config.write_text(profile_toml(emu, base_url, name="served"), encoding="utf-8")
    token = emu.mint_token()
    monkeypatch.setenv("B2C_TUI_TOKEN", token)
    return Served(emu, base_url, config, token)
