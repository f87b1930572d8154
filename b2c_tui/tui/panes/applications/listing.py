"""What the applications list shows and how one page of it is made: the apps (Graph filters
them by name prefix or client id), then, for the whole page, their service principals in one
``$batch`` and the delegated permission grants (listed once per listing) joined to them.

A page is :data:`PAGE_SIZE` apps, the most one ``$batch`` holds, so each page costs one list
request and one batch however many apps the tenant has.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from ....frames.applications import first_expiry, redirect_uris
from ....frames.columns import Column
from ....graph.batch import MAX_BATCH
from ....graph.client import GraphClient
from ....graph.paging import ChainedPages, PageIterator
from ....graph.query import format_literal
from ...kit.spec import JOINED
from .credentials import summary

#: Apps a page: one ``$batch`` joins a whole page.
PAGE_SIZE = MAX_BATCH
SP = JOINED + "servicePrincipal"
GRANTS = JOINED + "grants"
#: What the list needs of a service principal.
SP_SELECT = ("id", "appId", "displayName", "accountEnabled", "servicePrincipalType",
             "appOwnerOrganizationId")
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
FILTER_NOTE = "name prefix, or a client or object id, then Enter (Graph filters)"

#: signInAudience as the B2C portal words it.
AUDIENCES = {
    "AzureADandPersonalMicrosoftAccount": "Any IdP or org (user flows)",
    "AzureADMyOrg": "This directory only",
    "AzureADMultipleOrgs": "Any organization",
    "PersonalMicrosoftAccount": "Personal MS accounts",
}


def audience(record: Mapping[str, Any]) -> str | None:
    value = record.get("signInAudience")
    return AUDIENCES.get(str(value), value) if value else None


def platforms(record: Mapping[str, Any]) -> str | None:
    """``web, spa, mobile`` (the platforms with redirect URIs), ``api`` when it exposes
    scopes."""
    names = [label for prop, label in (("web", "web"), ("spa", "spa"), ("publicClient", "mobile"))
             if (record.get(prop) or {}).get("redirectUris")]
    if ((record.get("api") or {}).get("oauth2PermissionScopes")):
        names.append("api")
    return ", ".join(names) or None


def principal_state(record: Mapping[str, Any]) -> str:
    sp = record.get(SP)
    if not isinstance(sp, Mapping):
        return "none"
    return "enabled" if sp.get("accountEnabled", True) else "disabled"


def granted(record: Mapping[str, Any]) -> str | None:
    scopes = dict.fromkeys(s for g in record.get(GRANTS) or () for s in
                           str(g.get("scope") or "").split())
    return " ".join(scopes) or None


def columns(now: datetime) -> tuple[Column, ...]:
    """The list's columns; the credentials' marks are relative to ``now`` (the tenant's)."""
    return (
        Column("displayName", "Name", width=28),
        Column("credentials", "Secrets / certificates",
               select=("passwordCredentials", "keyCredentials"),
               get=lambda r: summary(r, now), width=26),
        Column("servicePrincipal", "Principal", select=("appId",), get=principal_state,
               width=9),
        Column("grants", "Granted", select=("appId",), get=granted, width=22),
        Column("audience", "Audience", select=("signInAudience",), get=audience, width=20),
        Column("platforms", "Platforms", select=("web", "spa", "publicClient", "api"),
               get=platforms, width=12),
        Column("redirectUris", "Redirect URIs", select=("web", "spa", "publicClient"),
               get=redirect_uris, width=34),
        Column("secretsExpire", "Secret expires", select=("passwordCredentials",),
               get=first_expiry("passwordCredentials"), kind="datetime", width=16),
        Column("appId", "Client id", width=36),
        Column("createdDateTime", "Created", kind="datetime", width=16),
        Column("id", "Object id", width=36),
    )


def list_apps(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    """Every app, or the ones whose name starts with ``text`` (a GUID: by client or object
    id), :data:`PAGE_SIZE` a page."""
    apps = client.applications
    if not text:
        return apps.list(select=select, top=PAGE_SIZE)
    if GUID.fullmatch(text.strip()):
        key = format_literal(text.strip())
        return ChainedPages([apps.list({"$filter": f"{prop} eq {key}"}, select=select,  # type: ignore[return-value]
                                       top=PAGE_SIZE) for prop in ("appId", "id")])
    return apps.list({"$filter": f"startswith(displayName,{format_literal(text)})"},
                     select=select, top=PAGE_SIZE)


def join_principals(client: GraphClient) -> Callable[[list[dict[str, Any]]], Awaitable[None]]:
    """The page join: each app's service principal (one ``$batch`` a page) and its grants
    (the tenant's grants are listed once per listing, alongside the first batch)."""
    grants: asyncio.Future[list[dict[str, Any]]] | None = None
    by_client: dict[str, list[dict[str, Any]]] | None = None  # the grants by client, once

    async def join(records: list[dict[str, Any]]) -> None:
        nonlocal grants, by_client
        if grants is None:
            grants = asyncio.ensure_future(
                client.applications.list_permission_grants().collect())
            # Its error is raised where it is awaited; if the batch failed first, it is not
            # reported again as "never retrieved".
            grants.add_done_callback(lambda f: f.cancelled() or f.exception())
        found = await client.applications.service_principals_of(
            [str(r.get("appId")) for r in records], select=SP_SELECT)
        if by_client is None:
            every, by_client = await grants, {}
            for grant in every:
                by_client.setdefault(str(grant.get("clientId")), []).append(grant)
        for record, sp in zip(records, found, strict=True):
            record[SP] = sp
            record[GRANTS] = by_client.get(str(sp.get("id")), []) if sp else []

    return join
