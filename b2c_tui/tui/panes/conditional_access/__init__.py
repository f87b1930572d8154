"""The conditional access pane (``:ca``); see :mod:`.pane`."""

from __future__ import annotations

from .pane import ConditionalAccessPane

__all__ = ["ConditionalAccessPane"]
