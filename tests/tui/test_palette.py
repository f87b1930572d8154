"""The profile palette reads the config file once, and again only when it changes."""

from __future__ import annotations

from b2c_tui import connection as config_module
from b2c_tui import paths
from b2c_tui.tui import commands


def test_profiles_are_read_once_and_again_when_the_file_changes(monkeypatch) -> None:
    reads: list[int] = []
    real = config_module.load_config

    def counting(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(config_module, "load_config", counting)
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    for _ in range(5):  # five keystrokes' worth of asking
        commands._profile_entries()
    assert len(reads) == 1
    path.write_text("# changed\n\n")
    commands._profile_entries()
    assert len(reads) == 2
