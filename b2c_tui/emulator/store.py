"""The demo tenant's state: one :class:`Store` per emulator, made of typed parts.

The store owns the tenant's identity (domain, id), its clock and seeded RNGs and its parts,
where the rules of each family live (the families only map HTTP onto them): the users
(lazily generated, :mod:`.users`), applications, service principals and grants, deleted
items, the audit log and the organization (:mod:`.directory`), and the identity services'
state (:mod:`.identity`, seeded on first use).
"""

from __future__ import annotations

import hashlib
import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from .clock import Clock, iso, seeded_uuid, system_clock
from .directory.apps import AppDirectory
from .directory.audit_history import AuditHistory
from .directory.audit_log import AuditLog
from .directory.deleted import DeletedItems
from .directory.history import seed_history
from .directory.organization import Organization
from .identity.seed import build_state
from .identity.state import IdentityState
from .users.directory import UserDirectory

log = logging.getLogger(__name__)

DEFAULT_TENANT = "contosob2c.onmicrosoft.com"
#: A B2C tenant's default directory object quota.
DEFAULT_QUOTA = 50_000


def _seeded_uuid(*parts: object) -> str:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


class Store:
    """State of one demo tenant.

    Parts: :attr:`users`, :attr:`apps`, :attr:`deleted`, :attr:`audit_log`,
    :attr:`organization` and :attr:`identity`; shared services: :attr:`tenant_domain`,
    :attr:`tenant_id`, :meth:`clock`, :meth:`now_iso`, :meth:`new_id`, :meth:`audit`,
    :meth:`quota_used`, :attr:`rng`.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        users: int = 2000,
        tenant: str = DEFAULT_TENANT,
        clock: Clock | None = None,
        display_name: str | None = None,
        tenant_type: str = "AAD B2C",
        audit_entries: int | None = None,
        extensions_app: bool = True,
        health_findings: bool = False,
    ) -> None:
        self.seed = seed
        self.tenant_domain = tenant.lower()
        self.tenant_name = self.tenant_domain.split(".", 1)[0]
        self.tenant_id = _seeded_uuid("tenant", seed, self.tenant_domain)
        self.tenant_type = tenant_type
        base_name = self.tenant_name.removesuffix("b2c") or self.tenant_name
        self.display_name = display_name or f"{base_name.capitalize()} B2C"
        self.clock: Clock = clock or system_clock
        #: When the tenant was generated; generated timestamps lie before it.
        self.anchor: datetime = self.clock()
        #: Seeded RNG for anything random after generation (ids, audit ids, faults use theirs).
        self.rng = random.Random(f"b2c-emulator:{seed}")
        self._id_rng = random.Random(f"b2c-emulator:{seed}:ids")
        self._quota_hooks: dict[str, Callable[[], int]] = {}
        self.audit_log = AuditLog(random.Random(f"b2c-emulator:{seed}:audit"), self.clock)
        self.deleted = DeletedItems(self)
        self.apps = AppDirectory(self, extensions_app=extensions_app)
        self.users = UserDirectory(self, count=users)
        self.organization = Organization(self)
        entries = default_audit_entries(users) if audit_entries is None else audit_entries
        self.audit_log.history = AuditHistory(self, entries)
        seed_history(self, health_findings=health_findings)
        used = self.quota_used()
        self.quota_total = DEFAULT_QUOTA if used < DEFAULT_QUOTA * 0.8 else _round_up(used * 1.25)

    @cached_property
    def identity(self) -> IdentityState:
        """The identity services' state (providers, flows, policies, keysets...), seeded on
        first use from the seed, the tenant and the clock."""
        return build_state(self)

    # -- services for the parts and the families -------------------------------------------
    def now(self) -> datetime:
        """The current time on the store's clock."""
        return self.clock()

    def now_iso(self) -> str:
        """The current time as Graph DateTimeOffset text (``2025-01-15T09:30:00Z``)."""
        return iso(self.clock())

    def new_id(self) -> str:
        """A new object id: a deterministic (seeded) version-4 UUID string."""
        return seeded_uuid(self._id_rng)

    def audit(
        self,
        activity: str,
        category: str,
        target: dict[str, Any] | list[dict[str, Any]] | None = None,
        result: str = "success",
        service: str = "Core Directory",
        *,
        reason: str = "",
        additional: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Append a directoryAudit entry for a change made through the API.

        ``target`` is one or more ``targetResources`` items (see
        :func:`.directory.audit_log.target`); ``service`` is ``loggedByService``
        (``"B2C"`` for B2C policy/user-flow/IdP changes, ``"Core Directory"`` for directory
        objects).
        """
        targets = [] if target is None else [target] if isinstance(target, dict) else target
        return self.audit_log.append(
            self.clock(),
            activity,
            category,
            targets=targets,
            result=result,
            result_reason=reason,
            service=service,
            additional=additional,
        )

    def add_quota_hook(self, name: str, count: Callable[[], int]) -> None:
        """Count ``count()`` more directory objects in ``directorySizeQuota.used``."""
        self._quota_hooks[name] = count

    def quota_used(self) -> int:
        """Directory objects counted against the quota (soft-deleted ones included)."""
        total = 1  # the tenant's own organization object
        total += self.users.live_count() + self.apps.live_count() + len(self.deleted)
        for count in self._quota_hooks.values():
            try:
                total += int(count())
            except Exception:  # a hook must never break /organization
                log.exception("quota hook failed")
        return total

    def purge_expired(self) -> int:
        """Permanently remove deleted items older than 30 days; returns how many."""
        return self.deleted.purge_expired()


def default_audit_entries(users: int) -> int:
    """How many audit entries a tenant of ``users`` users has from its last seven days."""
    return min(20_000, max(1_000, users)) if users else 0


def _round_up(value: float, step: int = 50_000) -> int:
    return int(-(-value // step) * step)

