"""Entra External ID sign-up flow columns (``/identity/authenticationEventsFlows``).

Nested steps are flattened: the providers offered at sign-in and the attributes collected at
sign-up as ``; ``-joined ids, the applications the flow is attached to as their appIds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import joined, path, pluck
from .columns import Column


def _providers(record: Mapping[str, Any]) -> str | None:
    step = record.get("onAuthenticationMethodLoadStart")
    return joined(pluck(step.get("identityProviders") if isinstance(step, Mapping) else None, "id"))


def _attributes(record: Mapping[str, Any]) -> str | None:
    step = record.get("onAttributeCollection")
    return joined(pluck(step.get("attributes") if isinstance(step, Mapping) else None, "id"))


def _applications(record: Mapping[str, Any]) -> str | None:
    apps = path("conditions", "applications", "includeApplications")(record)
    return joined(pluck(apps, "appId"))


EXTERNAL_FLOW_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=30),
    Column("signUpAllowed", "Sign-up", select=("onInteractiveAuthFlowStart",),
           get=path("onInteractiveAuthFlowStart", "isSignUpAllowed"), kind="bool", width=7),
    Column("identityProviders", "Identity providers", select=("onAuthenticationMethodLoadStart",),
           get=_providers, width=30),
    Column("attributes", "Attributes", select=("onAttributeCollection",), get=_attributes,
           width=24),
    Column("applications", "Applications", select=("conditions",), get=_applications,
           width=36),
    Column("priority", "Priority", kind="number", width=8),
    Column("id", "Id", width=36),
)

EXTERNAL_FLOW_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("description", "Description", width=40),
    Column("userTypeToCreate", "Creates", select=("onUserCreateStart",),
           get=path("onUserCreateStart", "userTypeToCreate"), width=8),
)
