"""Users: list, get, create, update, delete (one or many through ``$batch``), find by sign-in.

Endpoints: ``/users`` (v1.0). B2C local accounts carry their sign-in names in ``identities``;
finding one by sign-in name needs both ``issuer`` and ``issuerAssignedId`` in the filter.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, overload

from ..batch import BatchRequest, BatchResult
from ..errors import NotFoundError
from ..paging import PageIterator
from ._query import QueryArg, to_params
from .base import ResourceAPI, mutating, seg

if TYPE_CHECKING:
    from ..parallel import RequestBudget

USERS_MAX_TOP = 999

# What an admin needs to see of a B2C user; several of these are returned only when selected.
USER_SELECT = (
    "id", "displayName", "givenName", "surname", "userPrincipalName", "mail", "otherMails",
    "identities", "creationType", "accountEnabled", "createdDateTime", "userType",
)


class UsersAPI(ResourceAPI):
    """``/users``."""

    _issuer: str | None = None

    def list(self, query: QueryArg = None, *, select: Iterable[str] | None = None,
             top: int | None = USERS_MAX_TOP, prefetch: bool = True) -> PageIterator:
        """Pages of users, 999 a page unless ``top`` (or the query) says otherwise."""
        given = to_params(query)
        return self._list("/users", given, select=select, prefetch=prefetch,
                          top=None if "$top" in given else top)

    async def get(self, user_id: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        """One user by object id or userPrincipalName."""
        return await self._get(f"/users/{seg(user_id)}", select=select)

    @mutating
    async def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a user; for a B2C local account build ``body`` with
        :func:`b2c_tui.graph.validation.build_local_account`."""
        return await self._send("POST", "/users", dict(body))

    @mutating
    async def update(self, user_id: str, patch: Mapping[str, Any]) -> None:
        """PATCH the given properties (204 No Content)."""
        await self._core.send_json("PATCH", f"/users/{seg(user_id)}", dict(patch))

    @mutating
    async def delete(self, user_id: str) -> None:
        """Delete a user (it goes to deleted items for 30 days)."""
        await self._core.request("DELETE", f"/users/{seg(user_id)}")

    @mutating
    async def delete_many(self, user_ids: Iterable[str]) -> builtins.list[BatchResult]:
        """Delete several users through ``$batch``; one result per id, in order."""
        requests = [BatchRequest("DELETE", f"/users/{seg(uid)}") for uid in user_ids]
        return await self._core.batch(requests)

    @overload
    async def find_by_sign_in_name(
        self, sign_in_name: str, /, *, issuer: str | None = None,
        select: Iterable[str] | None = None,
    ) -> dict[str, Any] | None: ...

    @overload
    async def find_by_sign_in_name(
        self, issuer: str, issuer_assigned_id: str, /, *, select: Iterable[str] | None = None
    ) -> builtins.list[dict[str, Any]]: ...

    async def find_by_sign_in_name(
        self,
        first: str,
        issuer_assigned_id: str | None = None,
        /,
        *,
        issuer: str | None = None,
        select: Iterable[str] | None = None,
    ) -> dict[str, Any] | builtins.list[dict[str, Any]] | None:
        """The user who signs in as ``sign_in_name`` (an email, username or phone), or
        ``None``: ``find_by_sign_in_name("ada@example.com")``.

        Use it after :class:`~b2c_tui.graph.errors.OutcomeUnknownError` to learn whether a
        create went through. ``issuer`` defaults to the tenant's initial domain (asked of
        ``/organization`` once); B2C needs one in the filter although it ignores it for email
        and username sign-ins.

        The older two-argument form ``find_by_sign_in_name(issuer, issuer_assigned_id)``
        returns the list of matching users.
        """
        if issuer_assigned_id is not None:
            return await self._find_identities(first, issuer_assigned_id, select)
        found = await self._find_identities(issuer or await self.local_issuer(), first, select)
        return found[0] if found else None

    async def local_issuer(self) -> str:
        """The issuer of local accounts' identities: the tenant's initial domain
        (``contoso.onmicrosoft.com``), from ``/organization``; asked once per client."""
        if self._issuer is None:
            from .organization import ORGANIZATION

            records = await self._core.pages(
                ORGANIZATION, params={"$select": "verifiedDomains"}, prefetch=False
            ).collect(1)
            domains = records[0].get("verifiedDomains") or [] if records else []
            initial = next((d.get("name") for d in domains if d.get("isInitial")), None)
            if not initial:
                raise NotFoundError("The tenant reports no initial domain to use as issuer",
                                    code="NoInitialDomain")
            self._issuer = str(initial)
        return self._issuer

    async def _find_identities(
        self, issuer: str, issuer_assigned_id: str, select: Iterable[str] | None
    ) -> builtins.list[dict[str, Any]]:
        from ..query import F, Query

        query = Query().filter(F.identity(issuer=issuer, issuer_assigned_id=issuer_assigned_id))
        if select:
            query = query.select(*select)
        return await self.list(query, top=None, prefetch=False).collect()

    def list_parallel(
        self,
        *,
        select: Iterable[str] = USER_SELECT,
        top: int = USERS_MAX_TOP,
        concurrency: int = 8,
        budget: RequestBudget | None = None,
    ) -> AsyncIterator[builtins.list[dict[str, Any]]]:
        """Opt-in fast listing: partitions users by the first character of their UPN and pages
        the partitions concurrently (see :mod:`b2c_tui.graph.parallel`). Order differs from
        :meth:`list`; the set of users is the same."""
        from ..parallel import list_users_parallel

        return list_users_parallel(
            self._core, select=tuple(select), top=top, concurrency=concurrency, budget=budget
        )
