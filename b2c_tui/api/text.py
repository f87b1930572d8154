"""Tenant text for a terminal: visible escapes instead of characters that act on it.

Display names are chosen by whoever signs up. Control characters (ESC sequences), bidi
overrides (U+202E) and zero-width characters must not reach a terminal raw, where they could
clear the screen or disguise one name as another; shown as ``\\u202e`` they are harmless and
still say what is there. The frames keep the exact text; what is *printed* goes through here
(the notebook API's reports and every ``b2c-tui`` command's output, text and JSON).
"""

from __future__ import annotations

import unicodedata

#: Control (C0/C1), format (bidi, zero-width), line/paragraph separators, private use,
#: surrogates.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def hidden(ch: str) -> bool:
    """A character that acts on a terminal or hides itself rather than showing."""
    return unicodedata.category(ch) in HIDDEN_CATEGORIES


def visible(text: str, *, keep: str = "") -> str:
    """``text`` with each hidden character written as an escape (``\\t``, ``\\u202e``); the
    characters in ``keep`` stay as they are (``"\\t\\n"`` for a block of lines)."""
    if text.isprintable():
        return text
    return "".join(ch if ch in keep or not hidden(ch) else _NAMED.get(ch, f"\\u{ord(ch):04x}")
                   for ch in text)


def json_safe(text: str) -> str:
    """JSON text with hidden characters escaped inside its strings (still the same JSON)."""
    if text.isprintable():
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch != "\n" and hidden(ch) else ch for ch in text)
