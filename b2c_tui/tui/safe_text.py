"""Text from the tenant is shown as text.

Display names are chosen by anyone who signs up: ``[red]x[/]`` must show as those characters,
and ESC sequences must not reach the terminal. Everything the UI shows from Graph goes through
:func:`safe` (plain ``str`` out, for ``Text``/``Segment``) or :func:`safe_text` (a ``Text``).
"""

from __future__ import annotations

from rich.text import Text

_CONTROL_NAMES = {0x1B: "␛", 0x7F: "␡", 0x9B: "␛["}


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␀ ␁ ... ␛ ...
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    return char


def safe(value: object) -> str:
    """``value`` as a single printable line: control characters made visible."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _visible(ch) for ch in text)


def safe_text(value: object, style: str = "") -> Text:
    """A ``Text`` holding ``value`` literally (no markup is ever parsed)."""
    return Text(safe(value), style=style)
