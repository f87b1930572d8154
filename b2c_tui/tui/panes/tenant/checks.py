"""What the tenant dashboard asks Graph, and what it makes of the answers (no Textual here).

Quota
    ``directorySizeQuota`` (beta ``/organization?$select=directorySizeQuota``): objects used of
    the total. The warning levels are Microsoft's: the B2C guide "Manage directory size quota
    of your Azure AD B2C tenant" (learn.microsoft.com/azure/active-directory-b2c/
    tenant-management-directory-quota) says that above 80% you should remove inactive users or
    ask for a bigger quota, its earlier revision said to alert above 90%, and at 100% the
    directory refuses to create objects.
Object counts
    B2C refuses ``$count``, so each kind is counted by listing it the cheapest way Graph allows
    (only ``$select=id`` and ``$top=999`` where the operation documents them), page by page;
    pages are decoded in a thread and the running count is reported after each page.
Health
    Policy keys expired or expiring within 30 days (:func:`~b2c_tui.policies.keys.
    load_key_report`), application secrets and certificates expired or expiring within 30 days,
    the last 24 hours' audit failures by activity, the ``b2c-extensions-app`` (without it
    extension attributes cannot be stored), deleted users purged within 7 days (Graph keeps
    deleted users 30 days). Each finding names the pane that fixes it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from ....audit.schema import parse_time

if TYPE_CHECKING:
    from ....graph.client import GraphClient
    from ....graph.core import GraphCore

#: (share of the quota, level): Microsoft's guidance, see the module docs.
QUOTA_LEVELS = ((1.0, "full"), (0.9, "alert"), (0.8, "warning"))
EXPIRY_DAYS = 30
PURGE_DAYS = 7
DELETED_KEPT_DAYS = 30
AUDIT_HOURS = 24
EXTENSIONS_APP = "b2c-extensions-app"
OK, WARNING, ERROR = "ok", "warning", "error"


def quota_level(used: int, total: int) -> str:
    """``ok``, ``warning`` (80%), ``alert`` (90%) or ``full`` for ``used`` of ``total``."""
    if total <= 0:
        return "ok"
    share = used / total
    return next((level for limit, level in QUOTA_LEVELS if share >= limit), "ok")


# -- counts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CountSource:
    """One kind of object: its names (``short`` where the screen is narrow) and how to list
    it cheaply."""

    key: str
    label: str
    short: str
    path: str
    version: str | None
    params: tuple[tuple[str, str], ...] = ()


COUNTS: tuple[CountSource, ...] = (
    CountSource("users", "Users", "Users", "/users", None,
                (("$select", "id"), ("$top", "999"))),
    CountSource("applications", "Applications", "Apps", "/applications", None,
                (("$select", "id"), ("$top", "999"))),
    CountSource("policies", "Custom policies", "Policies", "/trustFramework/policies", "beta",
                (("$select", "id"),)),
    CountSource("keysets", "Policy keysets", "Keysets", "/trustFramework/keySets", "beta"),
    CountSource("identity_providers", "Identity providers", "IdPs",
                "/identity/identityProviders", None),
    CountSource("user_flows", "User flows", "User flows", "/identity/b2cUserFlows", "beta"),
)


def _count_page(content: bytes) -> tuple[int, str | None]:
    body = orjson.loads(content) if content else {}
    if not isinstance(body, dict):
        return 0, None
    items = body.get("value")
    link = body.get("@odata.nextLink")
    return (len(items) if isinstance(items, list) else 0), (link if isinstance(link, str)
                                                             else None)


@dataclass
class CountProgress:
    """Where a count stands: objects counted so far and the next page to ask for (``None``
    once done); a count stopped part way goes on from here."""

    total: int = 0
    next_url: str | None = None
    started: bool = False

    @property
    def done(self) -> bool:
        return self.started and self.next_url is None


async def count_objects(core: GraphCore, source: CountSource,
                        progress: Callable[[int, bool], None],
                        state: CountProgress | None = None) -> int:
    """How many objects of ``source`` the tenant has: every page listed, each decoded in a
    thread; ``progress(count so far, done)`` after each page. ``state`` (kept by the caller)
    lets a count that was stopped go on from the page it had reached."""
    state = state if state is not None else CountProgress()
    if not state.started:
        state.next_url = core.url(source.path, version=source.version,
                                  params=dict(source.params))
        state.started = True
    while state.next_url is not None:
        response = await core.request("GET", state.next_url)
        count, link = await asyncio.to_thread(_count_page, response.content)
        state.total += count
        state.next_url = link
        progress(state.total, link is None)
    return state.total


# -- health -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One health line: how bad, what, and where to fix it (``pane``; ``filter``: the text
    that pane's ``/`` should show, if any)."""

    severity: str
    text: str
    pane: str
    filter: str = ""


