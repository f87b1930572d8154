"""Writes from a DataFrame: compare a frame of user edits with the tenant, report what would
change, and (not a dry run) send the changes through ``$batch`` with a result per row.

The frame needs an ``id`` column (object ids). Every other column it has is compared with the
user as the users frame shows it: an editable property (:data:`~.apply_rules.EDITABLE`), the
sign-in names (``signInName``), or a custom attribute by friendly name or full key; a changed
read-only column (``creationType``...) is a per-row error, and columns that are none of these
(your own helper columns) are listed as ignored. A missing cell (``NA``, ``None``, ``NaN``)
leaves the property as it is, so a column added for a few rows touches only those; an empty
string clears a property. A row is sent only when all its changes are valid, as one PATCH of
what differs; unchanged rows are not sent at all.

The sending is :func:`send_patches`: :func:`b2c_tui.changes.commit`, the explorer's commit, so
every change is in the tenant's journal (``b2c-tui journal`` lists and undoes them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..changes import Change as JournalChange
from ..changes import ChangeResult, Journal, commit
from ..frames.extensions import ExtensionAttribute, parse_attribute
from ..frames.users import USER_COLUMNS_BY_KEY
from ..graph.batch import BatchRequest, BatchResult
from ..graph.errors import B2CTuiError, GraphError, ValidationError
from ..graph.resources.base import seg
from .apply_rules import (
    EDITABLE,
    READ_ONLY,
    SIGN_IN,
    is_missing,
    plain,
    shown_sign_in,
    sign_in_identities,
)
from .report import ApplyReport, Change, RowResult

if TYPE_CHECKING:
    from ..graph.client import GraphClient
    from .progress import Progress

_KEY = "id"
_LIST_SEPARATOR = ";"  # a stringCollection cell is written "a; b", as the frames show lists


@dataclass
class _Row:
    """One input row: its label in the frame, id, cells, and what became of it."""

    label: Any
    user_id: str
    cells: dict[str, Any]
    result: RowResult
    patch: dict[str, Any] = field(default_factory=dict)
    #: the patched properties' values before (as Graph had them), for the journal
    old: dict[str, Any] = field(default_factory=dict)


def _same(old: Any, new: Any) -> bool:
    if is_missing(old) and is_missing(new):
        return True
    if is_missing(old) or is_missing(new):
        return False
    if isinstance(new, datetime):
        moment = pd.to_datetime(old, utc=True, errors="coerce")
        return bool(moment == pd.Timestamp(new).tz_convert("UTC") if new.tzinfo else
                    moment == pd.Timestamp(new, tz="UTC"))
    if isinstance(new, bool) or isinstance(old, bool):
        return old is new or old == new
    return str(old) == str(new)


def _labelled(column: str, error: ValidationError) -> str:
    """``column: rule`` (an attribute's own message already starts with its name)."""
    text = str(error)
    return text if text.startswith(f"{column} ") else f"{column}: {text}"


def _names(names: Any) -> str | None:
    parts = [n.strip() for n in str(names).split(";") if n.strip()] if names is not None else []
    return "; ".join(dict.fromkeys(parts)) or None


class Planner:
    """Turns a frame into rows of changes against the users fetched from the tenant."""

    def __init__(self, frame: pd.DataFrame, extensions: Sequence[ExtensionAttribute],
                 issuer: str) -> None:
        if _KEY not in frame.columns:
            raise ValidationError("The frame needs an 'id' column with each user's object id "
                                  "(tenant.users() gives one).", field=_KEY)
        self.issuer = issuer
        self.extensions: dict[str, ExtensionAttribute] = {e.key: e for e in extensions}
        for ext in extensions:
            if ext.name not in USER_COLUMNS_BY_KEY:
                self.extensions.setdefault(ext.name, ext)
        known = set(EDITABLE) | READ_ONLY | set(USER_COLUMNS_BY_KEY) | {SIGN_IN, _KEY}
        self.columns = [str(c) for c in frame.columns
                        if str(c) != _KEY and (str(c) in known or str(c) in self.extensions)]
        self.ignored = tuple(str(c) for c in frame.columns
                             if str(c) != _KEY and str(c) not in self.columns)
        self.rows = self._rows(frame)

    def _rows(self, frame: pd.DataFrame) -> list[_Row]:
        rows: list[_Row] = []
        seen: set[str] = set()
        records = frame[[_KEY, *self.columns]].to_dict("records")
        for label, record in zip(frame.index, records, strict=True):
            cells = {k: plain(v) for k, v in record.items()}
            user_id = cells.pop(_KEY)
            text = str(user_id).strip() if isinstance(user_id, str) else ""
            result = RowResult(label, text or None)
            if not text:
                result.fail("invalid", "no object id in the 'id' column")
            elif text.lower() in seen:
                result.fail("invalid", "this id appears on an earlier row; one row per user")
            seen.add(text.lower())
            rows.append(_Row(label, text, cells, result))
        return rows

    def properties(self) -> list[str]:
        """What to ``$select`` to compare every column."""
        props = {"id": None, "displayName": None, "identities": None}
        for name in self.columns:
            if name in self.extensions:
                props[self.extensions[name].key] = None
            elif name in EDITABLE:
                props[EDITABLE[name].prop] = None
            elif name in USER_COLUMNS_BY_KEY:
                props.update(dict.fromkeys(USER_COLUMNS_BY_KEY[name].properties))
        return list(props)

    def compare(self, row: _Row, user: Mapping[str, Any]) -> None:
        """Fill ``row``'s changes and patch from ``user`` as Graph has it."""
        result = row.result
        result.name = user.get("displayName")
        errors: list[str] = []
        for name in self.columns:
            new = row.cells.get(name)
            if is_missing(new):  # no value: no opinion (an empty string clears a property)
                continue
            try:
                self._compare_one(row, user, name, new)
            except ValidationError as exc:
                errors.append(_labelled(name, exc))
        if errors:
            row.patch.clear()
            result.fail("invalid", "; ".join(errors))
        else:
            result.status = "would update" if row.patch else "unchanged"

    def _compare_one(self, row: _Row, user: Mapping[str, Any], name: str, new: Any) -> None:
        if name in self.extensions:
            ext = self.extensions[name]
            value = parse_attribute(new, ext, separator=_LIST_SEPARATOR)
            old = user.get(ext.key)
            try:
                same = parse_attribute(old, ext, separator=_LIST_SEPARATOR) == value
            except ValidationError:
                same = False
            if not same:
                self._change(row, name, ext.key, old, value)
        elif name == SIGN_IN:
            old = shown_sign_in(user)
            if _names(old) != _names(new):
                identities = sign_in_identities(user, new, self.issuer)
                self._change(row, name, "identities", old, _names(new), identities)
        elif name in EDITABLE:
            rule = EDITABLE[name]
            value = rule.parse(new, rule.prop)
            old = user.get(rule.prop)
            if not _same(old, value):
                self._change(row, name, rule.prop, old, value)
        else:
            old = USER_COLUMNS_BY_KEY[name].value(user) if name in USER_COLUMNS_BY_KEY \
                else user.get(name)
            if not _same(old, new):
                shown = "empty" if is_missing(old) else repr(old)
                raise ValidationError(
                    f"cannot be changed from a frame (it is {shown} in the tenant)", field=name)

    @staticmethod
    def _change(row: _Row, name: str, prop: str, old: Any, new: Any,
                value: Any = ...) -> None:
        row.patch[prop] = new if value is ... else value
        row.result.changes.append(Change(name, old, new))
        # the property's value before, for the journal (review and undo)
        user = row.result.user or {}
        row.old[prop] = user.get(prop)


async def fetch_users(client: GraphClient, rows: list[_Row], select: list[str],
                      progress: Progress | None) -> None:
    """Read the users of ``rows`` (``$batch`` GETs, 20 a call) and leave each row's result
    ``not found``/``failed`` or ready to compare (``row.result.user``)."""
    todo = [row for row in rows if row.result.status == "pending"]
    for start in range(0, len(todo), 100):
        chunk = todo[start:start + 100]
        requests = [BatchRequest("GET", f"/users/{seg(row.user_id)}",
                                 params={"$select": ",".join(select)}) for row in chunk]
        for row, answer in zip(chunk, await client.core.batch(requests), strict=True):
            if answer.ok and isinstance(answer.body, dict):
                row.result.user = answer.body
            elif answer.status == 404:
                row.result.fail("not found", "no user with this id", answer.status)
            else:
                row.result.fail("failed", _error(answer), answer.status)
        if progress is not None:
            progress.add(len(chunk))


async def send_patches(client: GraphClient, journal: Journal,
                       rows: Sequence[_Row]) -> list[ChangeResult]:
    """PATCH each row's changes through :func:`b2c_tui.changes.commit` (``$batch``, 20 a
    request, each chunk written to ``journal`` and fsynced before it is sent, throttled
    requests retried): the explorer's commit, so ``b2c-tui journal`` and the explorer's
    journal screen list and undo what a frame changed. One result per row, in order; a
    read-only client refuses before anything is journaled or sent."""
    changes = [JournalChange.update("user", row.user_id, row.patch, old=row.old,
                                    display_name=str(row.result.name or ""))
               for row in rows]
    return await commit(client, changes, journal) if changes else []


def _error(answer: BatchResult) -> str:
    error = answer.error
    if error is None:
        return f"Graph answered {answer.status}"
    return f"{error.code or error.status}: {error.message}" if isinstance(error, GraphError) \
        else str(error)


def _failure(result: ChangeResult) -> str:
    if result.state == "failed" and result.status is not None:
        return f"{result.code or result.status}: {result.message}"
    if result.state == "not_applied":
        return f"not applied (the connection dropped; the tenant was checked): {result.message}"
    if result.state in ("unknown", "pending"):
        return (f"not known whether it was applied ({result.message}); "
                "see 'b2c-tui journal'")
    return str(result.message or result.state)


async def apply_frame(client: GraphClient, frame: pd.DataFrame, *,
                      extensions: Sequence[ExtensionAttribute], issuer: str, dry_run: bool,
                      progress: Progress | None, journal: Journal | None = None) -> ApplyReport:
    """Compare ``frame`` with the tenant and, unless ``dry_run``, send the changes (written
    to ``journal`` first: the tenant's, shared with the explorer and ``b2c-tui journal``).
    A read-only tenant is refused by the caller, before anything is read
    (:meth:`~b2c_tui.api.users.UsersAccessor.apply`); the commit refuses it too, before sending."""
    planner = Planner(frame, extensions, issuer)
    await fetch_users(client, planner.rows, planner.properties(), progress)
    for row in planner.rows:
        if row.result.user is not None:
            planner.compare(row, row.result.user)
    sending = [row for row in planner.rows if row.patch and row.result.status == "would update"]
    if not dry_run and sending:
        if journal is None:
            raise ValueError("apply_frame needs the tenant's journal to send changes")
        try:
            results = await send_patches(client, journal, sending)
        except B2CTuiError as exc:  # nothing was sent (the journal cannot be written...)
            for row in sending:
                row.result.fail("failed", str(exc))
        else:
            for row, result in zip(sending, results, strict=True):
                if result.ok:
                    row.result.done("updated", result.status)
                else:
                    row.result.fail("failed", _failure(result), result.status)
    return ApplyReport(dry_run, [row.result for row in planner.rows], planner.ignored)
