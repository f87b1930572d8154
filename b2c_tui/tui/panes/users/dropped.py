"""A create whose connection dropped: was the user created?

A ``POST /users`` that was sent may have been carried out even though no answer came back
(the Graph client raises ``OutcomeUnknownError`` for it; any other ``NetworkError`` means the
request never arrived: an ordinary failure). Creating again could make a second user, or fail
confusingly on the sign-in name the first one now holds. So the users pane says so, looks the
user up by the sign-in name it sent, and only offers Create again once it knows the user does
not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ....graph import errors
from ....graph.client import GraphClient

CHECKING = "The connection dropped; checking whether the user was created…"


def outcome_unknown(error: BaseException) -> bool:
    """Whether ``error`` leaves it open whether the create was carried out."""
    return isinstance(error, errors.OutcomeUnknownError)


def sign_in_of(body: Mapping[str, Any]) -> str | None:
    """The local sign-in name (email or username) in a create body."""
    for identity in body.get("identities") or []:
        kind = str(identity.get("signInType") or "").lower()
        value = identity.get("issuerAssignedId")
        if value and (kind.startswith("emailaddress") or kind == "username"):
            return str(value)
    return None


async def find_created(client: GraphClient, body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The user the body describes, if it exists now (looked up by its sign-in name with
    ``users.find_by_sign_in_name``). Graph errors propagate: then nobody knows yet."""
    sign_in = sign_in_of(body)
    if sign_in is None:
        return None
    return await client.users.find_by_sign_in_name(
        sign_in, select=["id", "displayName", "identities"])
