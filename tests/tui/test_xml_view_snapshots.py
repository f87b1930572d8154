"""SVG snapshots of the XML viewer: a starter-pack policy at 80x24 and 160x45, search
matches, the list of uses, hostile text, and the light and high-contrast themes."""

from __future__ import annotations

from typing import Any

import pytest

from .test_xml_view import BASE, HOSTILE, Host, goto, line_of, prompt, settle


def at_line(app: Host, needle: str, *keys: str) -> Any:
    """A ``run_before`` putting the cursor on ``needle`` (then pressing ``keys``)."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        line, column = line_of(app.policies[BASE], needle)
        await goto(pilot, app, line, column)
        if keys:
            await pilot.press(*keys)
            await settle(pilot, app)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_viewer_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host()
    assert snap_compare(app, terminal_size=size,
                        run_before=at_line(app, "<!-- The claim socialIdpUserId"))


def test_viewer_search_snapshot(snap_compare: Any) -> None:
    app = Host()

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)
        await prompt(pilot, app, "slash", "localaccount")
        await pilot.press("n")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_viewer_uses_snapshot(snap_compare: Any) -> None:
    """The list of uses, inline under the line; the third use picked."""
    app = Host()
    assert snap_compare(app, terminal_size=(100, 30), run_before=at_line(
        app, 'ClaimTypeReferenceId="objectId"', *["right"] * 25, "u", "down", "down"))


def test_viewer_uses_80x24_snapshot(snap_compare: Any) -> None:
    """At 80x24: the labels are cut to the width."""
    app = Host()
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_line(
        app, '<OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="oid" />',
        *["right"] * 25, "u"))


@pytest.mark.parametrize("theme", ["b2c-light", "b2c-high-contrast"])
def test_viewer_theme_snapshot(snap_compare: Any, theme: str) -> None:
    app = Host(theme=theme)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_line(
        app, '<TechnicalProfile Id="SelfAsserted-LocalAccountSignin-Email">'))


def test_viewer_hostile_text_snapshot(snap_compare: Any) -> None:
    policy_id = "B2C_1A_[b]x[/b]\u202e"
    app = Host(policy_id, text=HOSTILE, policies={policy_id: HOSTILE})

    async def run_before(pilot: Any) -> None:
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
