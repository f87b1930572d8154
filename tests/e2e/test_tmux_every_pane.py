"""End to end in a real terminal (tmux): every pane of the explorer in turn, through ``:``, on
the demo tenant; each shows its own content and none says "coming"."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2c_tui.tui.registry import PANES
from tests.helpers.tmux import quit_cleanly, run_b2c_tui

pytestmark = pytest.mark.e2e

#: What each pane shows of the demo tenant (a B2C tenant) once it has loaded. Every pane of
#: the registry must be here: a new pane is visited by this test from the day it is added.
SHOWS: dict[str, tuple[str, ...]] = {
    "tenant": ("Quota", "directory objects"),
    "users": ("Sign-in name",),
    "auth-methods": ("No user selected",),
    "identity-providers": ("GitHub für Zoë's Team",),
    "user-flows": ("B2C_1_SignUpSignIn",),
    "external-flows": ("(:flows)",),  # a B2C tenant: the pane says where its flows are
    "auth-policy": ("User name and password",),
    "policies": ("B2C_1A_TrustFrameworkBase", "policies in 3 set(s)"),
    "keysets": ("B2C_1A_TokenSigningKeyContainer",),
    "applications": ("Contoso Mobile",),
    "attributes": ("Email Address", "builtIn"),
    "conditional-access": ("require MFA",),
    "deleted": ("Days left", "user"),
    "audit": ("Authentication", "Source"),
}


def test_every_pane_by_name_and_none_is_coming(tmp_path: Path) -> None:
    assert [p.id for p in PANES] == list(SHOWS), "a pane without a line in SHOWS"
    term = run_b2c_tui(tmp_path, "--demo-users", "60", size=(160, 45))
    try:
        term.wait_for(lambda s: "Quota" in s and "DEMO" in s, what="the tenant dashboard")
        for info in PANES:
            term.type(":")
            term.wait_for(lambda s: "pane name" in s, timeout=10, what="the go-to prompt")
            term.type(info.id)
            term.keys("Enter")
            screen = term.wait_for(
                lambda s, marks=SHOWS[info.id]: all(m in s for m in marks)
                and "pane name" not in s and "loading" not in s.lower(),
                timeout=30, what=f"the {info.title} pane")
            assert "coming" not in screen.lower(), info.id
            assert "Traceback" not in screen, info.id
        quit_cleanly(term)
    finally:
        term.close()
