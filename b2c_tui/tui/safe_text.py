"""Text from the tenant is shown as text.

Display names are chosen by anyone who signs up: ``[red]x[/]`` must show as those characters,
ESC sequences must not reach the terminal, and invisible characters must not disguise a name
(``admin\u202egnp.exe`` shown right-to-left, a zero-width space inside a look-alike). Everything
the UI shows from Graph goes through :func:`safe` (plain ``str`` out, for ``Text``/``Segment``)
or :func:`safe_text` (a ``Text``): C0 controls become their Unicode control pictures (``␛``),
C1 controls ``�``, and bidi controls, zero-width and other invisible format characters a
visible ``⟨U+202E⟩``. :func:`strip_controls` removes them instead, for what is typed or pasted.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

_CONTROL_NAMES = {0x1B: "␛", 0x7F: "␡", 0x9B: "␛["}
#: Invisible characters that reorder or hide text: bidi embeddings, overrides and isolates,
#: the marks LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, line/paragraph separators.
INVISIBLE = frozenset((
    *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C,
    *range(0x200B, 0x200E), 0x2060, 0xFEFF, 0x2028, 0x2029,
))


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␀ ␁ ... ␛ ...
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    if code in INVISIBLE or unicodedata.category(char) in ("Cf", "Zl", "Zp", "Co", "Cn"):
        return f"⟨U+{code:04X}⟩"
    return char


def safe(value: object) -> str:
    """``value`` as a single printable line: control and invisible characters made visible."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _visible(ch) for ch in text)


def safe_text(value: object, style: str = "") -> Text:
    """A ``Text`` holding ``value`` literally (no markup is ever parsed)."""
    return Text(safe(value), style=style)


def strip_controls(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1) nor the :data:`INVISIBLE` ones:
    what an input keeps of a paste. Tabs become spaces; line breaks end the line."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t":
            out.append(" ")
        elif code < 0x20 or 0x7F <= code < 0xA0 or code in INVISIBLE:
            continue
        else:
            out.append(ch)
    return "".join(out)
