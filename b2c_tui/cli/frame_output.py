"""Writing a result for a pipeline: a DataFrame as a table, CSV, JSON, JSON Lines or Parquet,
on stdout or into a file that appears only when complete; and the exit code of an error.

Tenant text reaching a terminal is made harmless (:mod:`b2c_tui.api.text`): control
characters, bidi overrides and zero-width characters are shown as visible escapes in tables,
and escaped (``\\u202e``) inside JSON strings, which keeps the JSON exact. CSV goes through
the explorer's export (formula guard included), also on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..api.text import json_safe, visible
from .common import EXIT_GRAPH, EXIT_OK, EXIT_READ_ONLY, EXIT_USAGE, fail, open_connection

if TYPE_CHECKING:
    import pandas as pd

    from ..api import Tenant

FORMATS = ("table", "csv", "json", "jsonl", "parquet")
_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
             ".parquet": "parquet", ".txt": "table"}
def format_for(output: str | None, out: str | None) -> str:
    """The format asked for, else the one the file name says, else a table."""
    if output:
        return output
    if out:
        return _SUFFIXES.get(Path(out).suffix.lower(), "table")
    return "table"


def output_format(args: argparse.Namespace) -> str:
    """The format ``-o``/``--out`` ask for; :class:`UsageError` for Parquet on stdout."""
    fmt = format_for(args.output, args.out)
    if fmt == "parquet" and not args.out:
        raise UsageError("Parquet is binary: give --out FILE.parquet.")
    return fmt


def emit_frame(args: argparse.Namespace, fmt: str, fetch: Callable[[Tenant], pd.DataFrame], *,
               when_empty: Callable[[], int] | None = None) -> int:
    """Open the tenant the common options name, write the frame ``fetch`` returns as ``fmt``
    to ``--out`` (or stdout) and close the tenant; an empty frame returns ``when_empty()``
    instead when given. Errors become one line on stderr and their exit code."""
    from ..api import Tenant

    tenant = Tenant(open_connection(args))
    try:
        frame = fetch(tenant)
        if frame.empty and when_empty is not None:
            return when_empty()
        write_frame(frame, fmt, args.out, overwrite=args.force)
    except BrokenPipeError:
        return pipe_closed()
    except failures() as exc:
        return fail(one_line(exc), exit_code_for(exc))
    finally:
        tenant.close()
    return EXIT_OK


def plain_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: missing values ``None``, timestamps ISO 8601 with ``Z``."""
    import pandas as pd

    columns: dict[str, list[Any]] = {}
    for name in df.columns:
        series = df[name]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        values = series.astype(object).where(series.notna(), None).tolist()
        columns[str(name)] = [v.item() if hasattr(v, "item") and not isinstance(v, str) else v
                              for v in values]
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def table_text(df: pd.DataFrame, max_width: int = 48) -> str:
    """A plain text table: missing values empty, timestamps ISO, hidden characters visible."""
    import pandas as pd

    if df.empty:
        return "(no rows)\n" if len(df.columns) else ""
    shown: dict[str, Any] = {}
    for name in df.columns:
        series = df[name]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%MZ")
        shown[visible(str(name))] = [
            "" if v is None else visible(str(v)) if isinstance(v, str) else
            ("true" if v else "false") if isinstance(v, bool) else str(v)
            for v in series.astype(object).where(series.notna(), None).tolist()]
    frame = pd.DataFrame(shown)
    return frame.to_string(index=False, max_colwidth=max_width, justify="left") + "\n"


def write_frame(df: pd.DataFrame, fmt: str, out: str | None, *, overwrite: bool = False,
                stdout: IO[str] | None = None) -> None:
    """Write ``df`` as ``fmt`` to the file ``out`` (complete or not at all) or to stdout."""
    from ..api.files import to_csv, to_parquet
    from ..frames.export import check_export_path

    stream = stdout or sys.stdout
    if fmt == "parquet":
        if not out:
            raise UsageError("Parquet is binary: give --out FILE.parquet.")
        to_parquet(df, out, overwrite=overwrite)
        return
    if fmt == "csv":
        if out:
            to_csv(df, out, overwrite=overwrite)
            return
        with tempfile.TemporaryDirectory(prefix="b2c-tui-") as folder:
            path = to_csv(df, Path(folder) / "out.csv")
            with open(path, encoding="utf-8", newline="") as fh:
                for chunk in iter(lambda: fh.read(1 << 16), ""):
                    stream.write(chunk)
        return
    if fmt == "table":
        text = table_text(df)
    elif fmt == "json":
        text = json_safe(json.dumps(plain_records(df), ensure_ascii=False, indent=2)) + "\n"
    else:
        text = "".join(json_safe(json.dumps(r, ensure_ascii=False)) + "\n"
                       for r in plain_records(df))
    if out:
        from ..paths import atomic_file

        with atomic_file(check_export_path(out, overwrite=overwrite)) as handle:
            handle.write(text.encode("utf-8"))
    else:
        stream.write(text)


class UsageError(Exception):
    """Bad arguments noticed by a command (exit 2)."""


def failures() -> tuple[type[BaseException], ...]:
    """What a command reports as one line with its exit code (anything else is a bug and
    keeps its traceback): the package's errors, bad arguments, and file-system errors."""
    from ..graph.errors import B2CTuiError

    return (B2CTuiError, UsageError, OSError)


def pipe_closed() -> int:
    """The reader of stdout went away (``| head``): stop quietly, as shell tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def exit_code_for(exc: BaseException,
                  special: Mapping[type[BaseException], int] | None = None) -> int:
    """The documented exit code of an error a command lets out (a command's ``special``
    errors first: ``{CannotUndoError: EXIT_FINDINGS}``)."""
    from ..graph.errors import GraphError, ReadOnlyError

    code = next((c for kind, c in (special or {}).items() if isinstance(exc, kind)), None)
    if code is not None:
        return code
    if isinstance(exc, ReadOnlyError):
        return EXIT_READ_ONLY
    if isinstance(exc, GraphError):
        return EXIT_GRAPH
    return EXIT_USAGE


def one_line(exc: BaseException) -> str:
    """An error as one printable line (secrets redacted, hidden characters visible)."""
    from ..graph.redact import redact

    text = " ".join(str(exc).split()) or type(exc).__name__
    return visible(redact(text))
