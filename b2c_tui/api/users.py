"""``tenant.users``: the users frame (call it), find-user, and writes from a frame.

    df = tenant.users()                                  # every user
    df = tenant.users(filter="startswith(displayName,'Jo')", limit=50)
    tenant.users.find("jo@example.com")                  # the explorer's find-user
    report = tenant.users.apply(edited, dry_run=True)    # what would change
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from ..frames.columns import Column, select_for, visible
from ..frames.users import USER_COLUMNS, USER_OPTIONAL_COLUMNS
from ..graph.errors import ReadOnlyError
from ..graph.paging import ChainedPages
from ..graph.query import Filter
from .apply import apply_frame
from .frames import Listing, collect
from .progress import Progress
from .report import ApplyReport

if TYPE_CHECKING:
    from .base import TenantBase

USERS = Listing("Users", USER_COLUMNS, USER_OPTIONAL_COLUMNS, resource="users", max_top=999,
                server_select=True, dtypes={"accountEnabled": "bool"},
                pages=lambda c, query, prefetch: c.users.list(query, top=None,
                                                               prefetch=prefetch))


async def extension_columns(tenant: TenantBase) -> list[Column]:
    """A column per custom attribute, named by its friendly name (its full key when that name
    is already a user property)."""
    known = USERS.known
    return [ext.column(ext.key if ext.name in known else None)
            for ext in await tenant._custom_attributes()]


async def _extra(tenant: TenantBase, select: Iterable[str] | str | None,
                 extensions: bool) -> list[Column]:
    if extensions:
        return await extension_columns(tenant)
    if select is None:
        return []
    names = [select] if isinstance(select, str) else list(select)
    if all(n in USERS.known or n.startswith("extension_") or n == "id" for n in names):
        return []  # no friendly names to resolve: no need to ask for the attributes
    return await extension_columns(tenant)


class UsersAccessor:
    """Call it for the users frame; ``find``, ``apply`` and their ``*_async`` twins."""

    def __init__(self, tenant: TenantBase) -> None:
        self._tenant = tenant

    # -- the frame -------------------------------------------------------------------------
    def __call__(self, *, filter: str | Filter | None = None,
                 select: Iterable[str] | str | None = None, limit: int | None = None,
                 extensions: bool = True, progress: bool | None = None) -> pd.DataFrame:
        """The tenant's users as a DataFrame: ``id``, display name, sign-in names (the local
        email/user names, else the social provider), email, creation type, enabled, created,
        and every custom attribute under its friendly name (``extensions=False`` leaves them
        out). ``filter`` is an OData filter B2C accepts (checked before sending), ``select``
        the columns wanted (column names, friendly attribute names or any user property),
        ``limit`` the most rows wanted (a small limit is one request)."""
        return self._tenant._sync(self._list, "Users", progress, filter=filter, select=select,
                                  limit=limit, extensions=extensions)

    async def _list(self, bar: Progress | None, *, filter: str | Filter | None,
                    select: Iterable[str] | str | None, limit: int | None,
                    extensions: bool) -> pd.DataFrame:
        extra = await _extra(self._tenant, select, extensions)
        return await self._tenant._listing(bar, spec=USERS, select=select, filter=filter,
                                           limit=limit, extra=extra)

    # -- find-user -------------------------------------------------------------------------
    def find(self, identifier: str, *, select: Iterable[str] | str | None = None,
             extensions: bool = True) -> pd.DataFrame:
        """Users matching what the explorer's find box matches: a sign-in email or user name,
        a phone number (``+44 7700 900123``), an object id, a UPN or a display-name prefix
        (or say which: ``email:``, ``user:``, ``phone:``, ``id:``, ``upn:``, ``name:``)."""
        return self._tenant._sync(self._find, None, None, identifier=identifier,
                                  select=select, extensions=extensions)

    async def find_async(self, identifier: str, *, select: Iterable[str] | str | None = None,
                         extensions: bool = True) -> pd.DataFrame:
        """Async twin of :meth:`find`."""
        return await self._tenant._async(self._find, None, None, identifier=identifier,
                                         select=select, extensions=extensions)

    async def _find(self, _bar: Progress | None, *, identifier: str,
                    select: Iterable[str] | str | None, extensions: bool) -> pd.DataFrame:
        from ..graph.find_user import plan_user_search

        search = plan_user_search(identifier, self._tenant.connection.tenant)
        extra = await _extra(self._tenant, select, extensions)
        columns = visible(USERS.choose(select, extra))
        users = self._tenant.client.users
        pages = ChainedPages([users.list(q, top=None, prefetch=False)
                              for q in search.queries(select_for(columns))])
        rows = await collect(pages, columns, limit=None, progress=None)
        return rows.frame(USERS.dtypes)

    # -- writes ----------------------------------------------------------------------------
    def apply(self, frame: pd.DataFrame, *, dry_run: bool = True,
              progress: bool | None = None) -> ApplyReport:
        """Compare ``frame`` (an ``id`` column plus the columns to set, e.g. an edited copy of
        ``tenant.users()``) with the tenant: a missing cell leaves that property alone, an
        empty string clears it. With ``dry_run=True`` (the default) nothing is
        sent: the report says, per row, what would change (old → new) and which rows break a
        rule. With ``dry_run=False`` the valid rows are sent through ``$batch`` and the report
        has each row's outcome. Refused up front on a read-only tenant."""
        self._refuse_read_only(dry_run)
        return self._tenant._sync(self._apply, "Checking users", progress, unit="users",
                                  frame=frame, dry_run=dry_run)

    async def apply_async(self, frame: pd.DataFrame, *, dry_run: bool = True,
                          progress: bool | None = None) -> ApplyReport:
        """Async twin of :meth:`apply`."""
        self._refuse_read_only(dry_run)
        return await self._tenant._async(self._apply, "Checking users", progress,
                                         unit="users", frame=frame, dry_run=dry_run)

    def _refuse_read_only(self, dry_run: bool) -> None:
        if not dry_run and self._tenant.read_only:
            raise ReadOnlyError("Read-only mode: refusing to apply changes to users (nothing "
                                "was read or sent). dry_run=True shows what would change.")

    async def _apply(self, bar: Progress | None, *, frame: pd.DataFrame,
                     dry_run: bool) -> ApplyReport:
        extensions = await self._tenant._custom_attributes()
        connection = self._tenant.connection
        return await apply_frame(self._tenant.client, frame, extensions=extensions,
                                 issuer=connection.tenant, dry_run=dry_run, progress=bar,
                                 journal=None if dry_run else connection.journal())

    def __repr__(self) -> str:
        label = self._tenant.connection.label
        return f"<users of {label}: call it for a DataFrame; .find(), .apply()>"
