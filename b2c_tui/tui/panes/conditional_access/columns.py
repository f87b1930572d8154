"""What the conditional access pane shows of a policy and of a template: columns and the
detail view's sections, all in words (see :mod:`.summary`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text

from ....frames.columns import Column
from ... import kit
from .summary import (
    STATES,
    apps_text,
    conditions_text,
    grant_text,
    sentence,
    session_text,
    users_text,
)

_IN_WORDS = (
    Column("grant", "Requires", select=("grantControls",), get=grant_text, width=22),
    Column("users", "Users", select=("conditions",), get=users_text, width=28),
    Column("apps", "Apps", select=("conditions",), get=apps_text, width=16),
    Column("conditions", "When", select=("conditions",), get=conditions_text, width=24),
)

POLICY_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=30),
    Column("state", "State", get=lambda r: STATES.get(str(r.get("state")), r.get("state")),
           width=11),
    *_IN_WORDS,
    Column("session", "Session", select=("sessionControls",), get=session_text, width=22),
    Column("modifiedDateTime", "Modified", kind="datetime", width=16),
    Column("createdDateTime", "Created", kind="datetime", width=16),
    Column("id", "Id", width=36),
)

TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("name", "Template", width=36),
    *_IN_WORDS,
    Column("scenarios", "Scenarios", width=28),
    Column("description", "Description", width=50),
    Column("id", "Id", width=36),
)


def assignments(record: Mapping[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, text in (("Users", users_text), ("Apps", apps_text), ("When", conditions_text),
                        ("Requires", grant_text), ("Session", session_text)):
        grid.add_row(label, kit.show_value(text(record)))
    return grid


def in_words(record: Mapping[str, Any]) -> Text:
    return kit.show_value(sentence(record))


POLICY_SECTIONS: tuple[kit.Section, ...] = (
    kit.Section("In words", in_words),
    kit.Section("Policy", kit.fields_table((
        ("Name", "displayName"), ("State", "state"), ("Id", "id"), ("Template", "templateId"),
        ("Created", "createdDateTime"), ("Modified", "modifiedDateTime")))),
    kit.Section("Assignments and controls", assignments),
)

TEMPLATE_SECTIONS: tuple[kit.Section, ...] = (
    kit.Section("In words", in_words),
    kit.Section("Template", kit.fields_table((
        ("Name", "name"), ("Scenarios", "scenarios"), ("Id", "id"),
        ("Description", "description")))),
    kit.Section("Assignments and controls", assignments),
)
