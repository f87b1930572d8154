"""Pending inline edits: what was changed in a table and not committed yet.

Edits are keyed by **object id and property**, never by row number, so sorting, filtering,
paging and refreshing keep each mark on its object's row. Each object's edits become one
:class:`~b2c_tui.changes.Change` (one PATCH) when committed; after a commit, what Graph
refused stays here with its message (:attr:`PendingEdit.error`), what it took is dropped.
Plain data: no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ...changes import Change

__all__ = ["PendingEdit", "PendingEdits"]


@dataclass(frozen=True)
class PendingEdit:
    """One changed cell: the object, the property (the column's key), its value as loaded
    (``old``) and the value to send (``new``); ``error`` is Graph's message after a commit
    that was refused."""

    object_id: str
    prop: str
    label: str
    old: Any
    new: Any
    error: str | None = None


class PendingEdits:
    """The pending edits of one pane, by object (in the order first edited) and property."""

    def __init__(self) -> None:
        self._by_object: dict[str, dict[str, PendingEdit]] = {}
        self._names: dict[str, str] = {}
        #: bumped on every change: painters and screens compare it to know when to repaint
        self.version = 0

    def __len__(self) -> int:
        return sum(len(edits) for edits in self._by_object.values())

    def __bool__(self) -> bool:
        return bool(self._by_object)

    def __iter__(self) -> Iterator[PendingEdit]:
        for edits in list(self._by_object.values()):
            yield from list(edits.values())

    @property
    def objects(self) -> int:
        """How many objects have pending edits."""
        return len(self._by_object)

    @property
    def failed(self) -> int:
        """How many pending edits Graph refused at the last commit."""
        return sum(1 for edit in self if edit.error)

    def name(self, object_id: str) -> str:
        """The object's name as it was when first edited ('' if unknown)."""
        return self._names.get(object_id, "")

    def of(self, object_id: str) -> Mapping[str, PendingEdit]:
        """The pending edits of one object, by property (empty when it has none)."""
        return self._by_object.get(object_id, {})

    def get(self, object_id: str, prop: str) -> PendingEdit | None:
        return self._by_object.get(object_id, {}).get(prop)

    def set(self, object_id: str, prop: str, new: Any, *, old: Any, label: str = "",
            name: str = "") -> PendingEdit | None:
        """Record that ``prop`` of ``object_id`` should become ``new``. Setting it back to
        the loaded value drops the edit (returns ``None``); an edit made again keeps the
        first ``old``."""
        edits = self._by_object.get(object_id, {})
        before = edits.get(prop)
        if before is not None:
            old = before.old
        if _same(old, new):
            self.drop(object_id, prop)
            return None
        edit = PendingEdit(object_id, prop, label or prop, old, new)
        self._by_object.setdefault(object_id, {})[prop] = edit
        if name and object_id not in self._names:
            self._names[object_id] = name
        self.version += 1
        return edit

    def drop(self, object_id: str, prop: str | None = None) -> int:
        """Forget one edit (or all of one object's with ``prop=None``); returns how many."""
        edits = self._by_object.get(object_id)
        if not edits:
            return 0
        if prop is None:
            dropped = len(edits)
            edits.clear()
        else:
            dropped = 1 if edits.pop(prop, None) is not None else 0
        if not edits:
            self._by_object.pop(object_id, None)
            self._names.pop(object_id, None)
        if dropped:
            self.version += 1
        return dropped

    def clear(self) -> int:
        """Forget every edit; returns how many there were."""
        count = len(self)
        self._by_object.clear()
        self._names.clear()
        self.version += 1
        return count

    def changes(self, make: Callable[[str, dict[str, Any], dict[str, Any], str], Change]
                ) -> list[Change]:
        """One change per object (all its edits in one PATCH), in the order edited.
        ``make(object_id, new, old, name)`` builds it (the pane knows the object's kind)."""
        out = []
        for object_id, edits in self._by_object.items():
            new = {prop: edit.new for prop, edit in edits.items()}
            old = {prop: edit.old for prop, edit in edits.items()}
            out.append(make(object_id, new, old, self.name(object_id)))
        return out

    def settle(self, change: Change, error: str | None) -> list[str]:
        """What became of a committed ``change``: on success (``error`` ``None``) its edits
        are dropped, unless edited again since (then they stay, with the committed value as
        their new ``old``); on failure they stay with ``error``. Returns the properties that
        Graph took (for the table to show)."""
        edits = self._by_object.get(change.object_id, {})
        taken = []
        for prop, sent in change.new.items():
            edit = edits.get(prop)
            if error is not None:
                if edit is not None and _same(edit.new, sent):
                    edits[prop] = replace(edit, error=error)
                continue
            taken.append(prop)
            if edit is None:
                continue
            if _same(edit.new, sent):
                del edits[prop]
            else:  # edited again while the commit was on its way: that edit is still to send
                edits[prop] = replace(edit, old=sent, error=None)
        if not edits:
            self._by_object.pop(change.object_id, None)
            self._names.pop(change.object_id, None)
        self.version += 1
        return taken


def _same(a: Any, b: Any) -> bool:
    """Equal as Graph would store them: missing, ``None`` and ``""`` are all "no value"."""
    if a in (None, "", []) and b in (None, "", []):
        return True
    return bool(type(a) is type(b) and a == b) or (
        not isinstance(a, bool) and not isinstance(b, bool) and a == b)
