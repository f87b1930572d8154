"""Files for exports: target checks, the temporary file that becomes the export, writers
(CSV, JSON Lines, Parquet)."""

from __future__ import annotations

import functools
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa

from ..graph.errors import B2CTuiError
from ..graph.redact import redact
from ._export_arrow import CsvTableWriter, header_arrays, safe_text, text_array
from ._export_cells import getter, raw_texts, scrub
from .columns import Column

_BUFFER = 1 << 20
_PICTURES = {0x7F: "␡"}


class ExportError(B2CTuiError):
    """An export could not be started."""


class ExportPathError(ExportError):
    """The target cannot be written: missing folder, permission denied, a folder, ..."""


class ExportExistsError(ExportPathError, FileExistsError):
    """The target exists and ``overwrite`` was not given (the UI asks first)."""


def plain(text: object, limit: int = 200) -> str:
    """``text`` for a message: secrets redacted, control characters made visible, one line."""
    value = redact(str(text))
    if not value.isprintable():
        value = "".join(ch if ch.isprintable() else _visible(ch) for ch in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␛ for ESC
    return _PICTURES.get(code, f"\\u{code:04x}")


def check_export_path(path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """The absolute target for ``path``, or :class:`ExportPathError` saying why it cannot be
    written (:class:`ExportExistsError` when it exists and ``overwrite`` is false)."""
    target = Path(path).expanduser().absolute()
    if str(path).endswith(os.sep) or target.is_dir():
        raise ExportPathError(f"{plain(target)} is a folder: choose a file name.")
    parent = target.parent
    if not parent.exists():
        raise ExportPathError(f"The folder {plain(parent)} does not exist.")
    if not parent.is_dir():
        raise ExportPathError(f"{plain(parent)} is not a folder.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportPathError(f"Permission denied: cannot write in {plain(parent)}.")
    if not overwrite and (target.exists() or target.is_symlink()):
        raise ExportExistsError(f"{plain(target)} already exists (overwrite it?).")
    return target


class PartialFile:
    """A hidden ``.<name>.<random>.partial`` next to the target (0600), replaced into place by
    :meth:`commit` or deleted (or kept as ``<name>.partial``) by :meth:`discard`."""

    def __init__(self, target: Path, temp: Path, fd: int) -> None:
        self.target, self.temp, self._fd = target, temp, fd
        self._handle: IO[Any] | None = None

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, overwrite: bool) -> PartialFile:
        target = check_export_path(path, overwrite=overwrite)
        try:
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".partial")
        except PermissionError:
            raise ExportPathError(
                f"Permission denied: cannot write in {plain(target.parent)}.") from None
        except OSError as exc:
            raise ExportPathError(
                f"Cannot write in {plain(target.parent)}: {exc.strerror or exc}.") from None
        return cls(target, Path(name), fd)

    def open_binary(self) -> IO[bytes]:
        handle = open(self._fd, "wb", buffering=_BUFFER)  # noqa: SIM115
        self._handle = handle
        return handle

    def close(self, *, sync: bool = False) -> None:
        """Close the file; ``sync`` flushes it to disk first (so that a rename after a crash
        never exposes an empty file)."""
        handle, self._handle = self._handle, None
        fd, self._fd = self._fd, -1
        if handle is not None:
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
            handle.close()
        elif fd >= 0:
            os.close(fd)

    def commit(self, *, overwrite: bool) -> Path:
        """Sync the finished file and move it into place (refusing a target that appeared
        meanwhile unless ``overwrite``). Blocking: run it in a thread from async code."""
        self.close(sync=True)
        if not overwrite and (self.target.exists() or self.target.is_symlink()):
            raise ExportExistsError(f"{plain(self.target)} appeared while exporting.")
        os.replace(self.temp, self.target)
        return self.target

    def discard(self, *, keep: bool = False) -> Path | None:
        """Remove the partial file, or keep it as ``<name>.partial`` and return that path."""
        try:
            self.close()
        except OSError:
            pass
        if keep and self.temp.exists():
            kept = self.target.with_name(self.target.name + ".partial")
            os.replace(self.temp, kept)
            return kept
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass
        return None


class CsvSink:
    """Writes pages as CSV (header: the columns' labels), every field quoted, CRLF.

    Pages are turned into Arrow text as they come and written in batches of about
    :data:`BATCH_ROWS` rows (the guard and escaping cost a few numpy calls per column, which a
    batch pays once instead of once a page); :meth:`finish` writes what is left."""

    BATCH_ROWS = 16_384

    def __init__(self, partial: PartialFile, cols: list[Column], *, guard: bool, excel: bool,
                 denied: frozenset[str], escape: bool = True):
        self.partial, self.guard, self.denied, self.escape = partial, guard, denied, escape
        self.getters = [getter(c) for c in cols]
        self.handle = partial.open_binary()
        self.writer = CsvTableWriter(self.handle, len(cols), excel=excel)
        self.writer.write(header_arrays([c.label for c in cols], guard=guard, escape=escape))
        self._pending: list[list[tuple[Any, bool]]] = [[] for _ in cols]
        self._rows = 0

    def write(self, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        for pending, get in zip(self._pending, self.getters, strict=True):
            texts, guard = raw_texts(get(items), self.guard, self.denied)
            pending.append((text_array(texts), guard))
        self._rows += len(items)
        if self._rows >= self.BATCH_ROWS:
            self.finish()

    def finish(self) -> None:
        """Write the rows received and not yet written."""
        if not self._rows:
            return
        self.writer.write([_safe_runs(pending, self.escape) for pending in self._pending])
        self._pending = [[] for _ in self._pending]
        self._rows = 0

    def close(self) -> None:
        """Write what is left (the file itself is closed by the :class:`PartialFile`)."""
        self.finish()
        self.writer.close()


def _safe_runs(pending: list[tuple[Any, bool]], escape: bool) -> Any:
    """One column's pending pages as safe text: runs of pages that share a guard decision
    are checked together."""
    chunks: list[Any] = []
    run: list[Any] = []
    run_guard = pending[0][1]
    for array, guard in pending:
        if guard != run_guard:
            chunks.append(safe_text(pa.concat_arrays(run), guard=run_guard, escape=escape))
            run, run_guard = [], guard
        run.append(array)
    chunks.append(safe_text(pa.concat_arrays(run), guard=run_guard, escape=escape))
    return chunks[0] if len(chunks) == 1 else pa.chunked_array(chunks, type=pa.string())


#: What orjson leaves raw that a terminal may obey: DEL and the C1 controls (U+0080-U+009F,
#: two bytes in UTF-8). C0 controls are always ``\u00XX`` in JSON already.
_JSON_RAW_CONTROLS = re.compile(rb"\x7f|\xc2[\x80-\x9f]")


def _json_escape(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode("utf-8"))


class JsonlSink:
    """Writes pages as JSON Lines: one object per record, keyed by ``Column.key``. With
    ``escape`` DEL and C1 controls are written as ``\\u00XX`` escapes (the same strings to a
    JSON reader, inert in a terminal)."""

    def __init__(self, partial: PartialFile, cols: list[Column], *, denied: frozenset[str],
                 escape: bool = True):
        self.partial, self.keys, self.denied = partial, [c.key for c in cols], denied
        self.escape = escape
        self.getters = [getter(c) for c in cols]
        self.handle = partial.open_binary()
        self.dumps = functools.partial(orjson.dumps, default=str,
                                       option=orjson.OPT_APPEND_NEWLINE)

    def write(self, items: list[dict[str, Any]]) -> None:
        denied = self.denied
        columns = [[scrub(v, denied) if isinstance(v, (dict, list)) else v for v in get(items)]
                   for get in self.getters]
        keys = self.keys
        data = b"".join(map(self.dumps, (dict(zip(keys, row, strict=True))
                                         for row in zip(*columns, strict=True))))
        if self.escape and (b"\x7f" in data or b"\xc2" in data):
            data = _JSON_RAW_CONTROLS.sub(_json_escape, data)
        self.handle.write(data)

    def close(self) -> None:
        """Nothing is buffered here (the file is closed by the :class:`PartialFile`)."""
