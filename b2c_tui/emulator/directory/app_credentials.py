"""Client secrets of applications: ``addPassword`` and ``removePassword`` as Graph does them.

Graph generates the secret, answers ``addPassword`` with it in ``secretText`` once, and keeps
only its first three characters (``hint``) afterwards: reads of the application never carry
it. The audit entry names the key, never its value.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso, parse_iso
from ..odata import DIRECTORY
from .apps import CATEGORY, app_target

if TYPE_CHECKING:
    from ..store import Store

#: Graph's default lifetime of a secret added without an ``endDateTime``.
DEFAULT_LIFETIME = timedelta(days=2 * 365)
#: What ``passwordCredential`` in an addPassword body may set.
WRITABLE = ("displayName", "endDateTime", "startDateTime", "customKeyIdentifier")
#: Generated secrets: 40 characters. Entra's have a "<digit>Q~" after three characters; the
#: demo tenant's say "DEMO~" there instead, so secret scanners never take one for a real one.
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SECRET_LENGTH = 40
ACTIVITY = "Update application – Certificates and secrets management "
INVALID = "Invalid value specified for property '{}' of resource 'PasswordCredential'."

bad = DIRECTORY.bad_request


def _when(credential: dict[str, Any], name: str) -> Any:
    value = credential.get(name)
    if value is None:
        return None
    try:
        return parse_iso(str(value))
    except ValueError:
        raise bad(INVALID.format(name)) from None


def _secret(store: Store) -> str:
    rng = store.rng
    head, tail = (
        "".join(rng.choice(ALPHABET) for _ in range(n)) for n in (3, SECRET_LENGTH - 8))
    return f"{head}DEMO~{tail}"


def _key_note(credential: dict[str, Any]) -> str:
    return (f"[KeyIdentifier={credential['keyId']},KeyType=Password,KeyUsage=Verify,"
            f"DisplayName={credential.get('displayName') or ''}]")


def add_password(store: Store, app: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Add a generated secret to ``app``; the answer is the credential with its
    ``secretText`` (the stored one keeps only the hint)."""
    credential = body.get("passwordCredential", {})
    if not isinstance(credential, dict):
        raise bad(INVALID.format("passwordCredential"))
    for key in credential:
        if not key.startswith("@odata.") and key not in WRITABLE:
            raise bad(f"Property '{key}' is read-only and cannot be set.")
    start = _when(credential, "startDateTime") or store.now()
    end = _when(credential, "endDateTime") or start + DEFAULT_LIFETIME
    if end <= start:
        raise bad("The endDateTime of a password credential must be later than its "
                  "startDateTime.")
    secret = _secret(store)
    stored = {
        "customKeyIdentifier": credential.get("customKeyIdentifier"),
        "displayName": credential.get("displayName"),
        "endDateTime": iso(end),
        "hint": secret[:3],
        "keyId": store.new_id(),
        "secretText": None,
        "startDateTime": iso(start),
    }
    app.setdefault("passwordCredentials", []).append(stored)
    store.audit(ACTIVITY, CATEGORY,
                app_target(app, {"KeyDescription": (None, _key_note(stored))}))
    return {**copy.deepcopy(stored), "secretText": secret}


def remove_password(store: Store, app: dict[str, Any], body: dict[str, Any]) -> None:
    """Remove the secret ``body["keyId"]`` names; Graph's 400 when there is none."""
    key = body.get("keyId")
    credentials = app.get("passwordCredentials") or []
    found = next((c for c in credentials
                  if isinstance(key, str) and c.get("keyId", "").lower() == key.lower()), None)
    if found is None:
        raise bad(f"No password credential found with keyId '{key}'.")
    credentials.remove(found)
    store.audit(ACTIVITY, CATEGORY,
                app_target(app, {"KeyDescription": (_key_note(found), None)}))
