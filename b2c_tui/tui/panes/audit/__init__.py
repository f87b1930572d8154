"""The audit log pane: :class:`~.pane.AuditPane` (``:audit``)."""

from __future__ import annotations

from .pane import AuditPane

__all__ = ["AuditPane"]
