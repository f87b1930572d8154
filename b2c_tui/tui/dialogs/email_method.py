"""The email method dialog: set or change the one email address a user may have as an
authentication method (self-service password reset).

Plain values in, an :class:`EmailMethodInput` out; it never calls Graph. The address is checked
with :func:`~b2c_tui.graph.validation.validate_email` before it is handed over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text

from ...graph.validation import validate_email
from ..safe_text import safe_text
from .form import FormDialog, FormField

ADDRESS = "emailAddress"


@dataclass(frozen=True)
class EmailMethodInput:
    """What the dialog hands back: the address, and the method's id when editing."""

    email: str
    method_id: str | None = None


class EmailMethodDialog(FormDialog[EmailMethodInput]):
    """Add the user's email method, or (with ``method_id``) change its address."""

    GRAPH_HINTS: ClassVar[tuple[tuple[str, str], ...]] = (("email", ADDRESS),)

    def __init__(self, user: str, email: str = "", *, method_id: str | None = None,
                 submit: Callable[[FormDialog[EmailMethodInput], EmailMethodInput], None]
                 | None = None) -> None:
        fields = [FormField(ADDRESS, "Email address", value=email,
                            placeholder="name@example.com",
                            help="A user has at most one email method.")]
        subtitle = Text("User: ", style="bold")
        subtitle.append_text(safe_text(user))
        title = "Edit the email method" if method_id else "Add an email method"
        super().__init__(title, fields, subtitle=subtitle, submit=submit, id="email-method")
        self.method_id = method_id

    def build(self, values: dict[str, Any]) -> EmailMethodInput:
        return EmailMethodInput(validate_email(values.get(ADDRESS) or "", field=ADDRESS),
                                self.method_id)
