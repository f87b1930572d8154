"""The audit pane's filter language: what ``/`` takes, and who answers each part.

    category:Key result:failure since:24h activity:"Add user" by:admin@contoso.com
    policy:B2C_1A_signup_signin app:<client id> target:<object id> correlation:<id>
    service:B2C until:2026-10-31  and any other words (looked for in what the entry says)

Every condition must hold. Times are an age (``30m``, ``24h``, ``7d``: that long before now) or
an ISO date or time (UTC unless it says otherwise; a date as ``until`` means the whole day).
``activity`` matches the start of the activity's name; ``by`` the initiating user (UPN, id or
name) or app (client id or name). Values with spaces are quoted.

Graph answers the time range, category, activity, result, service, a user's UPN, a target and a
correlation id (``$filter``). It cannot filter on the policy or the application B2C records in
an entry's ``additionalDetails``, on an id that may be a user's or an app's, on names, nor on
free text: on the tenant those parts are applied to each page as it arrives, and the pane says
so. The archive answers everything locally (:class:`~b2c_tui.audit.AuditFilter`); the same
filter is applied to the tenant's pages, so both sources mean the same thing by it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ....audit import AuditFilter
from ....graph.errors import ValidationError

#: B2C's own categories, offered as quick filters.
B2C_CATEGORIES = ("Authorization", "Key", "Resource", "Authentication")
#: Every category the directory log uses (for canonical spelling; others pass as typed).
CATEGORIES = (*B2C_CATEGORIES, "UserManagement", "ApplicationManagement", "Directory",
              "Application", "GroupManagement", "Policy", "RoleManagement", "Other")
RESULTS = ("success", "failure", "timeout")

#: key as typed -> field
KEYS = {
    "since": "since", "from": "since", "last": "since", "until": "until", "to": "until",
    "category": "category", "cat": "category", "activity": "activity", "act": "activity",
    "result": "result", "service": "service", "by": "by", "initiator": "by", "who": "by",
    "policy": "policy", "app": "app", "application": "app", "target": "target",
    "correlation": "correlation", "corr": "correlation",
}
#: field -> the key it is written back with (``to_text``), in this order
CANONICAL = ("since", "until", "category", "activity", "result", "service", "by", "policy",
             "app", "target", "correlation")
LABELS = {"since": "since", "until": "until", "category": "category", "activity": "activity",
          "result": "result", "service": "service", "by": "initiator", "policy": "policy id",
          "app": "application id", "target": "target", "correlation": "correlation id",
          "words": "text"}
HINT = ("category:Key result:failure since:24h activity:Add by:<upn|id> policy:<id> "
        "app:<client id> target:<id> correlation:<id> words…")

_AGE = re.compile(r"^(\d+)\s*([mhd])$", re.I)
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass(frozen=True)
class AuditQuery:
    """A parsed ``/`` filter: each value as typed (times are read against a clock when the
    view loads, so ``since:24h`` stays "the last day" on every refresh)."""

    since: str | None = None
    until: str | None = None
    category: str | None = None
    activity: str | None = None
    result: str | None = None
    service: str | None = None
    by: str | None = None
    policy: str | None = None
    app: str | None = None
    target: str | None = None
    correlation: str | None = None
    words: str | None = None

    # -- text ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, now: datetime | None = None) -> AuditQuery:
        """``text`` as typed at ``/``; raises :class:`ValidationError` (one line, naming
        the part) for what it cannot mean. ``now`` checks the times."""
        try:
            tokens = shlex.split(text)
        except ValueError:
            raise ValidationError("A quote is not closed; quote values with spaces, e.g. "
                                  'activity:"Add user".', field="filter") from None
        values: dict[str, str] = {}
        words: list[str] = []
        for token in tokens:
            key, colon, value = token.partition(":")
            name = KEYS.get(key.lower()) if colon else None
            if name is None:
                if colon and key.isalpha() and value:
                    raise ValidationError(
                        f"{key}: is not a filter; use {', '.join(CANONICAL)} (or quote text "
                        "that has a colon).", field="filter")
                words.append(token)
                continue
            if not value.strip():
                raise ValidationError(f"{key}: needs a value, e.g. {key}:…", field="filter")
            values[name] = value.strip()
        if words:
            values["words"] = " ".join(words)
        query = cls(**values)
        query.check(now or datetime.now(UTC))
        return query

    def check(self, now: datetime) -> None:
        """Raise :class:`ValidationError` for a value Graph or the archive cannot take."""
        since, until = self.bounds(now)
        if since is not None and until is not None and since > until:
            raise ValidationError("since: is after until:; swap them.", field="filter")
        if self.result is not None and self.result.lower() not in RESULTS:
            raise ValidationError(f"result:{self.result} is not one of {', '.join(RESULTS)}.",
                                  field="filter")

    def to_text(self) -> str:
        """The filter written back (keys in a fixed order, values quoted where needed)."""
        parts = [f"{name}:{_quote(value)}" for name in CANONICAL
                 if (value := getattr(self, name)) is not None]
        if self.words:
            parts.append(self.words)
        return " ".join(parts)

    def with_(self, **values: str | None) -> AuditQuery:
        """This filter with some parts set (``None`` removes one): quick filters."""
        return replace(self, **values)

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    # -- meaning ---------------------------------------------------------------------------
    @property
    def canonical_category(self) -> str | None:
        if self.category is None:
            return None
        return next((c for c in CATEGORIES if c.lower() == self.category.lower()),
                    self.category)

    def bounds(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """``since`` and ``until`` as aware UTC times (an age counts back from ``now``)."""
        return (_when(self.since, now, "since", end=False),
                _when(self.until, now, "until", end=True))

    def archive_filter(self, now: datetime) -> AuditFilter:
        """The whole filter as the archive (and the local pass over tenant pages) takes it."""
        since, until = self.bounds(now)
        return AuditFilter(
            since=since, until=until, category=self.canonical_category,
            activity_prefix=self.activity, result=self.result and self.result.lower(),
            logged_by_service=self.service, initiated_by=self.by, policy_id=self.policy,
            application_id=self.app, target_id=self.target, correlation_id=self.correlation,
            text=self.words)

    def graph_filters(self, now: datetime) -> dict[str, Any]:
        """The parts Graph answers, as keywords of
        :meth:`~b2c_tui.graph.resources.audit.AuditAPI.list`."""
        since, until = self.bounds(now)
        out: dict[str, Any] = {
            "since": since, "until": until, "category": self.canonical_category,
            "activity_prefix": self.activity, "result": self.result and self.result.lower(),
            "logged_by_service": self.service, "target_id": self.target,
            "correlation_id": self.correlation,
            "initiated_by_upn": self.by if self.by and "@" in self.by else None,
        }
        return {k: v for k, v in out.items() if v is not None}

    def local_only(self) -> list[str]:
        """The parts Graph cannot answer (labels, in order): the tenant's pages are filtered
        for them as they arrive."""
        out = []
        if self.by is not None and "@" not in self.by:
            out.append("initiator" + (" id (a user's or an app's)" if _GUID.match(self.by)
                                      else " name"))
        if self.policy is not None:
            out.append("policy id")
        if self.app is not None:
            out.append("application id")
        if self.words is not None:
            out.append("text")
        return out

    def graph_parts(self) -> list[str]:
        """The parts Graph answers (labels, in order)."""
        names = ["since", "until", "category", "activity", "result", "service", "target",
                 "correlation"]
        out = [LABELS[n] for n in names if getattr(self, n) is not None]
        if self.by is not None and "@" in self.by:
            out.append("initiator UPN")
        return out


def _quote(value: str) -> str:
    return value if re.fullmatch(r"[^\s'\"]+", value) else shlex.quote(value)


def _when(text: str | None, now: datetime, name: str, *, end: bool) -> datetime | None:
    if text is None:
        return None
    value = text.strip()
    age = _AGE.match(value)
    if age:
        amount, unit = int(age.group(1)), age.group(2).lower()
        return now - {"m": timedelta(minutes=amount), "h": timedelta(hours=amount),
                      "d": timedelta(days=amount)}[unit]
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime.combine(day, time.min, tzinfo=UTC)
            return start + timedelta(days=1, microseconds=-1) if end else start
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{name}:{value} is not an age (30m, 24h, 7d), a date "
                              "(2026-10-31) or a time (2026-10-31T10:00Z).",
                              field="filter") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
