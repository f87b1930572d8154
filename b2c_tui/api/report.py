"""The result of :meth:`Tenant.users.apply <b2c_tui.api.users.UsersAccessor.apply>`: what would
change (or changed), row by row, as DataFrames that also display well in a notebook."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .text import visible

#: Row statuses, in the order a summary lists them.
STATUSES = ("updated", "would update", "unchanged", "invalid", "not found", "failed")
_BAD = frozenset({"invalid", "not found", "failed"})


@dataclass
class Change:
    """One property of one user: the column as the frame names it, old and new values."""

    column: str
    old: Any
    new: Any


@dataclass
class RowResult:
    """What became of one input row."""

    label: Any
    user_id: str | None
    status: str = "pending"
    error: str | None = None
    http_status: int | None = None
    name: str | None = None
    changes: list[Change] = field(default_factory=list)
    user: dict[str, Any] | None = field(default=None, repr=False)

    def fail(self, status: str, error: str, http_status: int | None = None) -> None:
        self.status, self.error, self.http_status = status, error, http_status

    def done(self, status: str, http_status: int | None) -> None:
        self.status, self.http_status = status, http_status


def visible_lines(text: str) -> str:
    """Printed text with tenant characters that act on a terminal escaped, lines kept."""
    return "\n".join(visible(line) for line in text.split("\n"))


def _shown(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ApplyReport:
    """Per-row results (:attr:`rows`) and the changes one per property (:attr:`changes`)."""

    def __init__(self, dry_run: bool, results: Sequence[RowResult],
                 ignored: Sequence[str] = ()) -> None:
        self.dry_run = dry_run
        self.results = list(results)
        self.ignored = tuple(ignored)

    @property
    def rows(self) -> pd.DataFrame:
        """One row per input row (same index): ``id``, ``displayName``, ``status``, ``changes``
        (``property: old → new; ...``), ``error`` and ``httpStatus``."""
        text = pd.StringDtype("pyarrow")
        return pd.DataFrame({
            "id": pd.array([r.user_id for r in self.results], dtype=text),
            "displayName": pd.array([r.name for r in self.results], dtype=text),
            "status": pd.array([r.status for r in self.results], dtype=text),
            "changes": pd.array([
                "; ".join(f"{c.column}: {_shown(c.old)} → {_shown(c.new)}" for c in r.changes)
                or None for r in self.results], dtype=text),
            "error": pd.array([r.error for r in self.results], dtype=text),
            "httpStatus": pd.array([r.http_status for r in self.results], dtype="Int64"),
        }, index=pd.Index([r.label for r in self.results]))

    @property
    def changes(self) -> pd.DataFrame:
        """One row per changed property: ``id``, ``displayName``, ``property``, ``old``,
        ``new`` (values as text) and the row's ``status``."""
        text = pd.StringDtype("pyarrow")
        items = [(r, c) for r in self.results for c in r.changes]
        return pd.DataFrame({
            "id": pd.array([r.user_id for r, _ in items], dtype=text),
            "displayName": pd.array([r.name for r, _ in items], dtype=text),
            "property": pd.array([c.column for _, c in items], dtype=text),
            "old": pd.array([_shown(c.old) for _, c in items], dtype=text),
            "new": pd.array([_shown(c.new) for _, c in items], dtype=text),
            "status": pd.array([r.status for r, _ in items], dtype=text),
        })

    @property
    def counts(self) -> dict[str, int]:
        """How many rows ended in each status."""
        found = Counter(r.status for r in self.results)
        return {s: found[s] for s in STATUSES if found[s]}

    @property
    def ok(self) -> bool:
        """No row was invalid, missing or refused."""
        return not any(r.status in _BAD for r in self.results)

    def summary(self) -> str:
        """``Dry run: 3 would update, 10 unchanged, 1 invalid`` (plus ignored columns)."""
        head = "Dry run" if self.dry_run else "Applied"
        parts = ", ".join(f"{n} {s}" for s, n in self.counts.items()) or "no rows"
        text = f"{head}: {parts}"
        if self.ignored:
            text += f" (columns ignored: {', '.join(self.ignored)})"
        return text

    def __repr__(self) -> str:
        lines = [self.summary()]
        changes = self.changes
        if len(changes):
            lines.append(changes.drop(columns=["id"]).to_string(index=False, max_rows=40))
        bad = self.rows[self.rows["status"].isin(list(_BAD))]
        if len(bad):
            lines.append(bad[["id", "status", "error"]].to_string(max_rows=20))
        return visible_lines("\n".join(lines))

    def _repr_html_(self) -> str:
        from html import escape

        parts = [f"<p>{escape(self.summary())}</p>"]
        if len(self.changes):
            parts.append(self.changes.to_html(index=False, max_rows=40))
        bad = self.rows[self.rows["status"].isin(list(_BAD))]
        if len(bad):
            parts.append(bad[["id", "status", "error"]].to_html(max_rows=20))
        return "\n".join(parts)
