"""``b2c-tui policies``: custom policies from the command line (for people and CI pipelines).

    b2c-tui policies list                          # the tenant's policies as inheritance trees
    b2c-tui policies lint ./policies               # findings as file:line:col; exit 1 if any
    b2c-tui policies push ./policies --dry-run     # new / changed (with diff) / unchanged / refused
    b2c-tui policies push ./policies               # upload what changed, bases first, backups first
    b2c-tui policies diff ./policies               # tenant vs folder; exit 1 if they differ
    b2c-tui policies pull ./downloaded             # every policy into a folder
    b2c-tui policies backups                       # the local backup journal
    b2c-tui policies restore latest B2C_1A_signup_signin

Placeholders are filled from the profile's settings file (``policies --help`` says where).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from .common import (
    EXIT_CODES_HELP,
    EXIT_FINDINGS,
    EXIT_GRAPH,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    write_json,
)
from .options import Action, add_actions, command_parser, option
from .policy_support import note, out, run_with_tenant, tenant_action

if TYPE_CHECKING:
    from ..connection import Connection
    from ..policies.backups import BackupJournal
    from ..policies.settings import PolicySettings
    from ..policies.tenant import TenantContext

EPILOG = f"""\
examples:
  b2c-tui policies list --json
  b2c-tui policies lint ./policies --prefix Dev_
  b2c-tui policies push ./policies --dry-run
  b2c-tui -p contoso policies push ./policies --prefix Dev_ --all
  b2c-tui policies diff ./policies
  b2c-tui policies diff --backup latest       (the tenant against a backup)
  b2c-tui policies pull ./downloaded B2C_1A_signup_signin
  b2c-tui policies restore 20260105T101500Z-push B2C_1A_TrustFrameworkBase
  b2c-tui policies delete B2C_1A_Old_signup_signin --yes

settings: placeholders ({{Settings:Name}}, {{Name}}, yourtenant.onmicrosoft.com,
ProxyIdentityExperienceFrameworkAppId...) come from <config dir>/policy-settings/<profile>.toml
(demo.toml for the demo tenant) or --settings FILE: a TOML (or JSON) table of names and values.
Tenant, TenantId and the IdentityExperienceFramework app ids are read from the tenant when the
file does not give them. Backups of everything overwritten or deleted are kept under the data
folder, policy-backups/<tenant>/ (see 'policies backups').

