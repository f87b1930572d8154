"""The tenant dashboard: :class:`~.pane.TenantPane` (``:tenant``, the first pane on launch)."""

from __future__ import annotations

from .pane import TenantPane

__all__ = ["TenantPane"]
