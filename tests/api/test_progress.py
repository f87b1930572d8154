"""Progress of long listings: a bar on an interactive stderr, none in CI or in a pipe."""

from __future__ import annotations

import io
import sys

import pytest

from b2c_tui.api.progress import Progress, in_ci, progress_wanted

from .support import recorded_tenant


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)


@pytest.mark.parametrize("value", ["true", "1", "yes", "True"])
def test_off_in_ci_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    assert not progress_wanted(None, Terminal())
    stream = Terminal()
    bar = Progress("Users", file=stream, delay=0)
    bar.add(999)
    bar.draw()
    assert bar.drawn == 0
    bar.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_ci_set_to_no_counts_as_not_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert not in_ci()
    assert progress_wanted(None, Terminal())


def test_on_for_a_terminal_off_for_a_pipe(no_ci: None) -> None:
    stream = Terminal()
    bar = Progress("Users", file=stream, delay=0)
    bar.add(999)
    bar.draw()
    bar.add(500)
    bar.draw()
    assert bar.drawn == 1499
    bar.close()
    assert "Users" in stream.getvalue()
    pipe = io.StringIO()  # not a terminal
    quiet = Progress("Users", file=pipe, delay=0)
    quiet.add(999)
    quiet.draw()
    assert quiet.drawn == 0
    quiet.close()
    assert pipe.getvalue() == ""


def test_an_explicit_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert progress_wanted(True, io.StringIO())
    monkeypatch.delenv("CI")
    assert not progress_wanted(False, Terminal())


@pytest.mark.parametrize("ci", [True, False])
def test_a_listing_in_ci_writes_nothing_to_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                      ci: bool) -> None:
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    # the bar shows after half a second: pages that take a while make the listing long
    tenant, _, _ = recorded_tenant(2100, latency=0.3)
    with tenant:
        users = tenant.users(extensions=False)
    assert len(users) > 2000
    assert (terminal.getvalue() == "") is ci


def test_a_long_listing_shows_progress_on_a_terminal(no_ci: None, monkeypatch:
                                                     pytest.MonkeyPatch) -> None:
    stream = Terminal()
    made: list[Progress] = []
    real = Progress.__init__

    def on_terminal(self: Progress, description: str, **kwargs: object) -> None:
        real(self, description, file=stream, delay=0)
        made.append(self)

    monkeypatch.setattr(Progress, "__init__", on_terminal)
    tenant, _, _ = recorded_tenant(2100, latency=0.15)
    with tenant:
        users = tenant.users(extensions=False)
    assert made and made[0].rows == len(users) and made[0].pages == 3
    assert made[0].drawn == len(users)
    assert "Users" in stream.getvalue()
