"""A change to the tenant, and what the journal remembers about it.

A :class:`Change` is plain data (what the explorer's inline edits and the Python API's
``apply`` hand over): update some properties of an object, delete it, or restore it from
deleted items. A :class:`JournalEntry` is a change as the journal keeps it: with an id, the
time, the profile, its state and Graph's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..graph.batch import BatchRequest
from ..graph.encoding import quote_segment

__all__ = [
    "KINDS",
    "RESTORABLE",
    "Change",
    "JournalEntry",
    "Op",
    "State",
]

Op = Literal["update", "delete", "restore"]
State = Literal["pending", "done", "failed", "not_applied", "unknown", "undone"]
OPS: tuple[Op, ...] = ("update", "delete", "restore")
STATES: tuple[State, ...] = ("pending", "done", "failed", "not_applied", "unknown", "undone")

# Where each kind of object lives in Graph (v1.0); other kinds give their ``path``.
KINDS: dict[str, str] = {
    "user": "/users",
    "application": "/applications",
    "servicePrincipal": "/servicePrincipals",
    "group": "/groups",
}
# Kinds Graph keeps in deleted items for 30 days (a delete of these can be undone).
RESTORABLE = frozenset({"user", "application", "servicePrincipal", "group"})
DELETED_ITEMS = "/directory/deletedItems"


@dataclass(frozen=True)
class Change:
    """One change to send: ``update`` (``new`` holds the properties to PATCH, ``old`` their
    values before), ``delete`` or ``restore`` (from deleted items).

    ``kind`` is one of :data:`KINDS` (``"user"``, ``"application"``...), or any name with an
    explicit ``path`` ("/identity/userFlowAttributes/{id}").
    """

    op: Op
    kind: str
    object_id: str
    new: Mapping[str, Any] = field(default_factory=dict)
    old: Mapping[str, Any] = field(default_factory=dict)
    display_name: str = ""
    path: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"Unknown change {self.op!r}; one of {', '.join(OPS)}")
        if not self.object_id:
            raise ValueError("A change needs the object's id")
        if self.op == "restore" and self.kind not in RESTORABLE:
            raise ValueError(f"A {self.kind} cannot be restored from deleted items")
        if self.path is None and self.kind not in KINDS:
            raise ValueError(f"Unknown kind {self.kind!r}: give the object's path")
        if self.op == "update" and not self.new:
            raise ValueError("An update needs at least one property to change")

    @classmethod
    def update(cls, kind: str, object_id: str, new: Mapping[str, Any], *,
               old: Mapping[str, Any] | None = None, display_name: str = "",
               path: str | None = None) -> Change:
        """Set the properties in ``new`` (``old``: their values before, for review and undo)."""
        return cls("update", kind, object_id, dict(new), dict(old or {}), display_name, path)

    @classmethod
    def delete(cls, kind: str, object_id: str, *, display_name: str = "",
               path: str | None = None) -> Change:
        """Delete the object (users and applications go to deleted items for 30 days)."""
        return cls("delete", kind, object_id, {}, {}, display_name, path)

    @classmethod
    def restore(cls, kind: str, object_id: str, *, display_name: str = "") -> Change:
        """Bring a deleted object back from deleted items."""
        return cls("restore", kind, object_id, {}, {}, display_name)

    @property
    def resource_path(self) -> str:
        """The object's path relative to the version root (``/users/{id}``)."""
        if self.path is not None:
            return self.path
        return f"{KINDS[self.kind]}/{quote_segment(self.object_id)}"

    @property
    def method(self) -> str:
        return {"update": "PATCH", "delete": "DELETE", "restore": "POST"}[self.op]

    @property
    def request_path(self) -> str:
        if self.op == "restore":
            return f"{DELETED_ITEMS}/{quote_segment(self.object_id)}/restore"
        return self.resource_path

    def batch_request(self, request_id: str) -> BatchRequest:
        """This change as one request of a ``$batch``."""
        body = dict(self.new) if self.op == "update" else None
        return BatchRequest(self.method, self.request_path, body=body, id=request_id)


@dataclass(frozen=True)
class JournalEntry:
    """A change as the journal keeps it (values already stripped of secrets)."""

    id: str
    time: str
    tenant: str
    profile: str | None
    op: Op
    kind: str
    object_id: str
    display_name: str
    path: str
    old: dict[str, Any]
    new: dict[str, Any]
    state: State = "pending"
    message: str | None = None
    code: str | None = None
    updated: str | None = None
    commit: str | None = None
    undoes: str | None = None
    undone_by: str | None = None

    @property
    def change(self) -> Change:
        """The change this entry records (kind-less paths kept)."""
        path = None if self.kind in KINDS else self.path
        return Change(self.op, self.kind, self.object_id, dict(self.new), dict(self.old),
                      self.display_name, path)

    @property
    def properties(self) -> list[str]:
        """The properties an update touched, in order."""
        return list(dict.fromkeys([*self.new, *self.old]))

    def with_state(self, state: State, *, message: str | None, code: str | None,
                   time: str, by: str | None = None) -> JournalEntry:
        return replace(self, state=state, message=message, code=code, updated=time,
                       undone_by=by if state == "undone" else self.undone_by)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and notebooks."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}
