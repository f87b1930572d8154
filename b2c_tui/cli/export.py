"""``b2c-tui export RESOURCE -o FILE``: stream a whole collection to CSV, JSON Lines or Parquet.

The same engine as the explorer's export (:mod:`b2c_tui.frames.export`): users are listed in
parallel by UPN partitions within the request budget, the file is written next to the target as
a hidden temporary and renamed into place only when complete (0600), so a failure or Ctrl-C
never leaves a file that looks complete. Progress goes to stderr: rows, rate, partitions and
budget, throttling waits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_GRAPH, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail, open_connection
from .export_sources import SOURCES

FORMATS = ("csv", "jsonl", "parquet")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    names = ", ".join(SOURCES)
    parser = sub.add_parser(
        "export", parents=[common], help="stream a whole collection to a file",
        description="Stream a whole collection to CSV, JSON Lines or Parquet, with progress "
        f"on stderr. Resources: {names}. The file appears only when complete (0600); a "
        "failure or Ctrl-C leaves none.")
    parser.add_argument("resource", choices=sorted(SOURCES), metavar="RESOURCE",
                        help=f"what to export: {names}")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the file to write")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="csv, jsonl or parquet (default: from FILE's extension, else csv)")
    parser.add_argument("--columns", metavar="A,B,...",
                        help="the columns: keys of the family's columns (as `b2c-tui get` "
                        "shows them, e.g. signInName) or any property")
    parser.add_argument("--filter", metavar="ODATA",
                        help="users only: a $filter B2C accepts (exported sequentially)")
    parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--excel", action="store_true", help="CSV: UTF-8 with a BOM for Excel")
    parser.add_argument("--no-formula-guard", dest="guard", action="store_false",
                        help="CSV: do not prefix cells starting with = + - @ with '")
    parser.add_argument("--raw-controls", action="store_true",
                        help="keep control characters raw (default: written as \\u001b)")
    parser.add_argument("--sequential", action="store_true",
                        help="page in Graph's order, one request at a time")
    parser.add_argument("--concurrency", type=int, default=16, metavar="N",
                        help="partitions listed at once (default 16)")
    parser.add_argument("--keep-partial", action="store_true",
                        help="on failure keep the rows written as FILE.partial")
    parser.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    return {"jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet"}.get(suffix, "csv")


def run(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        return fail("--concurrency must be at least 1.", EXIT_USAGE)
    if args.filter and not SOURCES[args.resource].filterable:
        return fail(f"--filter applies to users only, not {args.resource}.", EXIT_USAGE)
    from ..frames.export import ExportError, ExportExistsError, check_export_path

    try:  # before signing in or sending anything
        check_export_path(args.output, overwrite=args.overwrite)
    except ExportExistsError:
        return fail(f"{args.output} already exists; --overwrite replaces it.", EXIT_USAGE)
    except ExportError as exc:
        return fail(str(exc), EXIT_USAGE)
    import asyncio

    connection = open_connection(args)
    try:
        return asyncio.run(_export(connection, args))
    except KeyboardInterrupt:
        sys.stderr.write("b2c-tui: export interrupted; no file was written\n")
        return EXIT_INTERRUPTED


async def _export(connection: Any, args: argparse.Namespace) -> int:
    from ..frames.export import ExportProgress, export_stream
    from ..graph.errors import GraphError, NetworkError
    from .progress import StderrProgress

    fmt = _format(args)
    progress = StderrProgress(f"export {args.resource}")

    def report(update: ExportProgress) -> None:
        progress.update(update.rows, update.message)

    try:
        pages, columns = _pages_and_columns(connection.client, args)
        result = await export_stream(
            pages, args.output, columns, format=fmt,  # type: ignore[arg-type]
            progress=report, core=connection.client.core, overwrite=args.overwrite,
            keep_partial=args.keep_partial, guard=args.guard, excel=args.excel,
            escape_controls=not args.raw_controls, parallel=not args.sequential,
            concurrency=args.concurrency)
    except (GraphError, NetworkError) as exc:  # before the export started (a first page)
        return fail(f"Export failed: {exc}", EXIT_GRAPH)
    finally:
        progress.close()
        await connection.aclose()
    if result.ok:
        sys.stderr.write(f"{result.message} in {result.elapsed:.1f}s\n")
        return EXIT_OK
    if isinstance(result.error, (GraphError, NetworkError)):
        return fail(result.message, EXIT_GRAPH)
    return fail(result.message, EXIT_USAGE if result.error is not None else EXIT_INTERRUPTED)


def _pages_and_columns(client: Any, args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """The listing and its columns (the family's column specs, or those ``--columns`` names)."""
    source = SOURCES[args.resource]
    keys = [k.strip() for k in args.columns.split(",") if k.strip()] if args.columns else None
    columns = source.choose(keys)
    return source.list(client, source.select(columns), args.filter), columns
