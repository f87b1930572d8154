"""``UserCreateDialog``: a new consumer (local) account signing in with an email or user name.

The result is the ``POST /users`` body built by
:func:`~b2c_tui.graph.validation.build_local_account`; every rule it knows is checked before
the dialog lets go of it, so nothing is sent for input Graph would refuse anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text

from ...graph.validation import (
    build_local_account,
    validate_email,
    validate_password,
    validate_username,
)
from ..safe_text import safe
from .form import Checks, FormDialog, FormField

PASSWORD_RULES = ("8 to 64 characters, with three of: lower case, upper case, digit, symbol "
                  "(@ # $ % ^ & * - _ + = ! ? …).")
SIGN_IN_TYPES = (("Email address", "email"), ("User name", "username"))

CREATE_FIELDS = (
    FormField("sign_in_type", "Sign in with", "choice", "email", choices=SIGN_IN_TYPES),
    FormField("sign_in", "Sign-in name", placeholder="alice@example.com or alice_w"),
    FormField("display_name", "Display name", placeholder="Alice Wong"),
    FormField("given_name", "Given name"),
    FormField("surname", "Surname"),
    FormField("password", "Password", "password", help=PASSWORD_RULES),
)
#: Graph's limit on ``displayName``.
DISPLAY_NAME_MAX = 256


class UserCreateDialog(FormDialog[dict[str, Any]]):
    """Collects a new local account; the result is the request body (with the password)."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "email": "sign_in",
        "issuerAssignedId": "sign_in",
        "identities": "sign_in",
        "issuer": "sign_in",
        "displayName": "display_name",
        "givenName": "given_name",
        "passwordProfile": "password",
        "passwordProfile.password": "password",
        "passwordPolicies": "password",
    }
    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("password", "password"),
        ("identities", "sign_in"),
        ("signinnames", "sign_in"),
        ("issuerassignedid", "sign_in"),
        ("already exists", "sign_in"),
        ("displayname", "display_name"),
        ("givenname", "given_name"),
        ("surname", "surname"),
    )
    save_label: ClassVar[str] = "Create"

    def __init__(self, tenant_domain: str, *,
                 submit: Callable[[FormDialog[dict[str, Any]], dict[str, Any]], None]
                 | None = None) -> None:
        subtitle = Text("A local account of ")
        subtitle.append(safe(tenant_domain), style="bold")
        subtitle.append(": the sign-in name is its email address or user name.")
        super().__init__(Text("New consumer user"), CREATE_FIELDS, subtitle=subtitle,
                         submit=submit, id="user-create")
        self.tenant_domain = tenant_domain

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        checks = Checks()
        kind = values.get("sign_in_type") or "email"
        sign_in = str(values.get("sign_in") or "").strip()
        email = username = None
        if kind == "email":
            email = checks.run(validate_email, sign_in, field="sign_in")
        else:
            username = checks.run(validate_username, sign_in)
        display_name = str(values.get("display_name") or "").strip()
        if not display_name:
            checks.errors["display_name"] = "A display name is required."
        elif len(display_name) > DISPLAY_NAME_MAX:
            checks.errors["display_name"] = (
                f"A display name has at most {DISPLAY_NAME_MAX} characters; this one has "
                f"{len(display_name)}.")
        password = str(values.get("password") or "")
        checks.run(validate_password, password)
        checks.done()
        body: dict[str, Any] = build_local_account(
            self.tenant_domain, display_name=display_name, email=email, username=username,
            # No "force a password change": Graph refuses it for local accounts, and B2C user
            # flows ignore it (a custom policy forces a reset instead).
            password=password, force_change=False,
            given_name=str(values.get("given_name") or "").strip() or None,
            surname=str(values.get("surname") or "").strip() or None,
        )
        return body
