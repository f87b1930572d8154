"""The keys pane's rows: one per key (a keyset with no key gets one row saying so), built from
the domain's key report, public members only.

Each row says how a key stands with a glyph and a word (``● active``, ``⚠ active`` when it
expires within the warning window, ``○ valid``, ``◌ not yet valid``, ``✗ expired``, ``✗ no
keys``) and its days to expiry; the table colours both as well, but the glyph reads without
colour. Secret members never reach a row: the report keeps only kid, use, kty, nbf, exp, x5t.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ....policies.keys import EXPIRY_WARNING_DAYS, KeyReport, KeyRow

STATE = {"active": "● active", "valid": "○ valid", "not yet valid": "◌ not yet valid",
         "expired": "✗ expired", "no keys": "✗ no keys"}
EXPIRING = "⚠ active"


def row_key(keyset_id: str, kid: str | None) -> str:
    """A row's key: the keyset and the kid (a keyset without keys: just the keyset)."""
    return f"{keyset_id}/{kid}" if kid else keyset_id


def state_text(row: KeyRow) -> str:
    if row.active and row.days_to_expiry is not None and \
            row.days_to_expiry < EXPIRY_WARNING_DAYS:
        return EXPIRING
    return STATE.get(row.status, row.status)


def key_records(report: KeyReport) -> list[dict[str, Any]]:
    """The table's records, keysets in id order (the report's)."""
    keys_of = {str(k.get("id")): list(k.get("keys") or []) for k in report.keysets}
    out = []
    for row in report.rows:
        out.append({
            "id": row_key(row.keyset_id, row.kid),
            "keyset": row.keyset_id,
            "kid": row.kid,
            "use": row.use,
            "kty": row.kty,
            "state": state_text(row),
            "days": row.days_to_expiry,
            "nbf": _iso(row.nbf),
            "exp": _iso(row.exp),
            "x5t": row.thumbprint,
            "activeKid": report.active.get(row.keyset_id),
            # the whole keyset, as the report holds it (public members only)
            "keys": keys_of.get(row.keyset_id, []),
        })
    return out


def _iso(when: datetime | None) -> str | None:
    """Graph's UTC form (``2026-11-01T09:30:00Z``), which the detail view shows as a time."""
    return f"{when:%Y-%m-%dT%H:%M:%SZ}" if when is not None else None


def days_tone(text: str) -> str | None:
    """Red once expired, amber within the warning window."""
    try:
        days = int(text)
    except ValueError:
        return None
    if days < 0:
        return "error"
    return "warning" if days < EXPIRY_WARNING_DAYS else None


def state_tone(text: str) -> str | None:
    return {"✗": "error", "⚠": "warning", "●": "success", "○": "muted",
            "◌": "muted"}.get(text[:1])
