"""What ``b2c-tui export`` can export: each resource's listing and its columns.

The columns are the family's column specs (``b2c_tui.frames.<family>``), the same the explorer,
``b2c-tui get`` and the Python API show: ``id`` first, then the family's default columns (for
users, the view's columns and what identifies a user elsewhere, sign-in names included, which
the portal's export lacks). ``--columns`` names columns of the family (default or optional) or
any other property, which becomes a column of its own.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..frames.applications import (
    APPLICATION_COLUMNS,
    APPLICATION_OPTIONAL_COLUMNS,
    SERVICE_PRINCIPAL_COLUMNS,
    SERVICE_PRINCIPAL_OPTIONAL_COLUMNS,
)
from ..frames.attributes import ATTRIBUTE_COLUMNS
from ..frames.audit import AUDIT_COLUMNS, AUDIT_OPTIONAL_COLUMNS
from ..frames.columns import Column, select_for
from ..frames.conditional_access import POLICY_COLUMNS as CA_POLICY_COLUMNS
from ..frames.conditional_access import POLICY_OPTIONAL_COLUMNS as CA_POLICY_OPTIONAL_COLUMNS
from ..frames.deleted_items import DELETED_ITEM_COLUMNS, TYPE_PROPERTIES
from ..frames.identity_providers import (
    IDENTITY_PROVIDER_COLUMNS,
    IDENTITY_PROVIDER_OPTIONAL_COLUMNS,
)
from ..frames.keysets import KEYSET_COLUMNS
from ..frames.policies import POLICY_COLUMNS
from ..frames.user_flows import USER_FLOW_COLUMNS, USER_FLOW_OPTIONAL_COLUMNS
from ..frames.users import USER_COLUMNS_BY_KEY

if TYPE_CHECKING:
    from ..graph.client import GraphClient

Lister = Callable[["GraphClient", "list[str] | None", "str | None"], Any]

#: The id column of a family whose spec has none of its own.
ID_COLUMN = Column("id", "Id")


@dataclass(frozen=True)
class Source:
    """A resource the CLI exports: how to list it (with ``$select`` and ``$filter`` when it
    takes them) and its columns (the default ones, and the optional ones ``--columns`` may
    name). ``selects``: Graph is asked only for what the columns need (``$select``); else the
    records come whole and the columns pick from them."""

    name: str
    help: str
    list: Lister
    columns: tuple[Column, ...]
    optional: tuple[Column, ...] = ()
    selects: bool = False
    filterable: bool = False

    def choose(self, keys: Sequence[str] | None) -> builtins.list[Column]:
        """The columns for ``keys`` (``None``: ``id`` and the default ones)."""
        known = {c.key: c for c in (*self.columns, *self.optional)}
        if keys is None:
            return [known.get("id", ID_COLUMN), *(c for c in self.columns if c.key != "id")]
        return [known.get(k) or Column(k, k) for k in keys]

    def select(self, columns: Sequence[Column]) -> builtins.list[str] | None:
        """The ``$select`` for ``columns`` (``None``: every property)."""
        return select_for(columns) if self.selects else None


def _users(client: GraphClient, select: list[str] | None, filter: str | None) -> Any:
    query = {"$filter": filter} if filter else None
    return client.users.list(query, select=select, top=999)


#: Columns of a users export: the users view, then what identifies a user elsewhere.
USER_EXPORT_KEYS = ("id", "displayName", "signInName", "mail", "userPrincipalName",
                    "identities", "creationType", "accountEnabled", "createdDateTime")
_USER_COLUMNS = tuple(USER_COLUMNS_BY_KEY.get(k) or Column(k, k) for k in USER_EXPORT_KEYS)
# A deleted-users export lists users only: no type column, and no property only other types
# have (Graph refuses to $select those on users).
_OTHER_TYPES = {p for props in TYPE_PROPERTIES.values() for p in props} \
    - set(TYPE_PROPERTIES["user"])
_DELETED_USER_COLUMNS = tuple(c for c in DELETED_ITEM_COLUMNS
                              if c.key != "type" and not _OTHER_TYPES & set(c.properties))

SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("users", "users (with sign-in names)", _users, _USER_COLUMNS,
           tuple(USER_COLUMNS_BY_KEY.values()), selects=True, filterable=True),
    Source("applications", "app registrations",
           lambda c, select, _: c.applications.list(select=select, top=999),
           APPLICATION_COLUMNS, APPLICATION_OPTIONAL_COLUMNS, selects=True),
    Source("service-principals", "service principals (enterprise apps)",
           lambda c, select, _: c.applications.list_service_principals(select=select, top=999),
           SERVICE_PRINCIPAL_COLUMNS, SERVICE_PRINCIPAL_OPTIONAL_COLUMNS, selects=True),
    Source("identity-providers", "identity providers",
           lambda c, _s, _f: c.identity_providers.list(),
           IDENTITY_PROVIDER_COLUMNS, IDENTITY_PROVIDER_OPTIONAL_COLUMNS),
    Source("user-flows", "B2C user flows", lambda c, _s, _f: c.b2c_user_flows.list(),
           USER_FLOW_COLUMNS, USER_FLOW_OPTIONAL_COLUMNS),
    Source("policies", "custom policies (ids; the XML is not exported)",
           lambda c, _s, _f: c.policies.list(), POLICY_COLUMNS),
    Source("keysets", "policy keysets (ids; keys are never exported)",
           lambda c, _s, _f: c.keysets.list(), KEYSET_COLUMNS),
    Source("user-flow-attributes", "user flow attributes",
           lambda c, select, _: c.user_flow_attributes.list(select=select),
           ATTRIBUTE_COLUMNS, selects=True),
    Source("deleted-users", "deleted users (restorable for 30 days)",
           lambda c, select, _: c.deleted_items.list("user", select=select, top=999),
           _DELETED_USER_COLUMNS, selects=True),
    Source("conditional-access", "conditional access policies",
           lambda c, _s, _f: c.conditional_access.list_policies(),
           CA_POLICY_COLUMNS, CA_POLICY_OPTIONAL_COLUMNS),
    Source("audit", "directory audit log entries (the tenant's; see `b2c-tui audit`)",
           lambda c, select, _: c.audit.list(select=select, top=999, newest_first=True),
           AUDIT_COLUMNS, AUDIT_OPTIONAL_COLUMNS, selects=True),
)}
