"""A demo tenant with an audit history made to order: entries over several days, several
categories, failures, initiators that are users and apps, B2C policies and applications.

Entries are added through the demo log's ``append`` and kept within the seven days a B2C tenant
serves, so the tests hold whether or not the demo tenant applies that window itself; what the
tenant serves is read back through Graph, never from the demo's internals."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from b2c_tui.connection import Connection, open_demo
from b2c_tui.emulator.clock import ManualClock

try:  # where the demo tenant keeps its audit log (it moved with the emulator's packages)
    from b2c_tui.emulator.directory.audit_log import target  # type: ignore[import-not-found]
except ImportError:
    from b2c_tui.emulator.audit_log import target

START = datetime(2025, 3, 1, 0, 0, tzinfo=UTC)
POLICIES = ["B2C_1A_signup_signin", "B2C_1A_PasswordReset", "B2C_1_profile_edit"]
APPS = ["11111111-aaaa-4aaa-8aaa-111111111111", "22222222-bbbb-4bbb-8bbb-222222222222"]
ADMIN = {"id": "aaaaaaaa-0000-4000-8000-000000000001", "displayName": "Ada Admin",
         "userPrincipalName": "ada@contoso.onmicrosoft.com", "ipAddress": "10.0.0.1"}
WEIRD = "Mallory \x1b]0;pwned\x07 \x9b31m"


def add_entries(connection: Connection, count: int, *, start: datetime, days: int,
                seed: int = 7) -> list[dict[str, Any]]:
    """Append ``count`` entries spread over ``days`` days from ``start``, in time order (the
    demo lists in the order entries were added); moves the tenant's clock to the last one."""
    log = connection.emulator.store.audit_log
    rng = random.Random(seed)
    stamps = sorted(start + timedelta(seconds=rng.randrange(days * 86400))
                    for _ in range(count))
    added = []
    for n, when in enumerate(stamps):
        roll = rng.random()
        policy, app = rng.choice(POLICIES), rng.choice(APPS)
        user = target(f"u-{n:06d}", WEIRD if n % 97 == 0 else f"User {n}", "User")
        if roll < 0.5:
            entry = log.append(
                when, "Issue an id_token to the application", "Authorization",
                targets=[user], service="B2C",
                initiated_by={"app": {"appId": app, "displayName": "Contoso web"}, "user": None},
                additional=[{"key": "PolicyId", "value": policy},
                            {"key": "ApplicationId", "value": app}])
        elif roll < 0.7:
            entry = log.append(
                when, "Validate user credentials", "Authentication", targets=[user],
                result="failure", result_reason="The password entered is incorrect.",
                service="B2C", initiated_by={"app": {"appId": app, "displayName": "Contoso web"},
                                             "user": None},
                additional=[{"key": "PolicyId", "value": policy}])
        elif roll < 0.85:
            entry = log.append(
                when, "Update user", "UserManagement", targets=[user],
                initiated_by={"app": None, "user": ADMIN})
        else:
            entry = log.append(
                when, "Add key", "Key",
                targets=[target(policy, policy, "Policy")],
                initiated_by={"app": None, "user": ADMIN}, service="B2C")
        added.append(entry)
    clock = connection.emulator.store.clock
    if isinstance(clock, ManualClock) and stamps:
        clock.set(max(clock(), stamps[-1] + timedelta(seconds=1)))
    return added


def tenant(clock_start: datetime = START, users: int = 200) -> Connection:
    """A small demo tenant on a manual clock (its seeded history lies before ``clock_start``)."""
    return open_demo(users=users, throttling=False, clock=ManualClock(clock_start))


def drop_before(connection: Connection, cutoff: datetime) -> None:
    """What a B2C tenant's retention does: forget entries older than ``cutoff``. A demo log
    that serves a window of its own (``window_start``) needs nothing done."""
    log = connection.emulator.store.audit_log
    if hasattr(log, "window_start"):
        return
    keep = [e for e in log.entries
            if e["activityDateTime"] >= cutoff.strftime("%Y-%m-%dT%H:%M:%S")]
    log.entries[:] = keep
    log._by_id = {e["id"].lower(): e for e in keep}


def served(connection: Connection) -> list[dict[str, Any]]:
    """Every entry the tenant serves now, through Graph."""
    import asyncio

    return asyncio.run(connection.client.audit.list(top=999).collect())


def served_ids(connection: Connection) -> set[str]:
    return {e["id"] for e in served(connection)}
