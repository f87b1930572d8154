"""Policy keyset and key columns (``/trustFramework/keySets``, beta).

A keyset row summarises its keys (how many, their uses and types, when the last one expires);
a key row is one JWK with its NumericDate validity (``nbf``/``exp``) as timestamps. Private
key material (``d``, ``p``, ``q``, ``dp``, ``dq``, ``qi``, and ``k`` of a secret) is never
readable from Graph; it is marked secret here so no view or export ever carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._values import epoch_iso, joined, pluck
from .columns import Column


def _keys(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    keys = record.get("keys")
    return [k for k in keys if isinstance(k, Mapping)] if isinstance(keys, list) else []


def _last_expiry(record: Mapping[str, Any]) -> str | None:
    ends = [k["exp"] for k in _keys(record) if isinstance(k.get("exp"), (int, float))]
    return epoch_iso(max(ends)) if ends else None


def _distinct(name: str) -> Any:
    return lambda record: joined(dict.fromkeys(pluck(_keys(record), name) or ()))


# The summary columns name no ``select``: keysets cannot be ``$select``ed (the keys always come
# inline), and naming ``keys`` would make the export's deny-list drop these harmless counts.
KEYSET_COLUMNS: tuple[Column, ...] = (
    Column("id", "Keyset", width=40),
    Column("keyCount", "Keys", get=lambda r: len(_keys(r)), kind="number",
           width=5),
    Column("use", "Use", get=_distinct("use"), width=8),
    Column("kty", "Type", get=_distinct("kty"), width=8),
    Column("lastExpiry", "Last key expires", get=_last_expiry,
           kind="datetime", width=16),
)

#: One row per key; records are the keys with their keyset's id added as ``keyset`` and their
#: ``kid`` as ``id`` (the row's key, as every frame has one).
KEY_COLUMNS: tuple[Column, ...] = (
    Column("id", "Key id", select=("kid",), get=lambda k: k.get("id") or k.get("kid"),
           width=44),
    Column("keyset", "Keyset", width=40),
    Column("use", "Use", width=4),
    Column("kty", "Type", width=5),
    Column("status", "Status", width=8),
    Column("notBefore", "Not before", select=("nbf",), get=lambda k: epoch_iso(k.get("nbf")),
           kind="datetime", width=16),
    Column("expires", "Expires", select=("exp",), get=lambda k: epoch_iso(k.get("exp")),
           kind="datetime", width=16),
    Column("x5t", "Thumbprint", width=28),
)

KEY_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("e", "RSA exponent", width=6),
    Column("n", "RSA modulus", width=40),
    Column("x5c", "Certificate chain", width=40),
    *(Column(name, f"Private {name}", secret=True) for name in ("d", "p", "q", "dp", "dq", "qi")),
    Column("k", "Secret", secret=True),
)
