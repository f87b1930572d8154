"""``b2c-tui find IDENTIFIER``: the explorer's find-user from a script.

A sign-in email or user name, a phone number, an object id, a UPN or the start of a display
name (or say which: ``email:``, ``user:``, ``phone:``, ``id:``, ``upn:``, ``name:``). Exit 0
when users were found, 1 when none match (as ``grep`` does), so ``if b2c-tui find ...`` works.
"""

from __future__ import annotations

import argparse

from .common import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail, open_connection
from .frame_output import (
    FORMATS,
    exit_code_for,
    failures,
    format_for,
    one_line,
    pipe_closed,
    visible,
    write_frame,
)

EXAMPLES = f"""\
examples:
  b2c-tui find olivia@example.com
  b2c-tui find +44 7700 900123
  b2c-tui find upn:6d724881-cb5b-459d-bbf7-ed48b014c336@contoso.onmicrosoft.com -o json
  b2c-tui find name:Jo --select displayName,signInName,createdDateTime
  b2c-tui -p prod find jdoe && echo "jdoe exists"

exit codes: 0 found, 1 no user matches; otherwise as every command.
{EXIT_CODES_HELP}
"""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "find", parents=[common], help="find users by sign-in name, phone, id, UPN or name",
        description="Find users the way the explorer's find box does.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("identifier", nargs="+", metavar="IDENTIFIER",
                        help="what to look for (words are joined: +44 7700 900123 works)")
    parser.add_argument("--select", action="append", metavar="COLUMNS",
                        help="columns to show, comma-separated")
    parser.add_argument("-o", "--output", choices=FORMATS, help="table, csv, json, jsonl, "
                        "parquet")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.identifier)
    fmt = format_for(args.output, args.out)
    if fmt == "parquet" and not args.out:
        return fail("Parquet is binary: give --out FILE.parquet.", EXIT_USAGE)
    select = ([c.strip() for item in args.select for c in item.split(",") if c.strip()]
              if args.select else None)
    from ..api import Tenant

    tenant = Tenant(open_connection(args))
    try:
        frame = tenant.users.find(text, select=select)
        if frame.empty:
            return fail(f"no user matches {visible(text)!r}", EXIT_FINDINGS)
        write_frame(frame, fmt, args.out, overwrite=args.force)
    except BrokenPipeError:
        return pipe_closed()
    except failures() as exc:
        return fail(one_line(exc), exit_code_for(exc))
    finally:
        tenant.close()
    return EXIT_OK

