"""``b2c-tui journal``: the changes b2c-tui made to a tenant, and undoing them.

    b2c-tui journal [list] [--json]   every change and delete, newest last
    b2c-tui journal show ID           one entry: old -> new per property, Graph's answer
    b2c-tui journal undo ID           PATCH back, or restore from deleted items
    b2c-tui journal reconcile         settle entries a crash left pending

``-p`` picks the tenant (its journal); ``--read-only`` refuses ``undo`` before anything is
sent. IDs may be shortened to any unique prefix (at least 4 characters).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from .common import (
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    EXIT_GRAPH,
    EXIT_OK,
    fail,
    open_connection,
    write_json,
)
from .frame_output import exit_code_for, visible
from .options import JSON, add_options

if TYPE_CHECKING:
    from ..changes import Journal, JournalEntry
    from ..connection import Connection

SHORT_ID = 8


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "journal", parents=[common], epilog=EXIT_CODES_HELP,
        help="list, show, undo and reconcile the changes b2c-tui made to the tenant",
        description="The local journal of every change and delete b2c-tui sent to the tenant "
        "(written before each request; never holds passwords or secrets).",
    )
    actions = parser.add_subparsers(dest="journal_action", metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="every entry, oldest first")
    add_options(listing, JSON)
    show = actions.add_parser("show", parents=[common], help="one entry in full")
    show.add_argument("id", help="the entry's id (a unique prefix will do)")
    add_options(show, JSON)
    undo = actions.add_parser("undo", parents=[common],
                              help="undo one entry (refused with --read-only)")
    undo.add_argument("id", help="the entry's id (a unique prefix will do)")
    reconcile = actions.add_parser("reconcile", parents=[common],
                                   help="check pending entries against the tenant")
    add_options(reconcile, JSON)
    parser.set_defaults(func=run, journal_action="list", json=False)


def run(args: argparse.Namespace) -> int:
    from ..changes import CannotUndoError, JournalError
    from ..graph.errors import GraphError, ReadOnlyError

    try:
        if args.journal_action in ("list", "show"):  # the file only: no client, no sign-in
            return _read(args)
        conn = open_connection(args)
        return asyncio.run(_run(args, conn, conn.journal()))
    except (JournalError, ReadOnlyError, CannotUndoError, GraphError) as exc:
        return fail(str(exc), exit_code_for(exc, {CannotUndoError: EXIT_FINDINGS}))


def _read(args: argparse.Namespace) -> int:
    from ..connection import tenant_journal

    journal = tenant_journal(args.profile, config_path=args.config, demo=args.demo)
    if args.journal_action == "list":
        return _list(journal, as_json=args.json)
    return _show(journal.get(args.id), as_json=args.json)


async def _run(args: argparse.Namespace, conn: Connection, journal: Journal) -> int:
    try:
        if args.journal_action == "undo":
            return await _undo(conn, journal, args.id)
        return await _reconcile(conn, journal, as_json=args.json)
    finally:
        await conn.aclose()


def _object(entry: JournalEntry) -> str:
    name = visible(entry.display_name)
    return f"{name} ({entry.object_id})" if name else entry.object_id


def _value(value: Any) -> str:
    return visible(json.dumps(value, ensure_ascii=False, default=str))


def _summary(entry: JournalEntry) -> str:
    if entry.op == "update":
        return visible(", ".join(entry.properties))
    return ""


def _list(journal: Journal, *, as_json: bool) -> int:
    entries = journal.entries()
    if as_json:
        write_json([e.as_dict() for e in entries], sys.stdout)
        return EXIT_OK
    if not entries:
        sys.stdout.write(f"No changes journaled for {visible(journal.tenant)}.\n")
        return EXIT_OK
    out = sys.stdout
    out.write(f"{'ID':<{SHORT_ID}}  {'TIME':<20}  {'STATE':<11}  {'OP':<7}  {'KIND':<11}  "
              "OBJECT\n")
    for e in entries:
        summary = _summary(e)
        out.write(f"{e.id[:SHORT_ID]:<{SHORT_ID}}  {e.time:<20}  {e.state:<11}  {e.op:<7}  "
                  f"{visible(e.kind):<11}  {_object(e)}"
                  f"{'  ' + summary if summary else ''}\n")
    return EXIT_OK


def _show(entry: JournalEntry, *, as_json: bool) -> int:
    if as_json:
        write_json(entry.as_dict(), sys.stdout)
        return EXIT_OK
    lines = [
        f"Entry     {entry.id}",
        f"Time      {entry.time}  (profile {visible(entry.profile or '-')}, tenant "
        f"{visible(entry.tenant)})",
        f"Change    {entry.op} {visible(entry.kind)} {_object(entry)}",
        f"Path      {visible(entry.path)}",
        f"State     {entry.state}" + (f" since {entry.updated}" if entry.updated else ""),
    ]
    if entry.message or entry.code:
        lines.append(f"Graph     {visible(entry.code or '')}: "
                     f"{visible(entry.message or '')}")
    if entry.undoes:
        lines.append(f"Undoes    {entry.undoes}")
    if entry.undone_by:
        lines.append(f"Undone by {entry.undone_by}")
    if entry.commit:
        lines.append(f"Commit    {entry.commit}")
    for key in entry.properties:
        old = _value(entry.old[key]) if key in entry.old else "(not recorded)"
        new = _value(entry.new[key]) if key in entry.new else "(unchanged)"
        lines.append(f"  {visible(key)}: {old} -> {new}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


async def _undo(conn: Connection, journal: Journal, entry_id: str) -> int:
    from ..changes import undo

    done = await undo(conn.client, journal, entry_id)
    what = "restored" if done.op == "restore" else "changed back"
    sys.stdout.write(f"Undone: {_object(done)} {what} (journal entry {done.id[:SHORT_ID]}, "
                     f"undoing {entry_id}).\n")
    return EXIT_OK


async def _reconcile(conn: Connection, journal: Journal, *, as_json: bool) -> int:
    from ..changes import reconcile

    results = await reconcile(conn.client, journal)
    if as_json:
        write_json([{"id": r.entry.id, "state": r.state, "message": r.message}
                   for r in results], sys.stdout)
    elif not results:
        sys.stdout.write("Nothing pending: every journaled change has its answer.\n")
    for r in results if not as_json else []:
        note = f" ({visible(r.message)})" if r.message else ""
        sys.stdout.write(f"{r.entry.id[:SHORT_ID]}  {r.state:<11}  {r.entry.op} "
                         f"{_object(r.entry)}{note}\n")
    if any(r.state == "pending" for r in results):
        return EXIT_GRAPH
    return EXIT_FINDINGS if any(r.state != "done" for r in results) else EXIT_OK
