"""What a request gives back: :class:`GraphResponse` and JSON decoding with typed errors.

Shared by the core, paging and ``$batch``; it imports none of them, so they need not import
each other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from .errors import InvalidResponseError

__all__ = ["GraphResponse", "decode_json", "strip_query"]


def strip_query(url: str) -> str:
    """``url`` without its query: URLs carry user data (filters on emails) that has no place
    in error messages and logs."""
    return url.split("?", 1)[0]


def decode_json(content: bytes, *, url: str = "", status: int = 200) -> Any:
    """Decode a response body, turning malformed JSON into a typed error."""
    if not content:
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise InvalidResponseError(
            f"Graph answered {status} with a body that is not valid JSON ({exc.msg})",
            status=status, code="InvalidResponse", url=strip_query(url),
        ) from None


@dataclass(frozen=True)
class GraphResponse:
    """A successful answer: status, headers and the raw body, decoded on demand."""

    status: int
    headers: httpx.Headers
    content: bytes
    url: str

    def json(self) -> Any:
        """The decoded JSON body; :class:`InvalidResponseError` when it is not JSON."""
        return decode_json(self.content, url=self.url, status=self.status)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")
