"""Tenant text on a terminal: shown literally, never as control sequences.

Display names and Graph's messages come from anyone who can sign up. Printed raw, an escape
sequence could drive the terminal and a right-to-left override (U+202E) or a zero-width
character could disguise a name. Here every control, format (bidi, zero-width) and line/
paragraph separator character is shown as an escape (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import json
import unicodedata
from typing import IO, Any

__all__ = ["dump_json", "terminal_safe"]

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def terminal_safe(text: str) -> str:
    """``text`` with every control and invisible formatting character escaped."""
    if text.isprintable():  # the usual case: nothing to look at twice
        return text
    return "".join(_escape(c) if _unsafe(c) else c for c in text)


def dump_json(value: Any, out: IO[str]) -> None:
    """``--json`` output that keeps non-ASCII text readable but escapes what a terminal would
    act on (JSON already escapes C0 controls; DEL, C1, bidi and zero-width characters become
    ``\\uXXXX``, which is the same JSON string)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if not text.isprintable():
        text = "".join(f"\\u{ord(c):04x}" if c != "\n" and _unsafe(c) else c for c in text)
    out.write(text + "\n")
