"""``SafeInput``: an ``Input`` that never holds control or invisible characters.

Whatever reaches its value (typed, pasted, set by code) loses C0/C1 controls, bidi controls and
zero-width characters (:func:`~b2c_tui.tui.safe_text.strip_controls`): a pasted name cannot carry
an ESC sequence or a right-to-left override into a request body. Textual validates a reactive
through its ``validate_<name>`` method, which is public API.
"""

from __future__ import annotations

from textual.widgets import Input

from ..safe_text import strip_controls


class SafeInput(Input):
    """An input whose value is always free of control characters."""

    def validate_value(self, value: str) -> str:
        return strip_controls(value)
