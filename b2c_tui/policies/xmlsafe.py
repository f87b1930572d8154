"""Reading policy files safely: size limit, text encoding, and the refusals of a hostile XML.

Trust Framework files come from anywhere (a colleague's branch, a download, a ticket), so they
are read the way ``defusedxml`` reads XML: a DTD, an entity declaration or an external
reference is refused, never resolved (no billion laughs, no file or network reads), and a
reference to an undefined entity is a plain well-formedness error.

Encodings: UTF-8 with or without a byte-order mark, and UTF-16 with one (the encoding Windows
tools such as PowerShell's ``Out-File`` still write). A file without a BOM that declares another
encoding (``<?xml ... encoding="ISO-8859-1"?>``) is decoded as declared. UTF-16 without a BOM is
refused with a message saying so, as the XML specification requires the mark.

Size: :data:`MAX_POLICY_BYTES` (16 MiB) is the most b2c-tui reads. B2C itself refuses policy
files over 1024 KB (its documented service limit, :data:`B2C_MAX_POLICY_BYTES`); the lint reports
that as a finding, so a 5 MB file still opens, highlights and diffs, and the size is explained
rather than a parse failure.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ..graph.errors import B2CTuiError

#: The largest file b2c-tui parses (a guard for the reader, far above any real policy).
MAX_POLICY_BYTES = 16 * 1024 * 1024
#: B2C's documented "Maximum policy file size" (service limits): 1024 KB.
B2C_MAX_POLICY_BYTES = 1024 * 1024

_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8 = ("utf-8", "utf8")
_UTF16 = ("utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2")


class PolicyParseError(B2CTuiError, ValueError):
    """A policy file that cannot be read: one line naming the file and, where known, the line
    and column (1-based) of the problem.

    ``rule`` says which kind of problem it is, for lint findings: ``xml-malformed``,
    ``xml-unsafe`` (DTD, entities, external references), ``encoding``, ``file-too-large``,
    ``unreadable``, ``not-a-policy`` or ``policy-id-missing``.
    """

    def __init__(self, source: str, message: str, *, line: int | None = None,
                 column: int | None = None, rule: str = "xml-malformed") -> None:
        self.source = source
        self.reason = message
        self.line = line
        self.column = column
        self.rule = rule
        super().__init__(self._text())

    def _text(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class DecodedPolicy:
    """A policy file's text and how it was stored."""

    text: str
    encoding: str  # "utf-8", "utf-16" or the declared codec's name
    bom: bool
    size: int  # bytes on disk (or on the wire)


def format_size(size: int) -> str:
    """``1.2 MB``, ``48 KB``, ``900 bytes`` (powers of 1024, as B2C's limit is given)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def decode_policy(data: bytes | str, source: str) -> DecodedPolicy:
    """Decode a policy file (see the module docs for the encodings accepted).

    ``source`` names the file in messages. Raises :class:`PolicyParseError`.
    """
    if isinstance(data, str):
        size = len(data.encode("utf-8", errors="surrogatepass"))
        _check_size(size, source)
        bom = data.startswith("\ufeff")
        return DecodedPolicy(data.removeprefix("\ufeff"), "utf-8", bom, size)
    size = len(data)
    _check_size(size, source)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise PolicyParseError(source, "the file is UTF-32; save it as UTF-8.", rule="encoding")
    if data.startswith(codecs.BOM_UTF8):
        return DecodedPolicy(_decode(data[3:], "utf-8", source), "utf-8", True, size)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedPolicy(_decode(data, "utf-16", source), "utf-16", True, size)
    if data[:2] in (b"<\x00", b"\x00<"):
        raise PolicyParseError(
            source, "the file looks like UTF-16 without a byte-order mark; save it as UTF-8 "
            "(or UTF-16 with a BOM).", line=1, column=1, rule="encoding")
    declared = _DECLARED_ENCODING.match(data.lstrip()[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in _UTF8:
        return DecodedPolicy(_decode(data, "utf-8", source), "utf-8", False, size)
    if encoding in _UTF16:
        raise PolicyParseError(
            source, f"the XML declaration says {encoding!r} but the file has no UTF-16 "
            "byte-order mark; save it as UTF-8.", line=1, column=1, rule="encoding")
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise PolicyParseError(
            source, f"the XML declaration names an unknown encoding {encoding!r}; save the file "
            "as UTF-8.", line=1, column=1, rule="encoding") from None
    return DecodedPolicy(_decode(data, codec, source), codec, False, size)


def read_policy_bytes(path: Path) -> bytes:
    """A policy file's bytes, refusing an oversized file before reading it all."""
    source = str(path)
    try:
        size = path.stat().st_size
        _check_size(size, source)
        with path.open("rb") as handle:
            data = handle.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise PolicyParseError(source, f"cannot read the file ({exc.strerror or exc}).",
                               rule="unreadable") from None
    _check_size(len(data), source)
    return data


def _check_size(size: int, source: str) -> None:
    if size > MAX_POLICY_BYTES:
        raise PolicyParseError(
            source, f"the file is {format_size(size)}; b2c-tui reads policy files up to "
            f"{format_size(MAX_POLICY_BYTES)} (B2C itself accepts at most "
            f"{format_size(B2C_MAX_POLICY_BYTES)}).", rule="file-too-large")


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyParseError(
            source, f"the file is not valid {encoding.upper()} text ({exc.reason} at byte "
            f"{exc.start}); save it as UTF-8.", line=line, column=column,
            rule="encoding") from None
    return text.removeprefix("\ufeff")
