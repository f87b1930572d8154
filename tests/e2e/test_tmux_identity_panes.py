"""End to end in a real terminal (tmux): the identity panes of the demo tenant by name, a
list inside a user flow reordered with shift+down, the policy's form, and read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tmux import Terminal, quit_cleanly, run_b2c_tui

pytestmark = pytest.mark.e2e


def go_to(term: Terminal, name: str, shown: str) -> str:
    term.type(":")
    term.wait_for(lambda s: "pane name" in s, what="the go-to prompt")
    term.type(name)
    term.keys("Enter")
    return term.wait_for(lambda s: shown in s and "Loading" not in s, what=f":{name}")


def test_the_identity_panes_by_name(tmp_path: Path) -> None:
    term = run_b2c_tui(tmp_path, "--demo-users", "50")
    try:
        term.wait_for(lambda s: "Quota" in s and "Health" in s, what="the tenant dashboard")
        screen = go_to(term, "idps", "GitHub für Zoë's Team")
        assert "OpenID Connect" in screen and "coming" not in screen.lower()
        assert "******" not in screen
        screen = go_to(term, "flows", "B2C_1_SignUpSignIn")
        assert "a User attributes" in screen
        term.keys("a")
        screen = term.wait_for(lambda s: "User attributes of" in s and "Email Address" in s,
                               what="the attributes of the first flow")
        first = screen.index("Email Address"), screen.index("Display Name")
        assert first[0] < first[1]
        term.keys("S-Down")  # Email Address moves below Display Name, and Graph keeps it
        term.wait_for(lambda s: s.index("Display Name") < s.index("Email Address"),
                      what="the attribute to move down")
        term.keys("r")
        term.wait_for(lambda s: "7 user attributes" in s
                      and s.index("Display Name") < s.index("Email Address"),
                      what="the new order read back")
        term.keys("Escape")
        screen = go_to(term, "external-flows", "exist only in Entra External ID tenants")
        assert "Azure AD B2C tenant" in screen
        screen = go_to(term, "auth-policy", "Email and password")
        term.keys("E")
        term.wait_for(lambda s: "Which sign-in methods local accounts may use" in s,
                      what="the policy's form")
        term.keys("Escape")
        term.wait_for(lambda s: "Which sign-in methods" not in s, what="the form to close")
        quit_cleanly(term)
    finally:
        term.close()


def test_read_only_says_why_in_a_list_inside_a_flow(tmp_path: Path) -> None:
    term = run_b2c_tui(tmp_path, "--demo-users", "50", "--read-only")
    try:
        term.wait_for(lambda s: "READ-ONLY" in s, what="the explorer")
        screen = go_to(term, "flows", "B2C_1_SignUpSignIn")
        assert "New user flow" not in screen
        term.keys("a")
        term.wait_for(lambda s: "User attributes of" in s and "Email Address" in s,
                      what="the attributes")
        term.keys("S-Down")
        screen = term.wait_for(lambda s: "would change the tenant" in s,
                               what="the read-only refusal")
        assert screen.index("Email Address") < screen.index("Display Name")
        term.keys("Escape")  # (then wait: ESC followed at once by q reads as alt+q)
        term.wait_for(lambda s: "User attributes of" not in s, what="the list to close")
        quit_cleanly(term)
    finally:
        term.close()
