"""User-flow attributes: the built-in (``City``) and custom (``extension_<app>_<Name>``)
attributes user flows collect at sign-up.

Endpoints: ``/identity/userFlowAttributes`` (v1.0; beta also answers). Only custom attributes can
be updated (and only their ``description``) or deleted; ``dataType`` is fixed at creation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from ..errors import ValidationError
from ..paging import PageIterator
from ..validation import validate_attribute_data_type
from ._query import QueryArg
from .base import ResourceAPI, mutating, seg

PATH = "/identity/userFlowAttributes"
CREATABLE = frozenset({"displayName", "description", "dataType"})
UPDATABLE = frozenset({"description"})
CUSTOM_PREFIX = "extension_"


def check_attribute_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """A new attribute needs a displayName and a known dataType (returned in Graph's
    spelling); the id and type are made by the service."""
    extra = sorted(set(body) - CREATABLE)
    if extra:
        raise ValidationError(
            f"{', '.join(extra)} cannot be set on a new attribute (only displayName, description "
            "and dataType; the id is made from the displayName).", field=extra[0])
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("An attribute needs a displayName.", field="displayName")
    if not (name[0].isascii() and name[0].isalpha()) or not all(
        ch.isascii() and (ch.isalnum() or ch == "_") for ch in name
    ):
        raise ValidationError(
            f"{name!r} cannot be part of an attribute name: start with a letter and use "
            "letters, digits and '_'.", field="displayName")
    return {**body, "dataType": validate_attribute_data_type(cast(str, body.get("dataType")))}


def _custom_only(attribute_id: str, action: str) -> None:
    if not attribute_id.startswith(CUSTOM_PREFIX):
        raise ValidationError(
            f"{attribute_id!r} is a built-in attribute; only custom attributes "
            f"(extension_...) can be {action}.", field="id")


class UserFlowAttributesAPI(ResourceAPI):
    """``/identity/userFlowAttributes``."""

    def list(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
             version: str | None = None, prefetch: bool = True) -> PageIterator:
        """``GET /identity/userFlowAttributes``: built-in and custom attributes."""
        return self._list(PATH, query, select=select, version=version, prefetch=prefetch)

    async def get(self, attribute_id: str) -> dict[str, Any]:
        """``GET /identity/userFlowAttributes/{id}``."""
        return await self._get(f"{PATH}/{seg(attribute_id)}")

    @mutating
    async def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /identity/userFlowAttributes`` with ``displayName``, ``dataType`` and an
        optional ``description``; returns the attribute with its ``extension_...`` id."""
        payload = check_attribute_body(body)
        return await self._send("POST", PATH, payload)

    @mutating
    async def update(self, attribute_id: str, patch: Mapping[str, Any]) -> None:
        """``PATCH /identity/userFlowAttributes/{id}`` (204): a custom attribute's
        ``description``, the only property that can change."""
        _custom_only(attribute_id, "updated")
        extra = sorted(set(patch) - UPDATABLE)
        if extra or not patch:
            raise ValidationError(
                "Only the description of a custom attribute can be updated.",
                field=extra[0] if extra else "description")
        await self._core.send_json("PATCH", f"{PATH}/{seg(attribute_id)}", dict(patch))

    @mutating
    async def delete(self, attribute_id: str) -> None:
        """``DELETE /identity/userFlowAttributes/{id}`` (204; custom attributes only)."""
        _custom_only(attribute_id, "deleted")
        await self._core.request("DELETE", f"{PATH}/{seg(attribute_id)}")
