"""The policy diff: :class:`DiffView` (side by side or unified, change navigation) and the
line diff it shows (:func:`diff_lines`)."""

from __future__ import annotations

from ....policies.diff import Opcode, diff_lines
from .view import DiffView

__all__ = ["DiffView", "Opcode", "diff_lines"]
