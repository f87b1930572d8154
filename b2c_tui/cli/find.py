"""``b2c-tui find IDENTIFIER``: the explorer's find-user from a script.

A sign-in email or user name, a phone number, an object id, a UPN or the start of a display
name (or say which: ``email:``, ``user:``, ``phone:``, ``id:``, ``upn:``, ``name:``). Exit 0
when users were found, 1 when none match (as ``grep`` does), so ``if b2c-tui find ...`` works.
"""

from __future__ import annotations

import argparse

from .common import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_USAGE, fail
from .frame_output import UsageError, emit_frame, output_format, visible
from .options import FRAME_OUTPUT, add_options, comma_list, command_parser

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
    parser = command_parser(
        sub, common, "find", help="find users by sign-in name, phone, id, UPN or name",
        description="Find users the way the explorer's find box does.", epilog=EXAMPLES)
    parser.add_argument("identifier", nargs="+", metavar="IDENTIFIER",
                        help="what to look for (words are joined: +44 7700 900123 works)")
    add_options(parser, FRAME_OUTPUT)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.identifier)
    try:
        fmt = output_format(args)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    select = comma_list(args.select)
    return emit_frame(args, fmt, lambda tenant: tenant.users.find(text, select=select),
                      when_empty=lambda: fail(f"no user matches {visible(text)!r}",
                                              EXIT_FINDINGS))

