"""One rule for custom-attribute values: what the explorer's form and a DataFrame cell hold
become the same typed value (``frames.extensions.parse_attribute``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest

from b2c_tui.frames.extensions import ExtensionAttribute, custom_attributes, parse_attribute
from b2c_tui.graph.errors import ValidationError

APP = "25883231668a43a780b25685c3f874bc"


def attribute(name: str, data_type: str) -> ExtensionAttribute:
    found = ExtensionAttribute.from_key(f"extension_{APP}_{name}", data_type)
    assert found is not None
    return found


@pytest.mark.parametrize(("data_type", "value", "expected"), [
    ("boolean", "Yes", True), ("boolean", " false ", False), ("boolean", True, True),
    ("int64", " 42 ", 42), ("int64", 7, 7), ("int64", 7.0, 7),
    ("dateTime", "2026-11-01T09:30:00Z", "2026-11-01T09:30:00Z"),
    ("dateTime", "2026-11-01T11:30:00+02:00", "2026-11-01T09:30:00Z"),
    ("dateTime", "2026-11-01", "2026-11-01T00:00:00Z"),
    ("dateTime", datetime(2026, 11, 1, 9, 30, tzinfo=UTC), "2026-11-01T09:30:00Z"),
    ("dateTime", pd.Timestamp("2026-11-01 09:30", tz="UTC"), "2026-11-01T09:30:00Z"),
    ("dateTime", date(2026, 11, 1), "2026-11-01T00:00:00Z"),
    ("stringCollection", "a, b,, c", ["a", "b", "c"]),
    ("stringCollection", [" a ", "", "b"], ["a", "b"]),
    ("string", "  Gold ", "Gold"),
    ("string", "", None), ("int64", "   ", None), ("boolean", None, None),
])
def test_values_are_typed_by_data_type(data_type: str, value: Any, expected: Any) -> None:
    assert parse_attribute(value, attribute("x", data_type)) == expected


def test_a_frame_cell_splits_lists_where_frames_join_them() -> None:
    tags = attribute("tags", "stringCollection")
    assert parse_attribute("a, b; c", tags, separator=";") == ["a, b", "c"]


@pytest.mark.parametrize(("data_type", "value", "message"), [
    ("boolean", "maybe", "tier is true or false."),
    ("boolean", 1, "tier is true or false."),
    ("int64", "4.5", "tier is a whole number."),
    ("int64", 4.5, "tier is a whole number."),
    ("int64", True, "tier is a whole number."),
    ("int64", float("nan"), "tier is a whole number."),
    ("int64", str(2**63), "tier does not fit in 64 bits."),
    ("dateTime", "next week", "tier is a date and time"),
    ("string", 12, "tier is text, not int."),
])
def test_bad_values_name_the_attribute_and_its_key(data_type: str, value: Any,
                                                   message: str) -> None:
    tier = attribute("tier", data_type)
    with pytest.raises(ValidationError) as caught:
        parse_attribute(value, tier)
    assert caught.value.message.startswith(message)
    assert caught.value.field == tier.key


def test_custom_attributes_come_from_user_flow_attribute_records() -> None:
    records = [{"id": "city", "dataType": "string"},
               {"id": f"extension_{APP}_loyaltyNumber", "dataType": "int64",
                "description": "Card"},
               {"id": f"extension_{APP}_tags"}]
    found = custom_attributes(records)
    assert [(a.name, a.data_type, a.description) for a in found] == [
        ("loyaltyNumber", "int64", "Card"), ("tags", "string", "")]
    column = found[0].column()
    assert (column.key, column.kind, column.properties) == (
        "loyaltyNumber", "number", (f"extension_{APP}_loyaltyNumber",))
    assert column.value({f"extension_{APP}_loyaltyNumber": 7}) == 7
