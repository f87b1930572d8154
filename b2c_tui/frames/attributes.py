"""User-flow attribute columns (``/identity/userFlowAttributes``): built-in and custom
(``extension_<app>_<Name>``) attributes; the display name of a custom one is its friendly name.
"""

from __future__ import annotations

from .columns import Column

ATTRIBUTE_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=24),
    Column("dataType", "Data type", width=16),
    Column("userFlowAttributeType", "Kind", width=8),
    Column("description", "Description", width=40),
    Column("id", "Id", width=40),
)
