"""Typed messages panes post to the app (panes never import each other, nor the app).

A pane asks for another pane with :class:`OpenPane`; the app shows it and hands it the
``subject`` through :meth:`~b2c_tui.tui.kit.base.ResourcePane.receive` (the users pane hands
a :class:`UserRef` to the auth-methods pane this way; the tenant dashboard hands the audit
pane a :class:`FilterText`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass(frozen=True)
class UserRef:
    """A user one pane hands to another: its object id and, when known, its display name."""

    id: str
    name: str = ""


@dataclass(frozen=True)
class FilterText:
    """Show the receiving pane's view narrowed by ``text``, as if typed at its ``/`` prompt
    (in that pane's own filter language)."""

    text: str


class OpenPane(Message):
    """Show the pane ``pane_id`` and give it ``subject`` (``None``: just show it)."""

    def __init__(self, pane_id: str, subject: object | None = None) -> None:
        super().__init__()
        self.pane_id = pane_id
        self.subject = subject
