"""The change journal: one append-only JSON Lines file per tenant.

Every change and delete is written here, and flushed to disk (``fsync``), **before** its
request is sent; Graph's answer is appended when it comes. A crash in between leaves the
entry ``pending``, and :func:`~b2c_tui.changes.reconcile.reconcile` settles it against the
tenant at the next start.

The file holds two kinds of lines, each a JSON object with ``"v": 1``:

* ``{"type": "entry", "id", "time", "tenant", "profile", "op", "kind", "object_id",
  "display_name", "path", "old", "new", "commit", "undoes"}`` -- a change, pending;
* ``{"type": "state", "id", "time", "state", "message", "code", "by"}`` -- what became of it.

Nothing is ever rewritten, so the file is also an audit trail. It lives in
``paths.tenant_dir("journal", tenant)``: the file 0600 in a 0700 folder, and values pass
through :func:`~b2c_tui.changes.secrets.scrub` first, so no password or key is ever written.
A line torn by a crash mid-write is skipped when reading (its request was never sent).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from .. import paths
from ..graph.errors import B2CTuiError
from .model import KINDS, STATES, Change, JournalEntry, State
from .secrets import scrub

__all__ = ["FILE_NAME", "Journal", "JournalError", "Mark", "new_id"]

log = logging.getLogger(__name__)

FILE_NAME = "journal.jsonl"
VERSION = 1

try:  # POSIX: serialise appends from several processes (the explorer and the CLI)
    import fcntl
except ImportError:  # pragma: no cover - Windows: O_APPEND writes of one line suffice there
    fcntl = None  # type: ignore[assignment]


class JournalError(B2CTuiError):
    """The journal cannot be read or written, or an entry is not in it."""


def new_id() -> str:
    """A fresh entry (or commit) id: 32 hex digits; any unique prefix names it."""
    return uuid.uuid4().hex


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Mark:
    """What became of an entry: its new state and Graph's message and code (if any)."""

    id: str
    state: State
    message: str | None = None
    code: str | None = None
    by: str | None = None


class Journal:
    """The journal of one tenant (see the module's documentation for the format).

    ``profile`` is recorded with every entry; ``clock`` gives ISO times (tests fix it).
    """

    def __init__(self, path: str | os.PathLike[str], *, tenant: str,
                 profile: str | None = None, clock: Callable[[], str] = _now) -> None:
        self.path = Path(path)
        self.tenant = tenant
        self.profile = profile
        self._clock = clock

    @classmethod
    def for_tenant(cls, tenant: str, *, profile: str | None = None, demo: bool = False,
                   environ: Mapping[str, str] | None = None) -> Journal:
        """The journal of ``tenant`` in the application's data folder (the demo tenant has its
        own, so its throwaway edits never mix with a real tenant of the same name)."""
        folder = paths.tenant_dir("journal", f"demo-{tenant}" if demo else tenant, environ)
        return cls(folder / FILE_NAME, tenant=tenant, profile=profile)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, tenant={self.tenant!r})"

    # -- writing ---------------------------------------------------------------------------
    def _append(self, records: Iterable[Mapping[str, Any]]) -> None:
        data = b"".join(orjson.dumps(r) + b"\n" for r in records)
        if not data:
            return
        folder = self.path.parent
        created = not self.path.exists()
        paths.private_dir(folder)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise JournalError(f"Cannot open the journal {self.path}: {exc.strerror}") from None
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and _byte_at(fd, size - 1) != b"\n":
                data = b"\n" + data  # a line torn by a crash stays alone on its line
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError as exc:
            raise JournalError(f"Cannot write the journal {self.path}: {exc.strerror}") from None
        finally:
            os.close(fd)  # releases the lock
        if created:
            _fsync_dir(folder)

    def record(self, changes: Sequence[Change], *, commit: str | None = None,
               undoes: str | None = None) -> list[JournalEntry]:
        """Write ``changes`` as pending entries, durably, and return them. Call before
        sending; secrets in their values are replaced by a marker first."""
        time = self._clock()
        entries = [
            JournalEntry(
                id=new_id(), time=time, tenant=self.tenant, profile=self.profile,
                op=change.op, kind=change.kind, object_id=change.object_id,
                display_name=change.display_name, path=change.resource_path,
                old=scrub(dict(change.old)), new=scrub(dict(change.new)), commit=commit,
                undoes=undoes,
            )
            for change in changes
        ]
        self._append(_entry_record(e) for e in entries)
        return entries

    def mark(self, marks: Sequence[Mark]) -> None:
        """Append what became of some entries (one durable write for all of them)."""
        time = self._clock()
        self._append(
            {"v": VERSION, "type": "state", "id": m.id, "time": time, "state": m.state,
             "message": m.message, "code": m.code, "by": m.by}
            for m in marks
        )

    # -- reading ---------------------------------------------------------------------------
    def entries(self) -> list[JournalEntry]:
        """Every entry with its latest state, oldest first."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise JournalError(f"Cannot read the journal {self.path}: {exc.strerror}") from None
        found: dict[str, JournalEntry] = {}
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
                _apply(found, record)
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                log.warning("%s line %d is damaged (a crash while writing?); skipped",
                            self.path, number)
        return list(found.values())

    def get(self, entry_id: str) -> JournalEntry:
        """The entry whose id is (or starts with) ``entry_id``."""
        key = entry_id.strip().lower()
        if len(key) < 4:
            raise JournalError("Give at least 4 characters of the entry's id")
        matches = [e for e in self.entries() if e.id.startswith(key)]
        if not matches:
            raise JournalError(f"No journal entry {entry_id!r} for {self.tenant}")
        if len(matches) > 1:
            raise JournalError(f"{entry_id!r} names {len(matches)} entries; give more of the id")
        return matches[0]

    def pending(self) -> list[JournalEntry]:
        """Entries sent (or about to be) whose answer never arrived."""
        return [e for e in self.entries() if e.state == "pending"]


def _entry_record(entry: JournalEntry) -> dict[str, Any]:
    return {
        "v": VERSION, "type": "entry", "id": entry.id, "time": entry.time,
        "tenant": entry.tenant, "profile": entry.profile, "op": entry.op, "kind": entry.kind,
        "object_id": entry.object_id, "display_name": entry.display_name, "path": entry.path,
        "old": entry.old, "new": entry.new, "commit": entry.commit, "undoes": entry.undoes,
    }


def _apply(found: dict[str, JournalEntry], record: dict[str, Any]) -> None:
    kind = record["type"]
    if kind == "entry":
        found[record["id"]] = JournalEntry(
            id=record["id"], time=record["time"], tenant=record["tenant"],
            profile=record.get("profile"), op=record["op"], kind=record["kind"],
            object_id=record["object_id"], display_name=record.get("display_name") or "",
            path=record.get("path") or f"{KINDS.get(record['kind'], '')}/{record['object_id']}",
            old=dict(record.get("old") or {}), new=dict(record.get("new") or {}),
            commit=record.get("commit"), undoes=record.get("undoes"),
        )
    elif kind == "state":
        entry = found.get(record["id"])
        state = record["state"]
        if entry is None or state not in STATES:
            raise ValueError("a state for an unknown entry")
        found[entry.id] = entry.with_state(state, message=record.get("message"),
                                           code=record.get("code"), time=record["time"],
                                           by=record.get("by"))


def _byte_at(fd: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, 1, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # O_APPEND still writes at the end
    return os.read(fd, 1)


def _fsync_dir(folder: Path) -> None:
    """Make a new file's name durable too (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