{EXIT_CODES_HELP}
"""


#: A folder of policy files as lint and push read it.
FOLDER_OPTIONS = (
    option("folder", metavar="DIR", help="folder of policy files (or one file)"),
    option("--prefix", metavar="P", help="parallel policy set: B2C_1A_X becomes B2C_1A_<P>X"),
    option("--settings", metavar="FILE", help="policy settings file (default: the profile's)"),
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = command_parser(
        sub, common, "policies", help="custom policies: list, lint, diff, push, pull...",
        description="Custom policies (Trust Framework XML) of the tenant and of local folders.",
        epilog=EPILOG)
    add_actions(parser, common, (
        Action("list", "the tenant's policies, as inheritance trees per policy set",
               "b2c-tui policies list --json", run_list),
        Action("lint", "lint a folder of policy files (as they would be uploaded)",
               "b2c-tui policies lint ./policies --prefix Dev_", run_lint, (
                   *FOLDER_OPTIONS,
                   option("--offline", action="store_true",
                          help="do not read the tenant (no tenant, keyset or base checks)"))),
        Action("push", "upload a folder: changed policies only, bases first, backups first",
               "b2c-tui policies push ./policies --dry-run", run_push, (
                   *FOLDER_OPTIONS,
                   option("--dry-run", action="store_true",
                          help="show new / changed (with diff) / unchanged / refused; send "
                          "nothing"),
                   option("--all", action="store_true", help="upload unchanged policies too"),
                   option("--only", nargs="+", metavar="ID",
                          help="upload only these policies"))),
        Action("diff", "compare the tenant, a local folder and a backup",
               "b2c-tui policies diff ./policies --backup latest", run_diff, (
                   option("folder", nargs="?", metavar="DIR",
                          help="local folder (or file); without it the tenant is compared "
                          "with --backup"),
                   option("--backup", metavar="NAME",
                          help="a backup (name, 'latest' or path) in place of the tenant"),
                   option("--settings", metavar="FILE", help="policy settings file"),
                   option("--prefix", metavar="P", help="compare as pushed with this prefix"),
                   option("--stat", action="store_true", help="statuses only, no diff text"))),
        Action("pull", "download policies into a folder", "b2c-tui policies pull ./downloaded",
               run_pull, (
                   option("folder", metavar="DIR"),
                   option("ids", nargs="*", metavar="ID", help="only these policies"),
                   option("--overwrite", action="store_true",
                          help="replace local files that differ from the tenant"))),
        Action("restore", "put policies back from a backup (backing up what it replaces)",
               "b2c-tui policies restore latest B2C_1A_signup_signin", run_restore, (
                   option("backup", metavar="BACKUP", help="backup name, 'latest' or path"),
                   option("ids", nargs="*", metavar="ID", help="only these policies"))),
        Action("backups", "list the local backups of this tenant's policies",
               "b2c-tui policies backups --json", run_backups),
        Action("delete", "delete policies (backed up first; lists what inherits)",
               "b2c-tui policies delete B2C_1A_Old_signup_signin --yes", run_delete, (
                   option("ids", nargs="+", metavar="ID"),
                   option("--yes", action="store_true", help="really delete (required)"))),
    ))



# -- shared steps -----------------------------------------------------------------------------
async def _context(connection: Connection) -> TenantContext:
    from ..policies.tenant import tenant_context

    return await tenant_context(connection.client, connection.tenant)


def _settings(args: argparse.Namespace, connection: Connection | None) -> PolicySettings:
    from ..policies.settings import load_settings

    profile = connection.profile_name if connection is not None else args.profile
    return load_settings(args.settings, profile=profile)


def _journal(connection: Connection, context: TenantContext) -> BackupJournal:
    from ..policies.backups import BackupJournal

    return BackupJournal(context.domain, profile=connection.profile_name)


def _progress(done_verb: str) -> Callable[[str, int, int], None]:
    """A write's progress as lines on stderr: ``uploaded B2C_1A_X (2/5)``."""

    def progress(policy_id: str, done: int, total: int) -> None:
        note(f"{done_verb} {policy_id} ({done}/{total})")

    return progress


