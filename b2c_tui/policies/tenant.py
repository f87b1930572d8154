"""Reading what the policy tools need from a tenant over Graph (reads only: writes live in
:mod:`.upload`).

Policy documents are fetched a few at a time (the list gives ids only, each document is one
``GET .../$value``) and parsed in a worker thread, so an event loop driving this stays free.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..graph.errors import AuthorizationError, GraphError, NotFoundError
from .model import Policy
from .parser import parse_policy
from .xmlsafe import PolicyParseError

if TYPE_CHECKING:
    from ..graph.client import GraphClient

log = logging.getLogger(__name__)

#: documents fetched at once (B2C's policy API is not a bulk API; a few in flight is polite)
FETCH_CONCURRENCY = 4
IEF_APPS = ("IdentityExperienceFramework", "ProxyIdentityExperienceFramework")
EXTENSIONS_APP_PREFIX = "b2c-extensions-app"
TENANT_SOURCE = "tenant"


@dataclass(frozen=True)
class TenantContext:
    """The tenant as policies name it, and the built-in placeholder values."""

    domain: str  # the initial *.onmicrosoft.com name policies carry in TenantId
    tenant_id: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)


async def tenant_context(client: GraphClient, fallback: str) -> TenantContext:
    """The tenant's initial domain and id (``/organization``), and the app ids of its
    IdentityExperienceFramework apps and b2c-extensions-app when they are readable.
    ``fallback`` (the profile's tenant) is used when the organization cannot be read."""
    domain, tenant_id = fallback, None
    try:
        org = await client.organization.current(select=["id", "verifiedDomains"])
    except GraphError as exc:
        log.info("organization not readable (%s); using %s", exc.status, fallback)
        org = {}
    domains = [d for d in org.get("verifiedDomains") or [] if isinstance(d, dict)]
    initial = next((d.get("name") for d in domains if d.get("isInitial")), None)
    domain = str(initial or domain)
    tenant_id = org.get("id") or None
    defaults: dict[str, str] = {"Tenant": domain}
    if tenant_id:
        defaults["TenantId"] = str(tenant_id)
    defaults.update(await _app_ids(client))
    return TenantContext(domain, tenant_id, defaults)


async def _app_ids(client: GraphClient) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for name in IEF_APPS:
            apps = await client.applications.list(
                {"$filter": f"displayName eq '{name}'"}, select=["id", "appId", "displayName"],
                prefetch=False).collect(1)
            if apps and apps[0].get("appId"):
                out[f"{name}AppId"] = str(apps[0]["appId"])
        ext = await client.applications.list(
            {"$filter": f"startswith(displayName,'{EXTENSIONS_APP_PREFIX}')"},
            select=["id", "appId", "displayName"], prefetch=False).collect(1)
        if ext:
            out["ExtAppId"] = str(ext[0].get("appId") or "")
            out["ExtObjectId"] = str(ext[0].get("id") or "")
    except GraphError as exc:  # not allowed to read apps: the settings file must say
        log.info("app registrations not readable (%s)", exc.status)
    return {k: v for k, v in out.items() if v}


async def list_policy_ids(client: GraphClient) -> list[str]:
    """Every custom policy id of the tenant, as Graph lists them."""
    records = await client.policies.list(prefetch=False).collect()
    return [str(r["id"]) for r in records if r.get("id")]


async def fetch_documents(client: GraphClient, policy_ids: Iterable[str], *,
                          missing_ok: bool = False) -> dict[str, str]:
    """``{id: XML}`` for ``policy_ids`` (in the order given), a few requests at a time.
    With ``missing_ok`` a policy that is gone (404) is left out instead of raising."""
    ids = list(dict.fromkeys(policy_ids))
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)
    results: dict[str, str | None] = {}

    async def one(policy_id: str) -> None:
        async with limit:
            try:
                results[policy_id] = await client.policies.get_xml(policy_id)
            except NotFoundError:
                if not missing_ok:
                    raise
                results[policy_id] = None

    await asyncio.gather(*(one(i) for i in ids))
    return {i: text for i in ids if (text := results.get(i)) is not None}


def parse_documents(documents: dict[str, str], source: str = TENANT_SOURCE
                    ) -> tuple[list[Policy], list[PolicyParseError]]:
    """Parse fetched documents (call it in a thread: see :func:`fetch_policies`)."""
    policies: list[Policy] = []
    errors: list[PolicyParseError] = []
    for policy_id, text in documents.items():
        try:
            policies.append(parse_policy(text, f"{source}:{policy_id}"))
        except PolicyParseError as exc:
            errors.append(exc)
    return policies, errors


async def fetch_policies(client: GraphClient, policy_ids: Iterable[str] | None = None
                         ) -> tuple[list[Policy], list[PolicyParseError]]:
    """The tenant's policies (all, or ``policy_ids``), parsed off the event loop. A document
    the tenant holds that does not parse comes back as an error, not an exception."""
    ids = await list_policy_ids(client) if policy_ids is None else list(policy_ids)
    documents = await fetch_documents(client, ids, missing_ok=policy_ids is not None)
    return await asyncio.to_thread(parse_documents, documents)


async def fetch_bases(client: GraphClient, policies: Iterable[Policy],
                      tenant_ids: Iterable[str]) -> list[Policy]:
    """The tenant policies the given ones inherit from but do not include (transitively), so
    their chains can be followed to the root."""
    have = {p.key for p in policies}
    in_tenant = {i.lower(): i for i in tenant_ids}
    wanted = {p.base_policy_id.lower() for p in policies if p.base_policy_id} - have
    out: list[Policy] = []
    while wanted:
        ids = [in_tenant[w] for w in wanted if w in in_tenant]
        have |= wanted
        if not ids:
            break
        fetched, _errors = await fetch_policies(client, ids)
        out.extend(fetched)
        wanted = {p.base_policy_id.lower() for p in fetched if p.base_policy_id} - have
    return out


async def list_keyset_ids(client: GraphClient) -> list[str] | None:
    """The tenant's keyset ids, or ``None`` when this sign-in may not read keysets."""
    try:
        records: list[dict[str, Any]] = await client.keysets.list(prefetch=False).collect()
    except AuthorizationError:
        return None
    return [str(r["id"]) for r in records if r.get("id")]
