"""The local backup journal: every policy b2c-tui overwrites or deletes is saved here first.

Layout, one folder per tenant (:func:`b2c_tui.paths.tenant_dir`) and one per operation::

    ~/.local/share/b2c-tui/policy-backups/contosob2c.onmicrosoft.com/
        20260105T101500Z-push/
            manifest.json
            B2C_1A_TrustFrameworkBase.xml      # the tenant's copy, as it was before the push
            B2C_1A_signup_signin.xml

``manifest.json`` records the operation (``push``, ``restore``, ``delete``), when, which
profile, each saved policy (file, size, SHA-256), the policies the operation created (nothing
to save for those), what it went on to upload or delete and how it ended (``started``,
``complete``, ``failed``, ``nothing-sent``). Files are written through a temporary file and a
rename; the manifest is rewritten as the operation goes, so a crash leaves an honest record.
Folders are private (0700): policies can name internal endpoints.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..graph.errors import B2CTuiError
from .local import write_atomic

BACKUP_KIND = "policy-backups"
MANIFEST = "manifest.json"
STARTED, COMPLETE, FAILED, NOTHING_SENT = "started", "complete", "failed", "nothing-sent"
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


class BackupError(B2CTuiError, ValueError):
    """A backup that cannot be found or read (one line, naming it)."""


@dataclass
class SavedPolicy:
    """A policy saved in a backup."""

    policy_id: str
    file: str
    size: int
    sha256: str


@dataclass
class Backup:
    """One operation's backup folder and its manifest."""

    path: Path
    operation: str
    tenant: str
    created: str  # ISO 8601, UTC
    profile: str | None = None
    status: str = STARTED
    saved: list[SavedPolicy] = field(default_factory=list)
    created_policies: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    failed: str | None = None
    message: str | None = None

    @property
    def name(self) -> str:
        """The folder's name: how the CLI and the UI refer to the backup."""
        return self.path.name

    def saved_ids(self) -> list[str]:
        return [s.policy_id for s in self.saved]

    def file_of(self, policy_id: str) -> Path:
        for saved in self.saved:
            if saved.policy_id.lower() == policy_id.lower():
                return self.path / saved.file
        raise BackupError(f"backup {self.name} holds no copy of {policy_id} (it has: "
                          f"{', '.join(self.saved_ids()) or 'nothing'}).")

    def read(self, policy_id: str) -> str:
        """The saved XML of ``policy_id``; its checksum is verified."""
        file = self.file_of(policy_id)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise BackupError(f"{file}: cannot read the backup ({exc.strerror}).") from None
        saved = next(s for s in self.saved if s.policy_id.lower() == policy_id.lower())
        if hashlib.sha256(data).hexdigest() != saved.sha256:
            raise BackupError(f"{file}: the file changed since it was backed up (checksum "
                              "mismatch); refusing to restore it.")
        return data.decode("utf-8")

    def documents(self, policy_ids: Iterable[str] | None = None) -> dict[str, str]:
        """``{id: XML}`` of the saved policies (all, or ``policy_ids``)."""
        ids = self.saved_ids() if policy_ids is None else list(policy_ids)
        return {self._saved_name(i): self.read(i) for i in ids}

    def _saved_name(self, policy_id: str) -> str:
        return next((s.policy_id for s in self.saved
                     if s.policy_id.lower() == policy_id.lower()), policy_id)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        return {"format": 1, **data}


class BackupJournal:
    """The backups of one tenant (``root`` defaults to the per-tenant data folder)."""

    def __init__(self, tenant: str, root: Path | None = None, *,
                 profile: str | None = None) -> None:
        self.tenant = tenant
        self.profile = profile
        self.root = root if root is not None else paths.tenant_dir(BACKUP_KIND, tenant)

    def start(self, operation: str, *, now: datetime | None = None) -> Backup:
        """A new, empty backup folder for an operation about to run."""
        when = (now or datetime.now(UTC)).astimezone(UTC)
        paths.private_dir(self.root)
        stem = f"{when.strftime('%Y%m%dT%H%M%SZ')}-{operation}"
        folder, n = self.root / stem, 1
        while folder.exists():
            n += 1
            folder = self.root / f"{stem}-{n}"
        paths.private_dir(folder)
        backup = Backup(folder, operation, self.tenant, when.isoformat(timespec="seconds"),
                        self.profile)
        self.write_manifest(backup)
        return backup

    def save(self, backup: Backup, policy_id: str, xml: str) -> SavedPolicy:
        """Save the tenant's copy of ``policy_id`` into ``backup`` (before it is changed)."""
        data = xml.encode("utf-8")
        name = f"{_SAFE_ID.sub('_', policy_id)}.xml"
        write_atomic(backup.path / name, xml)
        saved = SavedPolicy(policy_id, name, len(data), hashlib.sha256(data).hexdigest())
        backup.saved = [s for s in backup.saved if s.policy_id.lower() != policy_id.lower()]
        backup.saved.append(saved)
        self.write_manifest(backup)
        return saved

    def write_manifest(self, backup: Backup) -> None:
        text = json.dumps(backup.to_json(), indent=2, ensure_ascii=False) + "\n"
        write_atomic(backup.path / MANIFEST, text)

    def finish(self, backup: Backup, status: str, *, message: str | None = None,
               failed: str | None = None) -> None:
        backup.status, backup.message, backup.failed = status, message, failed
        self.write_manifest(backup)

    def list(self) -> list[Backup]:
        """Every readable backup of the tenant, newest first (unreadable folders are skipped)."""
        if not self.root.is_dir():
            return []
        out = []
        for folder in self.root.iterdir():
            if (folder / MANIFEST).is_file():
                try:
                    out.append(load_backup(folder))
                except BackupError:
                    continue
        return sorted(out, key=lambda b: (b.created, b.name), reverse=True)

    def find(self, ref: str) -> Backup:
        """A backup by folder name, unique name prefix, ``latest``, or a path."""
        candidate = Path(ref).expanduser()
        if (candidate / MANIFEST).is_file():
            return load_backup(candidate)
        backups = self.list()
        if ref == "latest":
            if not backups:
                raise BackupError(f"no policy backups for {self.tenant} yet ({self.root}).")
            return backups[0]
        exact = [b for b in backups if b.name == ref]
        matches = exact or [b for b in backups if b.name.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise BackupError(f"no backup {ref!r} for {self.tenant} (b2c-tui policies backups "
                              "lists them).")
        raise BackupError(f"{ref!r} matches {len(matches)} backups: "
                          f"{', '.join(b.name for b in matches[:5])}; give more of the name.")


def load_backup(folder: Path) -> Backup:
    """Read a backup folder's manifest."""
    file = folder / MANIFEST
    try:
        data = json.loads(file.read_text("utf-8"))
        saved = [SavedPolicy(**s) for s in data.get("saved", [])]
        return Backup(
            path=folder, operation=str(data["operation"]), tenant=str(data["tenant"]),
            created=str(data["created"]), profile=data.get("profile"),
            status=str(data.get("status", STARTED)), saved=saved,
            created_policies=list(data.get("created_policies", [])),
            done=list(data.get("done", [])), failed=data.get("failed"),
            message=data.get("message"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{file}: not a readable b2c-tui backup manifest ({exc}).") from None
