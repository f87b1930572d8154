"""``/identity/userFlowAttributes``: built-in and custom user flow attributes.

Only custom attributes can be updated (``description`` only) or deleted; the rules live in
:mod:`..identity.attributes`.
"""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from ..identity import attributes
from ..identity.state import CIDict
from ..odata import IDENTITY, entity, lenient_spec, page, text_filters
from .base import IdentityFamily, ItemRules, route

BASE = "/identity/userFlowAttributes"
ENTITY = "identity/userFlowAttributes/$entity"
FILTERABLE = ("id", "displayName", "dataType", "userFlowAttributeType")
SPEC = lenient_spec("userFlowAttributes", "identityUserFlowAttribute", IDENTITY,
                    text_filters("identityUserFlowAttribute", FILTERABLE))


class UserFlowAttributes(IdentityFamily):
    """The attributes user flows collect."""

    kind = "user flow attribute"
    item_paths = (f"{BASE}/{{id}}",)
    changes = ItemRules(update=attributes.update_attribute, delete=attributes.delete_attribute)

    def items(self) -> CIDict[dict[str, Any]]:
        return self.store.identity.attributes

    @route("GET", BASE)
    def list_attributes(self, request: Request) -> Response:
        return page(request, SPEC, enumerate(dict(a) for a in self.items().values()))

    @route("GET", f"{BASE}/{{id}}")
    def get_attribute(self, request: Request) -> Response:
        return entity(request, SPEC, dict(self.lookup(request)), context_url=ENTITY)

    @route("POST", BASE)
    def create_attribute(self, request: Request) -> Response:
        attribute = attributes.create_attribute(self.store, request.json_object())
        location = f"/identity/userFlowAttributes('{attribute['id']}')"
        return entity(request, SPEC, dict(attribute), status=201, context_url=ENTITY,
                      headers={"Location": location})
