"""What ``b2c-tui export`` can export: each resource's listing and its columns.

Users have column specs (``b2c_tui.frames.users``: sign-in names included, which the portal's
export lacks). Other families are exported as generic records until they get specs of their
own: their columns are the properties named by ``--columns``, or else every top-level property
of the records of the first page (``@odata`` annotations left out; nested values flattened in
CSV, kept as JSON in JSON Lines).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..frames.columns import Column
    from ..graph.client import GraphClient
    from ..graph.paging import Page

Lister = Callable[["GraphClient", "list[str] | None", "str | None"], Any]


@dataclass(frozen=True)
class Source:
    """A resource the CLI exports: how to list it (with ``$select`` and ``$filter`` when it
    takes them) and its default columns (``None``: generic records)."""

    name: str
    help: str
    list: Lister
    filterable: bool = False


def _users(client: GraphClient, select: list[str] | None, filter: str | None) -> Any:
    query = {"$filter": filter} if filter else None
    return client.users.list(query, select=select, top=999)


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("users", "users (with sign-in names)", _users, filterable=True),
    Source("applications", "app registrations",
           lambda c, select, _: c.applications.list(select=select, top=999)),
    Source("service-principals", "service principals (enterprise apps)",
           lambda c, select, _: c.applications.list_service_principals(select=select, top=999)),
    Source("identity-providers", "identity providers",
           lambda c, select, _: c.identity_providers.list(select=select)),
    Source("user-flows", "B2C user flows", lambda c, _s, _f: c.b2c_user_flows.list()),
    Source("policies", "custom policies (ids; the XML is not exported)",
           lambda c, select, _: c.policies.list(select=select)),
    Source("keysets", "policy keysets (ids; keys are never exported)",
           lambda c, _s, _f: c.keysets.list()),
    Source("user-flow-attributes", "user flow attributes",
           lambda c, select, _: c.user_flow_attributes.list(select=select)),
    Source("deleted-users", "deleted users (restorable for 30 days)",
           lambda c, select, _: c.deleted_items.list("user", select=select, top=999)),
    Source("conditional-access", "conditional access policies",
           lambda c, select, _: c.conditional_access.list_policies(select=select)),
    Source("audit", "directory audit log entries (the tenant's; see `b2c-tui audit`)",
           lambda c, select, _: c.audit.list(select=select, top=999, newest_first=True)),
)}

#: Columns of a users export: the users view, then what identifies a user elsewhere.
USER_EXPORT_KEYS = ("id", "displayName", "signInName", "mail", "userPrincipalName",
                    "identities", "creationType", "accountEnabled", "createdDateTime")


def user_columns(keys: Sequence[str] | None) -> list[Column]:
    """Users' columns by key (``--columns``); a key without a spec is a raw property (an
    extension attribute, ``jobTitle``...)."""
    from ..frames.columns import Column
    from ..frames.users import USER_COLUMNS_BY_KEY

    return [USER_COLUMNS_BY_KEY.get(k) or Column(k, k) for k in (keys or USER_EXPORT_KEYS)]


def record_columns(records: Sequence[dict[str, Any]]) -> list[Column]:
    """Generic columns: every top-level property of ``records``, in order of appearance."""
    from ..frames.columns import Column

    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(k for k in record if not k.startswith("@odata")))
    return [Column(k, k) for k in keys]


class Prepended:
    """A page iterator that yields ``first`` and then the pages of ``rest`` (the first page was
    read to learn the columns); ``aclose`` closes ``rest``."""

    def __init__(self, first: Page | None, rest: AsyncIterator[Page]) -> None:
        self._first, self._rest = first, rest

    def __aiter__(self) -> Prepended:
        return self

    async def __anext__(self) -> Page:
        if self._first is not None:
            page, self._first = self._first, None
            return page
        return await anext(self._rest)

    async def aclose(self) -> None:
        aclose = getattr(self._rest, "aclose", None)
        if aclose is not None:
            await aclose()
