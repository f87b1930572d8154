"""What every pane needs from the application: the open tenant and its switches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..connection import Connection
from ..frames.extensions import ExtensionAttribute
from ..graph.client import GraphClient


@dataclass
class AppContext:
    """The open tenant as panes see it. Panes read it; only the app replaces it."""

    connection: Connection
    extension_app_id: str | None = None
    """appId of the b2c-extensions-app (no dashes), once discovered."""
    extensions: tuple[ExtensionAttribute, ...] | None = None
    """The tenant's custom attributes, once discovered (``None``: not yet, or changed since)."""
    tenant_type: str | None = None
    """``organization.tenantType`` once read (``""``: Graph did not say); see
    :mod:`b2c_tui.tui.kit.tenant`."""

    @property
    def client(self) -> GraphClient:
        return self.connection.client

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    @property
    def tenant(self) -> str:
        return self.connection.tenant

    def now(self) -> datetime:
        """The tenant's time (UTC): the demo tenant's own clock (fixed in tests, so expiry
        days and snapshots hold still), else the wall clock."""
        clock = getattr(self.connection.emulator, "clock", None)
        moment = clock() if callable(clock) else None
        return moment if isinstance(moment, datetime) else datetime.now(UTC)
