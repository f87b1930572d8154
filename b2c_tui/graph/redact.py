"""Masking secrets out of text before it is logged or shown.

:func:`redact` masks bearer tokens, JWT-looking strings, ``client_secret=...``-style pairs (in
query strings, form bodies, JSON and ``key: value`` text) and any literal value registered with
:func:`register_secret` (the auth layer registers the client secrets and passwords it loads, so
they are masked wherever they turn up). :class:`RedactingFilter` applies it to log records.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["MASK", "RedactingFilter", "redact", "register_secret"]

MASK = "***"

# Keys whose values are secrets wherever they appear: query strings, form bodies, JSON, text.
_SECRET_KEYS = (
    "client_secret",
    "clientsecret",
    "secret",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "access_token",
    "refresh_token",
    "id_token",
    "client_assertion",
    "assertion",
    "device_code",
    "token",
    "sig",
    "api_key",
    "apikey",
)
_KEYS = "|".join(_SECRET_KEYS)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer <token> / Basic <b64>
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE), rf"\1 {MASK}"),
    # JWTs (header.payload.signature, base64url; the signature may be empty for alg=none).
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), MASK),
    # "key": "value" (JSON, Python reprs)
    (
        re.compile(rf"""(["'](?:{_KEYS})["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2""", re.IGNORECASE),
        rf"\1\2{MASK}\2",
    ),
    # key=value (query strings, form bodies) and key: value (free text); \b keeps
    # ``$skiptoken=`` and similar non-secrets alone.
    (
        re.compile(
            rf"""\b((?:{_KEYS})\b\s*[=:]\s*['"]?)(?!{re.escape(MASK)})[^\s&"',;)]+""", re.IGNORECASE
        ),
        rf"\1{MASK}",
    ),
)

_registered: set[str] = set()
_registered_lock = threading.Lock()
_registered_pattern: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever :func:`redact` meets it from now on (short values are ignored:
    masking every "abc" would make logs unreadable and protect nothing)."""
    global _registered_pattern
    if not value or len(value) < 6:
        return
    with _registered_lock:
        if value in _registered:
            return
        _registered.add(value)
        # Longest first so a secret containing another is masked whole.
        ordered = sorted(_registered, key=len, reverse=True)
        _registered_pattern = re.compile("|".join(re.escape(v) for v in ordered))


def redact(text: str) -> str:
    """``text`` with secrets replaced by ``***``."""
    if not text:
        return text
    pattern = _registered_pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for regex, replacement in _PATTERNS:
        text = regex.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's formatted message, exception text and stack.

    Attach it to handlers: ``handler.addFilter(RedactingFilter())``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not kill logging
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
