"""A user's authentication methods as table rows: Graph's phone, email and software OATH
collections -> :class:`MethodRow` records -> a DataFrame (no Textual).

The authentication methods pane shows these rows; a script can use :func:`methods_frame` the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..graph.validation import PHONE_TYPES, phone_needs_fix, suggest_phone_fix
from .columns import Column
from .paged import PagedFrame

PHONE, EMAIL, OATH = "phone", "email", "OATH"
METHOD_COLUMNS = (
    Column("kind", "Kind", width=6), Column("type", "Type"), Column("value", "Value"),
    Column("needsFix", "Needs fix", width=9), Column("id", "Id", width=36),
)


@dataclass(frozen=True)
class MethodRow:
    """One authentication method as the table shows it (``value``: number, address or id)."""

    kind: str
    type: str
    value: str
    id: str

    @property
    def needs_fix(self) -> bool:
        """A phone number Graph would refuse as stored (usually: no space after the code)."""
        return self.kind == PHONE and phone_needs_fix(self.value)

    @property
    def fix(self) -> str | None:
        """The repaired number, when one is known."""
        return suggest_phone_fix(self.value) if self.needs_fix else None

    @property
    def description(self) -> str:
        """``mobile phone``, ``email method`` ... for messages."""
        return {PHONE: f"{self.type} phone", EMAIL: "email method"}.get(
            self.kind, "software OATH method")

    def record(self) -> dict[str, Any]:
        """The row as a record keyed like :data:`METHOD_COLUMNS`."""
        flag = "yes" if self.needs_fix else ""
        return {"id": self.id, "kind": self.kind, "type": self.type, "value": self.value,
                "needsFix": flag}


def method_rows(phones: Iterable[Mapping[str, Any]], emails: Iterable[Mapping[str, Any]],
                oaths: Iterable[Mapping[str, Any]]) -> list[MethodRow]:
    """Graph's three collections as table rows: phones in type order, then email, then OATH."""
    order = {t: n for n, t in enumerate(PHONE_TYPES)}
    rows = [MethodRow(PHONE, str(p.get("phoneType") or ""), str(p.get("phoneNumber") or ""),
                      str(p.get("id") or ""))
            for p in sorted(phones, key=lambda p: order.get(p.get("phoneType", ""), 9))]
    rows += [MethodRow(EMAIL, "email", str(e.get("emailAddress") or ""), str(e.get("id") or ""))
             for e in emails]
    rows += [MethodRow(OATH, "software", str(o.get("id") or ""), str(o.get("id") or ""))
             for o in oaths]
    return rows


def methods_frame(rows: Iterable[MethodRow]) -> pd.DataFrame:
    """``rows`` as a DataFrame with an ``id`` column and one column per :data:`METHOD_COLUMNS`
    key, in the compact dtypes of :class:`~.paged.PagedFrame`."""
    return PagedFrame(METHOD_COLUMNS).add_records(r.record() for r in rows)


#: The methods of one or many users as one table (the notebook API and ``b2c-tui get``):
#: ``needsFix`` is a flag and ``suggestedFix`` the repaired number, where one is known.
USER_METHOD_COLUMNS = (
    Column("userId", "User", width=36),
    Column("kind", "Kind", width=6), Column("type", "Type", width=15),
    Column("value", "Value", width=30),
    Column("needsFix", "Needs fix", kind="bool", width=9),
    Column("suggestedFix", "Suggested fix", width=20),
    Column("id", "Method id", width=36),
)


def user_method_record(user_id: str, row: MethodRow) -> dict[str, Any]:
    """``row`` of user ``user_id`` keyed like :data:`USER_METHOD_COLUMNS`."""
    return {"id": row.id, "userId": user_id, "kind": row.kind, "type": row.type,
            "value": row.value, "needsFix": row.needs_fix, "suggestedFix": row.fix}
