"""Find a user from one search box: the right B2C query for what was typed.

Accepts a display-name prefix, a sign-in email or username, an object id, a userPrincipalName
or a phone number, optionally with an explicit kind (``name:``, ``email:``, ``user:``, ``id:``,
``upn:``, ``phone:``). Sign-in names live in ``identities``, which B2C can only filter with both
``issuer`` and ``issuerAssignedId``; what Graph cannot answer in a B2C tenant (substring search,
ends-with, negation) is refused with a plain message before any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UnsupportedQueryError, ValidationError
from .query import Query
from .query_expr import F, Filter

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{5,}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_\-.]+$")
_KINDS = ("name", "email", "user", "id", "upn", "phone")


@dataclass(frozen=True)
class UserSearch:
    """What the box understood: one or more filters (results are merged), and a description."""

    kind: str
    filters: tuple[Filter, ...]
    description: str
    note: str = ""

    def queries(self, select: list[str] | tuple[str, ...], top: int = 999) -> list[Query]:
        out = []
        for flt in self.filters:
            q = Query("users").filter(flt).select(*select)
            # Identity lookups return a handful of users; keep $top for prefix searches only.
            out.append(q.top(top) if self.kind in ("name", "name-or-user") else q)
        return out


def _refuse_unsupported(text: str) -> None:
    if text.startswith("*") or (text.endswith("*") and "*" in text[:-1]):
        raise UnsupportedQueryError(
            "B2C tenants cannot search inside names ($search and endsWith are not available). "
            "Type the beginning of the display name, or a full sign-in name, id or phone number."
        )
    if text.startswith(("!", "-", "not ")):
        raise UnsupportedQueryError(
            "B2C tenants cannot negate a filter (no 'ne' or 'not'). Load the users and filter "
            "locally, or export them and filter the CSV."
        )


def plan_user_search(text: str, tenant_domain: str) -> UserSearch:
    """Interpret ``text`` for a tenant whose local accounts use ``tenant_domain`` as issuer."""
    raw = text.strip()
    if not raw:
        raise ValidationError("Type a name, sign-in name, id, UPN or phone number.",
                              field="search")
    kind = None
    head, sep, rest = raw.partition(":")
    if sep and head.lower() in _KINDS and rest.strip():
        kind, raw = head.lower(), rest.strip()
    _refuse_unsupported(raw)
    value = raw.rstrip("*")

    if kind == "id" or (kind is None and _GUID.match(value)):
        if not _GUID.match(value):
            raise ValidationError(f"{value!r} is not an object id (a GUID).", field="search")
        return UserSearch("id", (F.eq("id", value.lower()),), f"object id {value}")
    if kind in (None, "email", "upn") and "@" in value and not _complete_address(value):
        raise ValidationError(
            f"{value!r} is an incomplete address: B2C matches sign-in emails whole. Type the "
            "whole address, or the beginning of the display name.", field="search")
    if kind == "upn" or (kind is None and "@" in value and _is_upn(value, tenant_domain)):
        return UserSearch("upn", (F.eq("userPrincipalName", value),), f"UPN {value}")
    if kind == "email" or (kind is None and "@" in value):
        return UserSearch(
            "email", (F.identity(issuer=tenant_domain, issuer_assigned_id=value),),
            f"sign-in email {value}",
            note="Matches local accounts that sign in with this email (identities); "
                 "B2C cannot search the contact 'mail' of social accounts by prefix.",
        )
    if kind == "phone" or (kind is None and value.startswith("+") and _PHONE.match(value)):
        number = re.sub(r"[ ()\-.]", "", value)
        if not number.startswith("+"):
            number = "+" + number
        return UserSearch(
            "phone", (F.identity(issuer=tenant_domain, issuer_assigned_id=number),),
            f"sign-in phone {number}",
            note="Finds users who sign in with this phone number. Graph cannot search users "
                 "by an MFA phone method; open a user's authentication methods to see those.",
        )
    if kind == "user":
        return UserSearch(
            "user", (F.identity(issuer=tenant_domain, issuer_assigned_id=value),),
            f"sign-in username {value}",
        )
    if kind == "name":
        return UserSearch("name", (F.startswith("displayName", value),),
                          f"display name starting with {value!r}")
    # No kind given: a single word may be a username as well as the start of a name.
    if _USERNAME.match(value) and " " not in value:
        return UserSearch(
            "name-or-user",
            (F.startswith("displayName", value),
             F.identity(issuer=tenant_domain, issuer_assigned_id=value)),
            f"display name starting with {value!r} or username {value!r}",
        )
    return UserSearch("name", (F.startswith("displayName", value),),
                      f"display name starting with {value!r}")


def _complete_address(value: str) -> bool:
    local, _, domain = value.rpartition("@")
    labels = domain.split(".")
    return bool(local) and len(labels) > 1 and all(labels)


def _is_upn(value: str, tenant_domain: str) -> bool:
    domain = value.rsplit("@", 1)[-1].lower()
    return "#ext#" in value.lower() or domain == tenant_domain.lower() or domain.endswith(
        ".onmicrosoft.com")
