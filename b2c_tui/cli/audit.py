"""``b2c-tui audit pull`` and ``b2c-tui audit show``: the local audit archive, headless.

``pull`` brings the archive up to date (for a cron job: progress on stderr, exit codes);
``show`` answers filters from the archive alone (no sign-in, no network) as a table, CSV or the
whole entries as JSON. Both exit 1 when an archive file could not be read (it is named on
stderr and left in place).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .common import EXIT_FINDINGS, EXIT_GRAPH, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail

_RELATIVE = re.compile(r"^(\d+)\s*([dhm])$")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    audit = sub.add_parser("audit", parents=[common], help="the local audit log archive",
                           description="Keep the tenant's directory audit log beyond its "
                           "seven days: pull it into a local archive, show it with filters.")
    commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    pull = commands.add_parser("pull", parents=[common], help="add the tenant's new entries",
                               description="Add the tenant's new audit entries to the local "
                               "archive (from the newest archived entry on; safe to repeat "
                               "and to interrupt). Progress on stderr.")
    pull.add_argument("--since", metavar="WHEN",
                      help="start here instead (ISO date or time, or 3d / 12h / 30m ago)")
    pull.set_defaults(func=run_pull)
    show = commands.add_parser("show", parents=[common], help="entries from the archive",
                               description="Entries from the local archive matching the "
                               "filters (every filter must hold), newest first.")
    _filter_options(show)
    show.add_argument("-o", "--output", choices=("table", "csv", "json"), default="table",
                      help="table (default), csv (the view's columns) or json (whole entries)")
    show.add_argument("--limit", type=int, default=None, metavar="N",
                      help="at most N entries (default: 50 for a table, all otherwise)")
    show.add_argument("--oldest-first", action="store_true", help="oldest entries first")
    show.set_defaults(func=run_show)


def _filter_options(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--since", metavar="WHEN", help="from (ISO date or time, or 7d / 12h / 30m ago)")
    add("--until", metavar="WHEN", help="until (inclusive; a date means the whole day)")
    add("--category", action="append", metavar="NAME",
        help="Authorization, Key, Resource, Authentication, UserManagement... (repeatable)")
    add("--activity", action="append", metavar="NAME", help="activity name (repeatable)")
    add("--activity-prefix", metavar="TEXT", help="activity name starts with")
    add("--result", action="append", choices=("success", "failure", "timeout"),
        help="result (repeatable)")
    add("--service", action="append", metavar="NAME", help="loggedByService, e.g. B2C")
    add("--initiated-by", metavar="WHO",
        help="initiating user (id, UPN or name) or app (id or name)")
    add("--app-id", dest="initiated_by_app_id", metavar="ID", help="initiating app's id")
    add("--policy", dest="policy_id", metavar="ID", help="a policy, e.g. B2C_1A_signup_signin")
    add("--application", dest="application_id", metavar="ID",
        help="an application (client id) the entry names")
    add("--target", dest="target_id", metavar="ID", help="a target object's id")
    add("--correlation-id", metavar="ID")
    add("--text", metavar="TEXT", help="found anywhere in the entry")


def when(text: str | None) -> datetime | date | None:
    """``2025-01-15``, ``2025-01-15T10:00:00Z`` or ``7d``/``12h``/``30m`` (ago)."""
    if not text:
        return None
    value = text.strip()
    relative = _RELATIVE.match(value.lower())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        delta = {"d": timedelta(days=amount), "h": timedelta(hours=amount),
                 "m": timedelta(minutes=amount)}[unit]
        return datetime.now(UTC) - delta
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not a date, a time or an age like 7d") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run_pull(args: argparse.Namespace) -> int:
    import asyncio

    from ..audit import AuditArchive, pull
    from ..graph.errors import GraphError, NetworkError
    from .common import open_connection
    from .progress import StderrProgress

    try:
        start = when(args.since)
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    since = datetime.combine(start, datetime.min.time(), UTC) \
        if isinstance(start, date) and not isinstance(start, datetime) else start
    connection = open_connection(args)
    archive = AuditArchive.for_tenant(connection.tenant)
    progress = StderrProgress("audit pull", unit="entries")

    async def go() -> Any:
        try:
            return await pull(connection.client, archive, since=since,
                              progress=lambda p: progress.update(p.fetched, p.message))
        finally:
            progress.close()
            await connection.aclose()

    try:
        result = asyncio.run(go())
    except KeyboardInterrupt:
        sys.stderr.write("b2c-tui: audit pull interrupted; the archive keeps what was "
                         "written and the next pull goes on from there\n")
        return EXIT_INTERRUPTED
    except (GraphError, NetworkError) as exc:
        return fail(f"audit pull stopped: {exc} (the archive keeps what was written)",
                    EXIT_GRAPH)
    newest = result.newest.isoformat() if result.newest else "none"
    sys.stderr.write(f"audit pull: {result.fetched:,} entries fetched, {result.added:,} new, "
                     f"{len(result.days_written)} day files written in {result.elapsed:.1f}s; "
                     f"newest archived entry {newest}; archive {archive.folder}\n")
    return _report_skipped(result.skipped)


def run_show(args: argparse.Namespace) -> int:
    from ..audit import AuditArchive, AuditFilter

    try:
        where = AuditFilter(
            since=when(args.since), until=when(args.until), category=args.category,
            activity=args.activity, activity_prefix=args.activity_prefix, result=args.result,
            logged_by_service=args.service, initiated_by=args.initiated_by,
            initiated_by_app_id=args.initiated_by_app_id, policy_id=args.policy_id,
            application_id=args.application_id, target_id=args.target_id,
            correlation_id=args.correlation_id, text=args.text)
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    if args.limit is not None and args.limit < 0:
        return fail("--limit cannot be negative.", EXIT_USAGE)
    archive = AuditArchive.for_tenant(archive_tenant(args))
    limit = args.limit if args.limit is not None else (50 if args.output == "table" else None)
    found = archive.query(where, limit=limit, newest_first=not args.oldest_first)
    from .audit_output import write_csv, write_json_entries, write_table

    if args.output == "csv":
        write_csv(found.table, sys.stdout)
    elif args.output == "json":
        write_json_entries(archive, found.table, sys.stdout)
    else:
        write_table(found, sys.stdout, archive.folder)
    return _report_skipped(found.skipped)


def archive_tenant(args: argparse.Namespace) -> str:
    """The tenant whose archive ``show`` reads: the profile ``pull`` would open, found without
    signing in or reading its secrets (the archive is local)."""
    import os

    from ..connection import DEMO_TENANT, load_config
    from ..graph.config import PROFILE_ENV, TOKEN_ENV, profile_from_env, resolve_profile

    if args.demo:
        return DEMO_TENANT
    config = load_config(args.config)
    name = args.profile or os.environ.get(PROFILE_ENV)
    if not name and not os.environ.get(TOKEN_ENV):  # resolve_profile's order, no secrets
        name = config.default_profile
        if not name and len(config.profiles) == 1 and profile_from_env() is None:
            name = next(iter(config.profiles))
    if name and name in config.profiles:
        return config.profiles[name].tenant
    profile = resolve_profile(args.profile, config)
    return profile.tenant if profile is not None else DEMO_TENANT


def _report_skipped(skipped: list[Any]) -> int:
    from ..frames.export import plain

    for item in skipped:
        sys.stderr.write(f"b2c-tui: archive file {plain(item.path)} could not be read and was "
                         f"skipped: {plain(item.reason)}\n")
    return EXIT_FINDINGS if skipped else EXIT_OK