def _days_until(when: datetime, now: datetime) -> int:
    return int((when - now).total_seconds() // 86_400)


async def key_findings(client: GraphClient, now: datetime) -> list[Finding]:
    """Policy keys expired, expiring within 30 days, or keysets with no usable key."""
    from ....policies.keys import load_key_report

    report = await load_key_report(client, now=now, warn_days=EXPIRY_DAYS)
    rows = {(r.keyset_id, r.kid): r for r in report.rows}
    found: list[Finding] = []
    for problem in report.problems:
        row = rows.get((problem.keyset_id, problem.kid))
        when = f"{row.exp:%Y-%m-%d}" if row is not None and row.exp is not None else "?"
        if problem.rule == "keyset-no-active-key":
            found.append(Finding(ERROR, f"{problem.keyset_id}: no usable key (none is valid "
                                        "now); sign-ins that need it fail.", "keysets"))
        elif problem.rule == "key-expiring":
            days = max(0, row.days_to_expiry or 0) if row is not None else "?"
            found.append(Finding(WARNING, f"{problem.keyset_id}: its key expires in {days} "
                                          f"day(s) ({when}); no successor lined up.",
                                 "keysets"))
        elif problem.rule == "key-expired":
            found.append(Finding(WARNING, f"{problem.keyset_id}: a key that expired on {when} "
                                          "is still in it.", "keysets"))
    if not found:
        found.append(Finding(OK, f"Policy keys: {len(report.keysets)} keysets, none expired "
                                 f"or expiring within {EXPIRY_DAYS} days.", "keysets"))
    return found


async def credential_findings(client: GraphClient, now: datetime) -> list[Finding]:
    """Application secrets and certificates expired or expiring within 30 days (their names
    and dates only: a secret's hint is never read)."""
    records = await client.applications.list(
        select=["id", "appId", "displayName", "passwordCredentials", "keyCredentials"],
        top=999, prefetch=False).collect()
    found: list[Finding] = []
    soon = now + timedelta(days=EXPIRY_DAYS)
    for app in records:
        name = str(app.get("displayName") or app.get("appId") or app.get("id"))
        for kind, creds in (("secret", app.get("passwordCredentials")),
                            ("certificate", app.get("keyCredentials"))):
            for cred in creds or []:
                if not isinstance(cred, Mapping):
                    continue
                ends = parse_time(cred.get("endDateTime"))
                if ends is None or ends > soon:
                    continue
                label = str(cred.get("displayName") or cred.get("keyId") or kind)
                days = _days_until(ends, now)
                when = f"{ends:%Y-%m-%d}"
                if ends <= now:
                    found.append(Finding(ERROR, f"{name}: {kind} {label!r} expired "
                                                f"{-days} day(s) ago ({when}).", "applications"))
                else:
                    found.append(Finding(WARNING, f"{name}: {kind} {label!r} expires in "
                                                  f"{days} day(s) ({when}).", "applications"))
    found.sort(key=lambda f: (f.severity != ERROR, f.text.lower()))
    if not found:
        found.append(Finding(OK, f"Application credentials: none of {len(records)} apps has a "
                                 f"secret or certificate expiring within {EXPIRY_DAYS} days.",
                             "applications"))
    return found


async def audit_failures(client: GraphClient, now: datetime) -> list[Finding]:
    """The last 24 hours' failed audit entries, counted by activity (most first)."""
    since = now - timedelta(hours=AUDIT_HOURS)
    counts: Counter[str] = Counter()
    pages = client.audit.list(since=since, result="failure", top=999,
                              select=["id", "activityDisplayName"])
    async for page in pages:
        counts.update(str(e.get("activityDisplayName") or "(no activity name)")
                      for e in page.items)
    if not counts:
        return [Finding(OK, f"Audit log: no failures in the last {AUDIT_HOURS} hours.", "audit",
                        f"result:failure since:{AUDIT_HOURS}h")]
    total = sum(counts.values())
    severity = WARNING
    found = [Finding(severity, f"  {n:,} × {activity}", "audit",
                     f"result:failure since:{AUDIT_HOURS}h activity:{_quoted(activity)}")
             for activity, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    found.insert(0, Finding(severity, f"Audit log: {total:,} failures in the last "
                                      f"{AUDIT_HOURS} hours, by activity:", "audit",
                            f"result:failure since:{AUDIT_HOURS}h"))
    return found


def _quoted(value: str) -> str:
    import shlex

    return shlex.quote(value) if any(c.isspace() or c in "'\"" for c in value) else value


async def extensions_app_finding(client: GraphClient, now: datetime) -> list[Finding]:
    """Whether the ``b2c-extensions-app`` is there (B2C stores extension attributes on it)."""
    del now
    records = await client.applications.list(
        {"$filter": f"startswith(displayName,'{EXTENSIONS_APP}')"},
        select=["id", "appId", "displayName"], prefetch=False).collect()
    app = next((r for r in records
                if str(r.get("displayName", "")).lower().startswith(EXTENSIONS_APP)), None)
    if app is None:
        return [Finding(ERROR, f"The {EXTENSIONS_APP} is missing: custom (extension) "
                               "attributes cannot be stored or read. Restore it from deleted "
                               "items, or ask Microsoft support.", "applications")]
    return [Finding(OK, f"The {EXTENSIONS_APP} is present (client id {app.get('appId')}).",
                    "applications")]


async def purge_findings(client: GraphClient, now: datetime) -> list[Finding]:
    """Deleted users Graph purges for good within 7 days (30 days after their deletion)."""
    records = await client.deleted_items.list(
        "user", select=["id", "displayName", "userPrincipalName", "deletedDateTime"],
        top=999, prefetch=False).collect()
    found: list[tuple[datetime, Finding]] = []
    for user in records:
        deleted = parse_time(user.get("deletedDateTime"))
        if deleted is None:
            continue
        purge = deleted + timedelta(days=DELETED_KEPT_DAYS)
        if purge - now <= timedelta(days=PURGE_DAYS):
            name = str(user.get("displayName") or user.get("userPrincipalName") or user["id"])
            days = max(0, _days_until(purge, now))
            found.append((purge, Finding(WARNING, f"Deleted user {name} is purged for good in "
                                                  f"{days} day(s) ({purge:%Y-%m-%d}); restore "
                                                  "it before then if needed.", "deleted")))
    if not found:
        return [Finding(OK, f"Deleted users: {len(records)} restorable, none purged within "
                            f"{PURGE_DAYS} days.", "deleted")]
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class HealthCheck:
    """One piece of the health list: its title and how it is found."""

    key: str
    title: str
    run: Callable[[GraphClient, datetime], Any]


HEALTH: tuple[HealthCheck, ...] = (
    HealthCheck("keys", "Policy keys", key_findings),
    HealthCheck("credentials", "Application secrets and certificates", credential_findings),
    HealthCheck("audit", "Audit failures (last 24 hours)", audit_failures),
    HealthCheck("extensions", EXTENSIONS_APP, extensions_app_finding),
    HealthCheck("deleted", "Deleted users", purge_findings),
)
