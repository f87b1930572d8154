"""History of the demo tenant: seeded deleted users and a plausible audit trail.

Runs once at store creation, touches only a handful of objects (bounded, whatever the tenant
size) and is deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from .audit_log import target

if TYPE_CHECKING:
    from ..store import Store

B2C_APP = {
    "appId": "00000000-0000-0000-0000-000000000000",
    "displayName": "Azure AD B2C",
    "servicePrincipalId": None,
    "servicePrincipalName": None,
}
FAILURES = [
    ("Validate user credentials", "Authentication", "The password entered is incorrect."),
    (
        "Issue an id_token to the application",
        "Authentication",
        "AADB2C90118: The user has forgotten their password.",
    ),
    ("Verify phone number", "Authentication", "AADB2C90151: Too many retries."),
]


def seed_history(store: Store) -> None:
    """Seed deleted users and audit entries (the last two weeks before the anchor)."""
    users = store.users
    rng = random.Random(f"b2c-emulator:{store.seed}:history")
    n = users.base_count
    anchor = store.anchor
    # A few recently deleted users, restorable for a while yet.
    if n > 20:
        for k, days in enumerate((2, 9, 24)):
            ordinal = n - 7 - 5 * k
            gone, methods = users.delete(ordinal)
            store.deleted.add(
                "user", gone, when=anchor - timedelta(days=days), ordinal=ordinal, methods=methods
            )
    count = min(300, 30 + n // 20)
    stamps = sorted(anchor - timedelta(seconds=rng.randrange(14 * 86400)) for _ in range(count))
    for when in stamps:
        roll = rng.random()
        ordinal = rng.randrange(max(n, 1)) if n else 0
        rec = users.get(ordinal) if n else None
        if rec is None:
            continue
        tgt = target(
            rec["id"], rec["displayName"], "User", user_principal_name=rec["userPrincipalName"]
        )
        by_b2c = {"app": B2C_APP, "user": None}
        if roll < 0.45:
            store.audit_log.append(
                when, "Add user", "UserManagement", targets=[tgt], initiated_by=by_b2c
            )
        elif roll < 0.70:
            tgt["modifiedProperties"] = [
                {
                    "displayName": "DisplayName",
                    "oldValue": None,
                    "newValue": f'["{rec["displayName"]}"]',
                }
            ]
            store.audit_log.append(
                when, "Update user", "UserManagement", targets=[tgt], initiated_by=by_b2c
            )
        elif roll < 0.90:
            store.audit_log.append(
                when,
                "Issue an id_token to the application",
                "Authentication",
                targets=[tgt],
                service="B2C",
                initiated_by=by_b2c,
            )
        else:
            activity, category, reason = FAILURES[rng.randrange(len(FAILURES))]
            store.audit_log.append(
                when,
                activity,
                category,
                targets=[tgt],
                result="failure",
                result_reason=reason,
                service="B2C",
                initiated_by=by_b2c,
            )
