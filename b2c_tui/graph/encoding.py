"""URL building shared by the core client and ``$batch``: strict RFC 3986 query encoding."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

Params = Mapping[str, "str | int | bool"]


def _value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode_query(params: Params | None) -> str:
    """``$filter=...&$top=...`` with every value percent-encoded (spaces as ``%20``, ``#`` as
    ``%23``); ``$`` in option names is kept readable."""
    if not params:
        return ""
    return "&".join(
        f"{quote(str(k), safe='$')}={quote(_value(v), safe='')}" for k, v in params.items()
    )


def join_url(path: str, params: Params | None) -> str:
    """Append an encoded query string to a path or URL that may already carry one."""
    query = encode_query(params)
    if not query:
        return path
    return f"{path}{'&' if '?' in path else '?'}{query}"


def quote_segment(value: str) -> str:
    """Percent-encode one path segment (an id, a UPN with ``#EXT#``...)."""
    return quote(value, safe="@!$&()*+,;=:'")
