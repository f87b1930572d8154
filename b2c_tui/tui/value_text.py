"""A plain JSON value (a property as loaded or as sent) as one line of text.

The editor's input starts with it in Graph's words (``true``, ``a, b``); the journal shows it
to a person (``yes``, ``a; b``, ``(empty)``). One function with the words as parameters, so the
two cannot drift apart on what counts as empty or how a list reads. The result is not made
safe: pass it through :func:`~.safe_text.safe` to show tenant text.
"""

from __future__ import annotations

from typing import Any


def value_text(value: Any, *, empty: str = "", yes: str = "true", no: str = "false",
               separator: str = ", ") -> str:
    """``value`` as text: ``empty`` for ``None`` or ``""``, ``yes``/``no`` for a boolean,
    a list's items joined by ``separator``, anything else as ``str``."""
    if value is None or (isinstance(value, str) and not value):  # no ``==``: arrays compare
        return empty
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, list):
        return separator.join(str(v) for v in value)
    return str(value)
