"""Directory families of :class:`~b2c_tui.api.Tenant`: users' authentication methods, deleted
items, audit entries and the tenant's quota (users themselves are :mod:`.users`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeAlias

import pandas as pd

from ..frames._values import aware_time
from ..frames.audit import AUDIT_COLUMNS, AUDIT_OPTIONAL_COLUMNS
from ..frames.auth_methods import USER_METHOD_COLUMNS, method_rows, user_method_record
from ..frames.columns import visible
from ..frames.deleted_items import DELETED_ITEM_COLUMNS, TYPE_PROPERTIES
from ..frames.organization import QUOTA_COLUMNS
from ..graph.batch import BatchRequest
from ..graph.errors import GraphError
from ..graph.query import Filter
from ..graph.resources.base import seg
from ..graph.resources.deleted_items import check_item_type
from .base import TenantBase
from .builder import FrameBuilder
from .frames import Listing, collect, records_frame
from .progress import Progress

AUTH_METHODS = Listing("Authentication methods", USER_METHOD_COLUMNS,
                       dtypes={"needsFix": "bool"})
DELETED = Listing("Deleted items", DELETED_ITEM_COLUMNS, resource="deletedItems", max_top=999,
                  server_select=True)
AUDIT = Listing("Audit entries", AUDIT_COLUMNS, AUDIT_OPTIONAL_COLUMNS,
                resource="directoryAudits", max_top=999, server_select=True,
                # Audit reads are throttled hard: a page is asked for only when wanted.
                pages=lambda c, query, _prefetch, **filters: c.audit.list(
                    query, prefetch=False, **filters))
QUOTA = Listing("Quota", QUOTA_COLUMNS, dtypes={"used": "Int64", "total": "Int64"})
#: What a deleted-items listing shows when no type is named.
DEFAULT_DELETED_TYPES = ("user", "application")
_SPECIFIC = frozenset(p for props in TYPE_PROPERTIES.values() for p in props)
_METHOD_KINDS = ("phoneMethods", "emailMethods", "softwareOathMethods")
#: Users whose methods are read per ``$batch`` round (three GETs each, 20 GETs a call).
_USERS_PER_ROUND = 20

Moment: TypeAlias = "datetime | date | str | None"
UserIds: TypeAlias = "str | Iterable[str] | pd.Series | pd.DataFrame"


def user_ids(users: UserIds) -> list[str]:
    """Object ids from an id, a list of ids, a Series, or a frame with an ``id`` column."""
    if isinstance(users, pd.DataFrame):
        if "id" not in users.columns:
            raise ValueError("The frame needs an 'id' column of user object ids.")
        users = users["id"]
    values: list[Any] = [users] if isinstance(users, str) else list(users)
    ids = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(ids))


class DirectoryMixin(TenantBase):
    """Authentication methods, deleted items, audit and quota."""

    # -- authentication methods ------------------------------------------------------------
    def auth_methods(self, users: UserIds, *, progress: bool | None = None) -> pd.DataFrame:
        """The phone, email and software OATH methods of one or many users (an id, ids, or a
        users frame), one row per method: ``userId``, ``kind``, ``type``, ``value``,
        ``needsFix`` (a phone number Graph stores without the space after the country code)
        and ``suggestedFix``. Read through ``$batch``; users that cannot be read are left out
        with a warning (an error when none can be read)."""
        return self._sync(self._auth_methods, "Auth methods", progress, unit="users",
                          users=users)

    async def auth_methods_async(self, users: UserIds, *,
                                 progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`auth_methods`."""
        return await self._async(self._auth_methods, "Auth methods", progress, unit="users",
                                 users=users)

    async def _auth_methods(self, bar: Progress | None, *, users: UserIds) -> pd.DataFrame:
        ids = user_ids(users)
        records: list[dict[str, Any]] = []
        failures: list[tuple[str, GraphError]] = []
        for start in range(0, len(ids), _USERS_PER_ROUND):
            chunk = ids[start:start + _USERS_PER_ROUND]
            requests = [BatchRequest("GET", f"/users/{seg(uid)}/authentication/{kind}")
                        for uid in chunk for kind in _METHOD_KINDS]
            answers = await self.client.core.batch(requests)
            for n, uid in enumerate(chunk):
                mine = answers[3 * n:3 * n + 3]
                bad = next((a for a in mine if not a.ok), None)
                if bad is not None and bad.error is not None:
                    failures.append((uid, bad.error))
                    continue
                phones, emails, oaths = (_values(a.body) for a in mine)
                records += [user_method_record(uid, row)
                            for row in method_rows(phones, emails, oaths)]
            if bar is not None:
                bar.add(len(chunk))
        if failures and len(failures) == len(ids):
            raise failures[0][1]
        if failures:
            uid, error = failures[0]
            warnings.warn(f"{len(failures)} of {len(ids)} users could not be read and are left "
                          f"out (first: {uid}: {error})", RuntimeWarning, stacklevel=2)
        return records_frame(records, AUTH_METHODS.columns, AUTH_METHODS.dtypes)

    # -- deleted items ---------------------------------------------------------------------
    def deleted_items(self, item_type: str | None = None, *, filter: str | Filter | None = None,
                      select: Iterable[str] | str | None = None, limit: int | None = None,
                      progress: bool | None = None) -> pd.DataFrame:
        """Deleted objects still restorable (30 days): users and applications, or one
        ``item_type`` (``user``, ``application``, ``servicePrincipal``, ``group``...). The
        ``type`` column says which; ``purgeAfter`` is when Graph deletes one for good."""
        return self._sync(self._deleted, "Deleted items", progress, item_type=item_type,
                          filter=filter, select=select, limit=limit)

    async def deleted_items_async(self, item_type: str | None = None, *,
                                  filter: str | Filter | None = None,
                                  select: Iterable[str] | str | None = None,
                                  limit: int | None = None,
                                  progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`deleted_items`."""
        return await self._async(self._deleted, "Deleted items", progress, item_type=item_type,
                                 filter=filter, select=select, limit=limit)

    async def _deleted(self, bar: Progress | None, *, item_type: str | None,
                       filter: str | Filter | None, select: Iterable[str] | str | None,
                       limit: int | None) -> pd.DataFrame:
        kinds = [check_item_type(item_type)] if item_type else list(DEFAULT_DELETED_TYPES)
        columns = visible(DELETED.choose(select))
        rows = FrameBuilder(columns)
        for kind in kinds:
            left = None if limit is None else limit - len(rows)
            if left is not None and left < 1:
                break
            # Graph refuses to $select a property the type does not have (appId of a user).
            foreign = _SPECIFIC - set(TYPE_PROPERTIES.get(kind, ()))
            mine = [c for c in columns if not foreign & set(c.properties)]
            query, prefetch = DELETED.query(mine, filter, left)
            pages = self.client.deleted_items.list(kind, query, prefetch=prefetch)
            await collect(pages, columns, limit=limit, progress=bar, into=rows,
                          prepare=_typed(kind))
        return rows.frame(DELETED.dtypes)

    # -- audit -----------------------------------------------------------------------------
    def audit(self, *, since: Moment = None, until: Moment = None,
              category: str | None = None, result: str | None = None,
              activity: str | None = None, service: str | None = None,
              filter: str | Filter | None = None, select: Iterable[str] | str | None = None,
              limit: int | None = None, newest_first: bool = True,
              progress: bool | None = None) -> pd.DataFrame:
        """Directory audit entries, newest first: ``since``/``until`` bound the time (a
        datetime, a date or ISO text such as ``"2026-01-31"``; naive times are UTC);
        ``category`` (``UserManagement``...), ``result`` (``success``, ``failure``),
        ``activity`` (``Add user``...) and ``service`` (``B2C``, ``Core Directory``) narrow
        them in Graph. Audit reads are throttled hard (5 per 10 s), so pages
        are fetched one at a time and ``limit`` is worth giving."""
        return self._sync(self._audit, "Audit", progress, since=since, until=until,
                          category=category, result=result, activity=activity, service=service,
                          filter=filter, select=select, limit=limit, newest_first=newest_first)

    async def audit_async(self, *, since: Moment = None, until: Moment = None,
                          category: str | None = None,
                          result: str | None = None, activity: str | None = None,
                          service: str | None = None, filter: str | Filter | None = None,
                          select: Iterable[str] | str | None = None, limit: int | None = None,
                          newest_first: bool = True,
                          progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`audit`."""
        return await self._async(self._audit, "Audit", progress, since=since, until=until,
                                 category=category, result=result, activity=activity,
                                 service=service, filter=filter, select=select, limit=limit,
                                 newest_first=newest_first)

    async def _audit(self, bar: Progress | None, *, since: Moment, until: Moment,
                     category: str | None, result: str | None,
                     activity: str | None, service: str | None, filter: str | Filter | None,
                     select: Iterable[str] | str | None, limit: int | None,
                     newest_first: bool) -> pd.DataFrame:
        return await self._listing(
            bar, spec=AUDIT, select=select, filter=filter, limit=limit,
            newest_first=newest_first, since=_moment(since, "since"),
            until=_moment(until, "until"), category=category, result=result, activity=activity,
            logged_by_service=service)

    # -- quota -----------------------------------------------------------------------------
    def quota(self) -> pd.DataFrame:
        """The directory quota as one row: objects ``used``, the ``total`` allowed and
        ``usedPercent``, with the tenant's name, type and id."""
        return self._sync(self._quota, None, None)

    async def quota_async(self) -> pd.DataFrame:
        """Async twin of :meth:`quota`."""
        return await self._async(self._quota, None, None)

    async def _quota(self, _bar: Progress | None) -> pd.DataFrame:
        record = await self.client.organization.current(
            select=["id", "displayName", "tenantType", "directorySizeQuota"], version="beta")
        return records_frame([record] if record else [], QUOTA.columns, QUOTA.dtypes)


def _moment(value: Moment, name: str) -> datetime | date | None:
    """``value`` as a datetime or date (ISO text parsed), for the audit filter."""
    if value is None or isinstance(value, (datetime, date)):
        return value
    moment = aware_time(str(value))
    if moment is None:
        raise ValueError(f"{name} must be a date or time such as 2026-01-31 or "
                         f"2026-01-31T08:00:00Z, not {value!r}")
    return moment


def _typed(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda record: {**record, "type": kind}


def _values(body: Any) -> list[dict[str, Any]]:
    items = body.get("value") if isinstance(body, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
