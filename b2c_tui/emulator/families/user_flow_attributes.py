"""``/identity/userFlowAttributes``: built-in and custom user flow attributes.

Only custom attributes can be updated (``description`` only) or deleted; the rules live in
:mod:`..identity.attributes`.
"""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from ..identity import attributes
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec, text_filters
from .base import IdentityFamily, ItemRules, route

BASE = "/identity/userFlowAttributes"
ENTITY = "identity/userFlowAttributes/$entity"
FILTERABLE = ("id", "displayName", "dataType", "userFlowAttributeType")
SPEC = lenient_spec("userFlowAttributes", "identityUserFlowAttribute", IDENTITY,
                    text_filters("identityUserFlowAttribute", FILTERABLE))


class UserFlowAttributes(IdentityFamily):
    """The attributes user flows collect."""

    kind = "user flow attribute"
    base = BASE
    spec = SPEC
    entity_context = ENTITY  # the list's context is userFlowAttributes
    changes = ItemRules(update=attributes.update_attribute, delete=attributes.delete_attribute)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.attributes

    @route("POST", BASE)
    def create_attribute(self, request: Request) -> Response:
        attribute = attributes.create_attribute(self.store, request.json_object())
        location = f"/identity/userFlowAttributes('{attribute['id']}')"
        return entity(request, SPEC, dict(attribute), status=201, context_url=ENTITY,
                      headers={"Location": location})
