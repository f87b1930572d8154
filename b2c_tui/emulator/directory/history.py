"""History of the demo tenant: what happened before it was made that its state still shows.

Users deleted 2, 9 and 24 days before (the last one is purged within a week) and, with
``health_findings``, application credentials that expire within a month or have expired.
Runs once at store creation, touches a handful of objects whatever the tenant size and is
deterministic for a seed; the audit trail of those days is
:class:`.audit_history.AuditHistory`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso, seeded_uuid

if TYPE_CHECKING:
    from ..store import Store

#: Days before the tenant was made when the seeded deleted users were deleted.
DELETED_DAYS_AGO = (2, 9, 24)


#: (app, kind, days until it ends): the credentials ``health_findings`` adds.
EXPIRING_CREDENTIALS = (
    ("Contoso Web", "secret", 12),
    ("Contoso Mobile", "secret", -5),
    ("Contoso API", "certificate", 20),
)


def seed_history(store: Store, *, health_findings: bool = False) -> None:
    """Seed the deleted users (in tenants of more than 20 users) and, with
    ``health_findings``, the :data:`EXPIRING_CREDENTIALS`."""
    if health_findings:
        _seed_credentials(store)
    users = store.users
    n = users.base_count
    if n <= 20:
        return
    for k, days in enumerate(DELETED_DAYS_AGO):
        ordinal = n - 7 - 5 * k
        gone, methods = users.delete(ordinal)
        store.deleted.add(
            "user", gone, when=store.anchor - timedelta(days=days), ordinal=ordinal, methods=methods
        )


def _seed_credentials(store: Store) -> None:
    rng = random.Random(f"b2c-emulator:{store.seed}:credentials")
    by_name = {app["displayName"]: app for app in store.apps.apps.values()}
    for name, kind, days in EXPIRING_CREDENTIALS:
        app = by_name.get(name)
        if app is None:
            continue
        end = store.anchor + timedelta(days=days)
        if kind == "secret":
            app["passwordCredentials"].append(_secret(rng, end))
        else:
            app["keyCredentials"].append(_certificate(rng, end, store.tenant_name))


def _secret(rng: random.Random, end: datetime) -> dict[str, Any]:
    """A passwordCredential as Graph reads it back: a hint, never the secret."""
    return {
        "customKeyIdentifier": None,
        "displayName": "Production secret",
        "endDateTime": iso(end),
        "hint": "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789~")
                        for _ in range(3)),
        "keyId": seeded_uuid(rng),
        "secretText": None,
        "startDateTime": iso(end - timedelta(days=365)),
    }


def _certificate(rng: random.Random, end: datetime, tenant: str) -> dict[str, Any]:
    """A keyCredential (its public key is not returned unless selected alone)."""
    thumbprint = rng.randbytes(20).hex().upper()  # a SHA-1 thumbprint's shape
    return {
        "customKeyIdentifier": thumbprint,
        "displayName": f"CN=api.{tenant}.example",
        "endDateTime": iso(end),
        "key": None,
        "keyId": seeded_uuid(rng),
        "startDateTime": iso(end - timedelta(days=730)),
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
    }
