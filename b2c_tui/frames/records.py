"""Turn Graph records into DataFrames: nested values flattened readably."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd


def flatten(value: Any) -> Any:
    """Scalars as they are; lists and objects as readable text (``a; b``, ``k=v``)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        return "; ".join(str(flatten(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={flatten(v)}" for k, v in value.items() if not k.startswith("@"))
    return str(value)


def sign_in_names(user: dict[str, Any]) -> str:
    """A B2C user's local sign-in names (email or username identities)."""
    return "; ".join(
        str(i.get("issuerAssignedId"))
        for i in user.get("identities") or []
        if i.get("signInType") in ("emailAddress", "userName")
    )


def records_frame(records: Iterable[dict[str, Any]], columns: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """A DataFrame of ``records`` with ``columns`` (all keys when omitted), values flattened."""
    rows = list(records)
    if columns is None:
        keys: dict[str, None] = {}
        for row in rows:
            keys.update(dict.fromkeys(k for k in row if not k.startswith("@")))
        columns = list(keys)
    data = {col: [flatten(_get(row, col)) for row in rows] for col in columns}
    return pd.DataFrame(data, columns=list(columns))


def _get(row: dict[str, Any], column: str) -> Any:
    if column == "signInNames":
        return sign_in_names(row)
    return row.get(column)
