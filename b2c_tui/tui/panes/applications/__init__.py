"""The applications pane (``:apps``); see :mod:`.pane`."""

from __future__ import annotations

from .pane import ApplicationsPane

__all__ = ["ApplicationsPane"]
