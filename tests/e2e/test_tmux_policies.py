"""End to end, in a real terminal (tmux), the way the README says: ``b2c-tui``, ``:policies``,
open the base policy, search, jump to a definition, quit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.tmux import quit_cleanly, run_b2c_tui

pytestmark = pytest.mark.e2e

BASE = "B2C_1A_TrustFrameworkBase"
PROFILE = "SelfAsserted-LocalAccountSignin-Email"


def _line(screen: str) -> int | None:
    """The viewer's cursor line from its header (``Ln 697, Col 31``)."""
    found = re.search(r"Ln ([\d,]+), Col \d+", screen)
    return int(found.group(1).replace(",", "")) if found else None


def test_policies_open_the_base_search_and_jump_to_a_definition(tmp_path: Path) -> None:
    term = run_b2c_tui(tmp_path)
    try:
        term.wait_for(lambda s: "Quota" in s and "DEMO" in s, what="the explorer")
        term.keys(":")
        term.wait_for(lambda s: "pane name" in s, timeout=10, what="the go-to prompt")
        term.type("policies")
        term.keys("Enter")
        screen = term.wait_for(lambda s: "policies in 3 set(s)" in s, timeout=30,
                               what="the policy tree")
        assert "└─ B2C_1A_TrustFrameworkLocalization" in screen
        term.keys("Enter")  # the first row is the base policy
        term.wait_for(lambda s: f"{BASE}  base" in s and "980 lines" in s, timeout=20,
                      what="the base policy in the viewer")
        term.keys("/")
        term.wait_for(lambda s: "case-insensitive" in s, timeout=10, what="the search prompt")
        term.type(PROFILE)
        term.keys("Enter")
        # The first match after the top is the technical profile's definition ...
        screen = term.wait_for(lambda s: "1/3" in s and _line(s) is not None, timeout=15,
                               what="the first match")
        definition = _line(screen)
        term.keys("n")  # ... the next one a reference to it, in a claims exchange
        screen = term.wait_for(lambda s: "2/3" in s, timeout=10, what="the next match")
        reference = _line(screen)
        assert reference is not None and definition is not None and reference > definition
        term.keys("Enter")  # go to definition
        term.wait_for(lambda s: _line(s) == definition, timeout=10,
                      what=f"the jump back to line {definition}")
        term.keys("Escape")
        term.wait_for(lambda s: "policies in 3 set(s)" in s, timeout=10, what="the tree")
        quit_cleanly(term)
    finally:
        term.close()
