"""The authentication methods policy (``:auth-policy``): how local accounts may sign in.

One object, not a list (:class:`~b2c_tui.tui.kit.ObjectPane`): B2C's
``b2cAuthenticationMethodsPolicy`` (beta) has three switches that the user flows' local-account
sign-in follows: email and password (with a one-time code to verify the email), user name and
password, and phone number with a one-time code. ``E`` opens them as checkboxes; Save sends a
PATCH with all three (the documented request requires every one, changed or not). The policy
exists in Azure AD B2C tenants only; elsewhere the pane says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text

from ...frames.auth_methods_policy import AUTH_METHODS_POLICY_COLUMNS
from ...graph.resources.b2c_auth_methods_policy import SWITCHES
from .. import kit
from ..kit.tenant import B2C, only_in

#: Each switch: its label, what it allows when on, what turning it off means.
MEANINGS = {
    "isEmailPasswordAuthenticationEnabled": (
        "Email and password",
        "Local accounts sign up and in with an email address (verified with a one-time code) "
        "and a password.",
        "User flows stop offering email sign-up and sign-in for local accounts."),
    "isUserNameAuthenticationEnabled": (
        "User name and password",
        "Local accounts sign in with a user name and a password.",
        "User flows stop offering user-name sign-in."),
    "isPhoneOneTimePasswordAuthenticationEnabled": (
        "Phone and one-time code",
        "Local accounts sign up and in with a phone number and a code sent by SMS or call.",
        "User flows stop offering phone sign-in."),
}


def _switches(record: Mapping[str, Any]) -> Text:
    """Each switch on a line of its own, what it allows under it (fits 80 columns)."""
    text = Text()
    for name in SWITCHES:
        label, when_on, _ = MEANINGS[name]
        if record.get(name):
            text.append("✓ on   ", style="bold")
        else:
            text.append("✗ off  ", style="dim")
        text.append(f"{label}\n", style="bold")
        text.append(f"       {when_on}\n\n", style="italic")
    text.rstrip()
    return text


def _complete(record: Mapping[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    # The documented PATCH requires all three switches, changed or not.
    return {**{name: bool(record.get(name)) for name in SWITCHES}, **patch}


FIELDS = tuple(
    kit.FieldSpec(name, label, "bool", placeholder="allowed", help=f"{on} Off: {off}")
    for name, (label, on, off) in MEANINGS.items())

POLICY = kit.ObjectSpec(
    noun="authentication methods policy",
    get=lambda client: client.b2c_auth_methods_policy.get(),
    columns=AUTH_METHODS_POLICY_COLUMNS,
    name_of=lambda record: "B2C authentication methods policy",
    sections=(
        kit.Section("Local accounts may sign in with", _switches),
        kit.Section("What it is", lambda record: Text(
            "The sign-in methods B2C user flows offer local accounts. Social and OpenID "
            "Connect providers are configured per user flow (:flows, :idps). E changes the "
            "switches; Graph saves all three at once.")),
    ),
    edit=kit.Edit(kit.FormSpec("Authentication methods policy", FIELDS, save_label="Save",
                               subtitle="Which sign-in methods local accounts may use.",
                               hints=tuple((name.lower(), name) for name in SWITCHES)),
                  send=lambda client, key, patch: client.b2c_auth_methods_policy.update(patch),
                  complete=_complete),
    applies=only_in(B2C, reason="The B2C authentication methods policy exists only in Azure "
                                "AD B2C tenants, and this is {tenant}."),
)


class AuthPolicyPane(kit.ObjectPane):
    """The B2C authentication methods policy: three switches, saved with one PATCH."""

    spec: ClassVar[kit.ObjectSpec] = POLICY
    binding_prefix: ClassVar[str] = "auth-policy"
