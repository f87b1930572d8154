"""The base of the messages a widget posts about itself.

The widget is the message's first field, ``widget``, and its ``control`` (Textual's name for
it, which ``@on(Message, "#id")`` selectors match). A widget with a module of messages
subclasses it once with its handler namespace (``virtual_table``, ``xml_view``) and its
messages subclass that; a message nested in its widget (``DiffView.Ready``) subclasses it
directly, its handler named after the nesting (``on_diff_view_ready``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual.message import Message
from textual.widget import Widget

W = TypeVar("W", bound=Widget)


@dataclass
class WidgetMessage(Message, Generic[W]):
    """A message from ``widget`` (also its ``control``)."""

    widget: W

    @property
    def control(self) -> W:
        return self.widget
