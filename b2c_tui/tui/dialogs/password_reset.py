"""``PasswordResetDialog``: a new password for a user (typed, or generated and shown once).

The result is the PATCH body ``{"passwordProfile": {...}}``. A generated password is shown in
the dialog only, while it is open: it is never logged, notified or kept anywhere else.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Input, Static

from ...graph.validation import validate_password
from ..safe_text import safe
from .form import FormDialog, FormField
from .user_create import PASSWORD_RULES

#: Symbols used in generated passwords: accepted by B2C and easy to read out.
GENERATED_SYMBOLS = "!#%+-=?@_"


def generate_password(length: int = 16) -> str:
    """A random password meeting B2C's strong-password rule (all four character classes)."""
    pools = (string.ascii_lowercase, string.ascii_uppercase, string.digits, GENERATED_SYMBOLS)
    alphabet = "".join(pools)
    while True:
        chars = [secrets.choice(pool) for pool in pools]
        chars += [secrets.choice(alphabet) for _ in range(max(8, length) - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            return validate_password(password)
        except ValueError:  # pragma: no cover - every class is present by construction
            continue


class PasswordResetDialog(FormDialog[dict[str, Any]]):
    """Asks for a new password; ``strong`` applies B2C's strong-password rule (off only for
    users whose passwordPolicies hold ``DisableStrongPassword``)."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "passwordProfile": "password",
        "passwordProfile.password": "password",
        "passwordProfile.forceChangePasswordNextSignIn": "force_change",
    }
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("forcechangepassword", "force_change"),
        ("password", "password"),
    )
    save_label: ClassVar[str] = "Reset password"

    def __init__(self, user_name: str, user_id: str, *, strong: bool = True,
                 submit: Callable[[FormDialog[dict[str, Any]], dict[str, Any]], None]
                 | None = None) -> None:
        title = Text("Reset the password of ")
        title.append(safe(user_name), style="bold")
        fields = (
            FormField("password", "New password", "password",
                      help=PASSWORD_RULES if strong else "Any password (strong rule disabled)."),
            FormField("force_change", "Next sign-in", "bool", False,
                      placeholder="Force a password change",
                      help="B2C user flows ignore this; custom policies can act on it."),
        )
        super().__init__(title, fields, subtitle=Text(f"Object id {safe(user_id)}"),
                         submit=submit, id="password-reset")
        self.strong = strong

    def compose_extra(self) -> ComposeResult:
        yield Button("Generate a strong password", id="password-generate")
        yield Static("", id="password-generated")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        # Textual also calls FormDialog's handler (Save/Cancel) unless the default is prevented.
        if event.button.id == "password-generate":
            event.stop()
            event.prevent_default()
            self.action_generate()

    def action_generate(self) -> None:
        """Fill in a generated password and show it, once, in the dialog."""
        password = generate_password()
        self.query_one("#field-password", Input).value = password
        shown = Text("New password: ")
        shown.append(password, style="bold")
        shown.append("  shown only now: copy it before saving.", style="italic")
        self.query_one("#password-generated", Static).update(shown)

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        password = validate_password(str(values.get("password") or ""), strong=self.strong)
        return {"passwordProfile": {"password": password,
                                    "forceChangePasswordNextSignIn":
                                        bool(values.get("force_change"))}}
