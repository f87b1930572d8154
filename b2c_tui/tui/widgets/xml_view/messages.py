"""Messages an :class:`~.view.XmlView` posts (also reachable as ``XmlView.OpenLocation`` ...).

Handlers are named ``on_xml_view_open_location``, ``on_xml_view_editor_closed`` and
``on_xml_view_cursor_moved``. Dataclasses, as Textual's own messages are (the view first:
``widget``, also ``control``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import WidgetMessage
from .resolver import Location

if TYPE_CHECKING:
    from .view import XmlView  # noqa: F401 (the base's type argument, a string)


class XmlViewMessage(WidgetMessage["XmlView"], namespace="xml_view"):
    """A message from an :class:`XmlView` (``widget`` and ``control`` are the view)."""


@dataclass
class OpenLocation(XmlViewMessage, namespace="xml_view"):
    """Open ``location`` (in another policy): the host loads that policy's text into the view
    with ``load(text, location.policy_id, line=..., column=...)``. ``origin`` is where the user
    was; ``back`` says this is a return along the history."""

    location: Location
    origin: Location | None
    back: bool = False


@dataclass
class EditorClosed(XmlViewMessage, namespace="xml_view"):
    """The editor opened on a scratch copy of the policy has exited. When ``changed``, ``path``
    holds the edited XML (the host decides whether to lint, diff or upload it; the widget never
    does); otherwise the untouched copy has been deleted."""

    policy_id: str
    path: Path
    changed: bool
    returncode: int


@dataclass
class CursorMoved(XmlViewMessage, namespace="xml_view"):
    """The cursor is now at 1-based ``line`` and ``column`` of ``policy_id``."""

    policy_id: str
    line: int
    column: int
