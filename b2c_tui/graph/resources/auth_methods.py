"""A user's authentication methods: phone, email and software OATH (v1.0).

Endpoints: ``/users/{id}/authentication/phoneMethods``, ``.../emailMethods`` and
``.../softwareOathMethods``. B2C administration is app-only, so there is no ``/me`` form here:
every call names the user (object id or userPrincipalName).

Graph stores phone numbers as ``+{country code} {number}[x{extension}]`` *with* the space, and
B2C does not add it by itself; numbers are checked before any request, and
:meth:`AuthMethodsAPI.fix_phone_number` repairs one stored without the space.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError
from ..paging import PageIterator
from ..validation import (
    EMAIL_METHOD_ID,
    PHONE_METHOD_IDS,
    PHONE_TYPES,
    is_graph_phone,
    phone_type_for_method_id,
    suggest_phone_fix,
    validate_email,
    validate_phone,
    validate_phone_type,
)
from .base import ResourceAPI, mutating, seg

__all__ = ["EMAIL_METHOD_ID", "PHONE_METHOD_IDS", "PHONE_TYPES", "AuthMethodsAPI"]


class AuthMethodsAPI(ResourceAPI):
    """``/users/{id}/authentication/{phoneMethods,emailMethods,softwareOathMethods}``."""

    @staticmethod
    def _base(user_id: str, kind: str) -> str:
        return f"/users/{seg(user_id)}/authentication/{kind}"

    # -- phone ---------------------------------------------------------------------------------
    def list_phone_methods(self, user_id: str) -> PageIterator:
        """``GET /users/{id}/authentication/phoneMethods``: at most one per phone type (B2C lists
        only numbers usable for sign-in)."""
        return self._core.pages(self._base(user_id, "phoneMethods"), prefetch=False)

    async def get_phone_method(self, user_id: str, method_id: str) -> dict[str, Any]:
        """``GET /users/{id}/authentication/phoneMethods/{phoneMethodId}``."""
        path = f"{self._base(user_id, 'phoneMethods')}/{seg(method_id)}"
        return await self._get(path)

    @mutating
    async def add_phone_method(
        self, user_id: str, phone_number: str, phone_type: str = "mobile"
    ) -> dict[str, Any]:
        """``POST /users/{id}/authentication/phoneMethods``: add a number of ``phone_type``
        (``mobile``, ``alternateMobile`` or ``office``); returns the created method.

        The number must read ``+{country code} {number}`` (see
        :func:`b2c_tui.graph.validation.validate_phone`); a mobile phone must exist before an
        alternateMobile can be added.
        """
        body = {"phoneNumber": validate_phone(phone_number),
                "phoneType": validate_phone_type(phone_type)}
        return await self._send("POST", self._base(user_id, "phoneMethods"), body)

    @mutating
    async def update_phone_method(
        self, user_id: str, method_id: str, phone_number: str, *, phone_type: str | None = None
    ) -> None:
        """``PATCH /users/{id}/authentication/phoneMethods/{phoneMethodId}``: change the number.

        A method's type cannot change; ``phone_type`` (sent as the docs' example does) must match
        the method's well-known id. To move a number to another type, add it, then delete the old.
        """
        body: dict[str, str] = {"phoneNumber": validate_phone(phone_number)}
        if phone_type is not None:
            phone_type = validate_phone_type(phone_type)
            known = phone_type_for_method_id(method_id)
            if known is not None and known != phone_type:
                raise ValidationError(
                    f"Phone method {method_id} is the {known} phone; its type cannot be changed "
                    f"to {phone_type}. Add a {phone_type} number, then delete this one.",
                    field="phoneType",
                )
            body["phoneType"] = phone_type
        path = f"{self._base(user_id, 'phoneMethods')}/{seg(method_id)}"
        await self._core.send_json("PATCH", path, body)

    @mutating
    async def delete_phone_method(self, user_id: str, method_id: str) -> None:
        """``DELETE /users/{id}/authentication/phoneMethods/{phoneMethodId}`` (204). A mobile
        phone cannot go while an alternateMobile exists, nor the default MFA method."""
        path = f"{self._base(user_id, 'phoneMethods')}/{seg(method_id)}"
        await self._core.request("DELETE", path)

    @mutating
    async def fix_phone_number(self, user_id: str, method: Mapping[str, Any]) -> dict[str, Any]:
        """Repair a phone method whose number was stored without the space after the country
        code (``+447911123456`` -> ``+44 7911123456``) with
        ``PATCH /users/{id}/authentication/phoneMethods/{phoneMethodId}``.

        ``method`` is the record as listed (``id``, ``phoneNumber``, ``phoneType``). Returns the
        record as it now stands; a number that is already well formed is returned unchanged and
        nothing is sent. Raises :class:`ValidationError` when no repair is known.
        """
        method_id = str(method.get("id") or "")
        number = str(method.get("phoneNumber") or "")
        if not method_id:
            raise ValidationError("The phone method has no id.", field="id")
        if is_graph_phone(number):
            return dict(method)
        fixed = suggest_phone_fix(number)
        if fixed is None:
            raise ValidationError(
                f"{number!r} cannot be repaired automatically; edit the number by hand.",
                field="phoneNumber",
            )
        path = f"{self._base(user_id, 'phoneMethods')}/{seg(method_id)}"
        await self._core.send_json("PATCH", path, {"phoneNumber": fixed})
        return {**method, "phoneNumber": fixed}

    # -- email ---------------------------------------------------------------------------------
    def list_email_methods(self, user_id: str) -> PageIterator:
        """``GET /users/{id}/authentication/emailMethods`` (at most one: the SSPR email)."""
        return self._core.pages(self._base(user_id, "emailMethods"), prefetch=False)

    async def get_email_method(
        self, user_id: str, method_id: str = EMAIL_METHOD_ID
    ) -> dict[str, Any]:
        """``GET /users/{id}/authentication/emailMethods/{id}``."""
        path = f"{self._base(user_id, 'emailMethods')}/{seg(method_id)}"
        return await self._get(path)

    @mutating
    async def add_email_method(self, user_id: str, email: str) -> dict[str, Any]:
        """``POST /users/{id}/authentication/emailMethods``: set the user's email for password
        reset (a user has at most one); returns the created method."""
        body = {"emailAddress": validate_email(email, field="emailAddress")}
        return await self._send("POST", self._base(user_id, "emailMethods"), body)

    @mutating
    async def update_email_method(
        self, user_id: str, email: str, *, method_id: str = EMAIL_METHOD_ID
    ) -> None:
        """``PATCH /users/{id}/authentication/emailMethods/{id}``: change the address (204)."""
        body = {"emailAddress": validate_email(email, field="emailAddress")}
        path = f"{self._base(user_id, 'emailMethods')}/{seg(method_id)}"
        await self._core.send_json("PATCH", path, body)

    @mutating
    async def delete_email_method(self, user_id: str, method_id: str = EMAIL_METHOD_ID) -> None:
        """``DELETE /users/{id}/authentication/emailMethods/{id}`` (204)."""
        path = f"{self._base(user_id, 'emailMethods')}/{seg(method_id)}"
        await self._core.request("DELETE", path)

    # -- software OATH (authenticator apps; read and delete only) -------------------------------
    def list_software_oath_methods(self, user_id: str) -> PageIterator:
        """``GET /users/{id}/authentication/softwareOathMethods`` (``secretKey`` is always null)."""
        return self._core.pages(self._base(user_id, "softwareOathMethods"), prefetch=False)

    async def get_software_oath_method(self, user_id: str, method_id: str) -> dict[str, Any]:
        """``GET /users/{id}/authentication/softwareOathMethods/{id}``."""
        path = f"{self._base(user_id, 'softwareOathMethods')}/{seg(method_id)}"
        return await self._get(path)

    @mutating
    async def delete_software_oath_method(self, user_id: str, method_id: str) -> None:
        """``DELETE /users/{id}/authentication/softwareOathMethods/{id}`` (204)."""
        path = f"{self._base(user_id, 'softwareOathMethods')}/{seg(method_id)}"
        await self._core.request("DELETE", path)
