"""The small parts the scrolling views share: :class:`Exposed` (a read-only attribute over a
private one) and :class:`WidgetMessage` (a message whose control is the widget)."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from b2c_tui.tui.widgets.exposed import Exposed
from b2c_tui.tui.widgets.table.messages import RowActivated, TableMessage
from b2c_tui.tui.widgets.table.widget import VirtualTable


class _Cursor:
    row = Exposed[int]("_row", "The row under the cursor.")

    def __init__(self) -> None:
        self._row = 3

    def move(self) -> None:
        self._row += 1


def test_exposed_reads_the_private_attribute_as_it_changes() -> None:
    cursor = _Cursor()
    assert cursor.row == 3
    cursor.move()
    assert cursor.row == 4


def test_exposed_refuses_assignment_and_keeps_the_value() -> None:
    cursor = _Cursor()
    with pytest.raises(AttributeError, match=r"_Cursor\.row is read-only"):
        cursor.row = 9  # type: ignore[assignment]
    assert cursor.row == 3 and "row" not in vars(cursor)


def test_exposed_on_the_class_is_the_documented_descriptor() -> None:
    descriptor = _Cursor.row
    assert isinstance(descriptor, Exposed)
    assert descriptor.__doc__ == "The row under the cursor."
    assert VirtualTable.sort_key.__doc__ == "The column key the rows are (being) sorted by."


def test_widget_message_control_is_the_widget_and_handlers_keep_their_names() -> None:
    widget = Widget()
    message = RowActivated(widget, "key-1")  # type: ignore[arg-type]
    assert message.control is widget and message.widget is widget and message.key == "key-1"
    assert isinstance(message, TableMessage)
    assert RowActivated.handler_name == "on_virtual_table_row_activated"
