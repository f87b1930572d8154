"""Messages an :class:`~.view.XmlView` posts (also reachable as ``XmlView.OpenLocation`` ...).

Handlers are named ``on_xml_view_open_location``, ``on_xml_view_editor_closed`` and
``on_xml_view_cursor_moved``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from .resolver import Location

if TYPE_CHECKING:
    from .view import XmlView


class XmlViewMessage(Message, namespace="xml_view"):
    """A message from an :class:`XmlView` (``control`` is the view)."""

    def __init__(self, view: XmlView) -> None:
        super().__init__()
        self.xml_view = view

    @property
    def control(self) -> XmlView:
        return self.xml_view


class OpenLocation(XmlViewMessage, namespace="xml_view"):
    """Open ``location`` (in another policy): the host loads that policy's text into the view
    with ``load(text, location.policy_id, line=..., column=...)``. ``origin`` is where the user
    was; ``back`` says this is a return along the history."""

    def __init__(self, view: XmlView, location: Location, origin: Location | None,
                 back: bool = False) -> None:
        super().__init__(view)
        self.location = location
        self.origin = origin
        self.back = back


class EditorClosed(XmlViewMessage, namespace="xml_view"):
    """The editor opened on a scratch copy of the policy has exited. When ``changed``, ``path``
    holds the edited XML (the host decides whether to lint, diff or upload it; the widget never
    does); otherwise the untouched copy has been deleted."""

    def __init__(self, view: XmlView, policy_id: str, path: Path, changed: bool,
                 returncode: int) -> None:
        super().__init__(view)
        self.policy_id = policy_id
        self.path = path
        self.changed = changed
        self.returncode = returncode


class CursorMoved(XmlViewMessage, namespace="xml_view"):
    """The cursor is now at 1-based ``line`` and ``column`` of ``policy_id``."""

    def __init__(self, view: XmlView, policy_id: str, line: int, column: int) -> None:
        super().__init__(view)
        self.policy_id = policy_id
        self.line = line
        self.column = column
