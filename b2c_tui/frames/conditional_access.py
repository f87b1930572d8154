"""Conditional access policy and template columns (v1.0).

Conditions and controls are summarised: who is included (users, groups, roles), which
applications, and the grant controls as ``mfa OR compliantDevice``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import joined, path
from .columns import Column


def grant_controls(record: Mapping[str, Any]) -> str | None:
    """The built-in grant controls joined by their operator (``mfa OR block``)."""
    controls = record.get("grantControls")
    if not isinstance(controls, Mapping):
        return None
    names = [str(c) for c in controls.get("builtInControls") or () if c]
    if isinstance(controls.get("authenticationStrength"), Mapping):
        names.append("authenticationStrength")
    operator = str(controls.get("operator") or "OR")
    return f" {operator} ".join(names) or None


def _included(*keys: str) -> Any:
    def get(record: Mapping[str, Any]) -> str | None:
        users = path("conditions", "users")(record)
        if not isinstance(users, Mapping):
            return None
        return joined(f"{k.removeprefix('include').lower()}:{v}"
                      for k in keys for v in users.get(k) or ())

    return get


POLICY_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=40),
    Column("state", "State", width=10),
    Column("grant", "Grant", select=("grantControls",), get=grant_controls, width=20),
    Column("users", "Users", select=("conditions",),
           get=_included("includeUsers", "includeGroups", "includeRoles"), width=30),
    Column("applications", "Applications", select=("conditions",),
           get=lambda r: joined(path("conditions", "applications", "includeApplications")(r)),
           width=20),
    Column("createdDateTime", "Created", kind="datetime", width=16),
    Column("modifiedDateTime", "Modified", kind="datetime", width=16),
    Column("id", "Id", width=36),
)

POLICY_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("templateId", "Template", width=36),
    Column("clientAppTypes", "Client apps", select=("conditions",),
           get=lambda r: joined(path("conditions", "clientAppTypes")(r))),
)

TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", width=40),
    Column("scenarios", "Scenarios", width=30),
    Column("description", "Description", width=50),
    Column("id", "Id", width=36),
)