# -- list -------------------------------------------------------------------------------------
@tenant_action
async def run_list(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.inheritance import InheritanceGraph
    from ..policies.tenant import fetch_policies
    from .policies_output import print_tree

    context = await _context(connection)
    policies, errors = await fetch_policies(connection.client)
    graph = InheritanceGraph(policies, tenant=context.domain)
    print_tree(graph, errors, context.domain, as_json=args.json)
    return EXIT_OK


# -- lint -------------------------------------------------------------------------------------
def run_lint(args: argparse.Namespace) -> int:
    from .policies_output import print_findings

    async def work(connection: Connection | None) -> int:
        from ..policies.plan import lint_folder

        context = None if connection is None else await _context(connection)
        prepared = await lint_folder(None if connection is None else connection.client,
                                     args.folder, context, settings=_settings(args, connection),
                                     prefix=args.prefix)
        print_findings(prepared.findings, len(prepared.local.files), as_json=args.json)
        return EXIT_FINDINGS if prepared.findings else EXIT_OK

    if args.offline:
        return _offline(work)
    return run_with_tenant(args, work)


def _offline(work: Callable[[Connection | None], Coroutine[Any, Any, int]]) -> int:
    import asyncio

    from ..graph.errors import B2CTuiError

    try:
        return asyncio.run(work(None))
    except B2CTuiError as exc:
        return fail(str(exc), EXIT_USAGE)


# -- push -------------------------------------------------------------------------------------
@tenant_action
async def run_push(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.plan import plan_push
    from ..policies.push import execute_push
    from .policies_output import print_plan, print_write_result

    context = await _context(connection)
    plan = await plan_push(connection.client, args.folder, context,
                           settings=_settings(args, connection), prefix=args.prefix,
                           force_all=args.all, policy_ids=args.only)
    if args.dry_run or plan.blocked:
        print_plan(plan, as_json=args.json, with_diff=True)
        if plan.blocked:
            return fail(f"the upload is refused: lint found errors in "
                        f"{', '.join(i.policy_id for i in plan.refused) or 'the folder'}; "
                        "nothing was sent.", EXIT_GRAPH)
        return EXIT_OK
    if not args.json:
        print_plan(plan, as_json=False, with_diff=False)
    result = await execute_push(connection.client, plan, _journal(connection, context),
                                progress=_progress("uploaded"))
    print_write_result(result, as_json=args.json, plan=plan)
    return EXIT_OK if result.ok else EXIT_GRAPH


# -- diff -------------------------------------------------------------------------------------
def run_diff(args: argparse.Namespace) -> int:
    if not args.folder and not args.backup:
        return fail("diff needs a folder, --backup, or both.", EXIT_USAGE)
    return _diff(args)


@tenant_action
async def _diff(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.diff import diff_sets
    from ..policies.plan import lint_folder
    from ..policies.tenant import fetch_documents, list_policy_ids
    from .policies_output import print_diffs

    context = await _context(connection)
    backup = _journal(connection, context).find(args.backup) if args.backup else None
    local: dict[str, str] = {}
    if args.folder:
        prepared = await lint_folder(None, args.folder, context,
                                     settings=_settings(args, connection), prefix=args.prefix)
        local = {p.policy_id: p.text for p in prepared.effective}
        for error in prepared.errors:
            note(f"skipped: {error}")
    if backup is not None and args.folder:  # backup -> local
        left, right = backup.documents(), local
        labels = (f"backup:{backup.name}", "local")
    else:  # tenant -> local, or tenant -> backup: only the policies the other side has
        other = local if args.folder else backup.documents() if backup else {}
        present = {i.lower(): i for i in await list_policy_ids(connection.client)}
        ids = [present[k.lower()] for k in other if k.lower() in present]
        left, right = await fetch_documents(connection.client, ids), other
        labels = ("tenant", "local" if args.folder else f"backup:{backup.name}"
                  if backup else "")
    diffs = diff_sets(left, right, left_label=labels[0], right_label=labels[1])
    print_diffs(diffs, as_json=args.json, stat=args.stat)
    return EXIT_FINDINGS if any(d.status.value != "unchanged" for d in diffs) else EXIT_OK


# -- pull -------------------------------------------------------------------------------------
@tenant_action
async def run_pull(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.pull import pull

    result = await pull(connection.client, args.folder, args.ids or None,
                        overwrite=args.overwrite)
    if args.json:
        write_json({"folder": str(result.folder),
                    "written": [{"id": i, "file": str(p)} for i, p in result.written],
                    "unchanged": [{"id": i, "file": str(p)} for i, p in result.unchanged]})
    else:
        for pid, path in result.written:
            out(f"wrote      {pid}  {path}")
        for pid, path in result.unchanged:
            out(f"unchanged  {pid}  {path}")
        out(f"{len(result.written)} written, {len(result.unchanged)} already up to date.")
    return EXIT_OK


# -- backups and restore ----------------------------------------------------------------------
@tenant_action
async def run_backups(args: argparse.Namespace, connection: Connection) -> int:
    from .policies_output import print_backups

    print_backups(_journal(connection, await _context(connection)), as_json=args.json)
    return EXIT_OK


@tenant_action
async def run_restore(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.push import restore
    from .policies_output import print_write_result

    journal = _journal(connection, await _context(connection))
    backup = journal.find(args.backup)
    result = await restore(connection.client, journal, backup, args.ids or None,
                           progress=_progress("restored"))
    print_write_result(result, as_json=args.json)
    return EXIT_OK if result.ok else EXIT_GRAPH


# -- delete -----------------------------------------------------------------------------------
@tenant_action
async def run_delete(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.push import delete_policies, plan_delete
    from .policies_output import print_write_result

    context = await _context(connection)
    plans = await plan_delete(connection.client, args.ids)
    ids = [plan.policy_id for plan in plans]
    named = {i.lower() for i in args.ids}
    for plan in plans:
        others = [d for d in plan.dependents if d.lower() not in named]
        if others:
            note(f"{plan.policy_id} is the base of {', '.join(others)}: they stop working "
                 "until it is back.")
    if not args.yes:
        return fail(f"not deleting {', '.join(ids)} without --yes (each is backed up "
                    "first).", EXIT_USAGE)
    result = await delete_policies(connection.client, _journal(connection, context), ids)
    print_write_result(result, as_json=args.json)
    return EXIT_OK if result.ok else EXIT_GRAPH
