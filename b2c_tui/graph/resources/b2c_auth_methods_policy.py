"""The B2C authentication methods policy: which local-account sign-in methods user flows offer.

Endpoint: ``/policies/b2cAuthenticationMethodsPolicy`` — **beta only**, a singleton (its id is
the literal ``b2CAuthenticationMethodsPolicy``) with three switches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError
from .base import ResourceAPI, mutating

PATH = "/policies/b2cAuthenticationMethodsPolicy"
VERSION = "beta"
#: The policy's properties; the docs mark all three as required on update.
SWITCHES = (
    "isEmailPasswordAuthenticationEnabled",
    "isUserNameAuthenticationEnabled",
    "isPhoneOneTimePasswordAuthenticationEnabled",
)


def check_policy_patch(patch: Mapping[str, Any]) -> None:
    """Only the three boolean switches may be sent, as booleans."""
    if not patch:
        raise ValidationError("Nothing to update.")
    for name, value in patch.items():
        if name not in SWITCHES:
            raise ValidationError(
                f"{name!r} is not a property of the B2C authentication methods policy; use "
                f"{', '.join(SWITCHES)}.", field=name)
        if not isinstance(value, bool):
            raise ValidationError(f"{name} must be true or false.", field=name)


class B2CAuthMethodsPolicyAPI(ResourceAPI):
    """``/policies/b2cAuthenticationMethodsPolicy`` (beta)."""

    api_version = VERSION

    async def get(self) -> dict[str, Any]:
        """``GET /policies/b2cAuthenticationMethodsPolicy`` (beta)."""
        return await self._get(PATH)

    @mutating
    async def update(self, patch: Mapping[str, bool]) -> None:
        """``PATCH /policies/b2cAuthenticationMethodsPolicy`` (beta, 204) with any of
        ``isEmailPasswordAuthenticationEnabled``, ``isUserNameAuthenticationEnabled`` and
        ``isPhoneOneTimePasswordAuthenticationEnabled`` (the docs ask for all three)."""
        check_policy_patch(patch)
        await self._core.send_json("PATCH", PATH, dict(patch), version=VERSION)
