"""``b2c-tui keys``: policy keys (keysets) and their health. Secret material is never shown:
only kid, use, kty, validity and the certificate thumbprint are read."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .common import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK, write_json
from .options import Action, add_actions, command_parser, option
from .policy_support import note, out, tenant_action

if TYPE_CHECKING:
    from ..connection import Connection
    from ..policies.keys import KeyReport

EPILOG = f"""\
examples:
  b2c-tui keys list
  b2c-tui keys health --days 45 --json
  b2c-tui keys rotation B2C_1A_TokenSigningKeyContainer --in-days 7

health rules: keyset-no-active-key and keyset-missing (errors); key-expiring (within --days,
30 by default, with no key lined up to follow), key-expired and keyset-unused (warnings).

{EXIT_CODES_HELP}
"""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = command_parser(sub, common, "keys", help="policy keys: list, health, rotation plan",
                            description="Policy keys (Trust Framework keysets) of the tenant.",
                            epilog=EPILOG)
    add_actions(parser, common, (
        Action("list", "every keyset with its keys and which one is active",
               "b2c-tui keys list --json", run_list),
        Action("health", "expired and expiring keys, keysets without an active key, keysets "
               "policies need but the tenant lacks, unused keysets",
               "b2c-tui keys health --days 45", run_health, (
                   option("--days", type=int, default=30,
                          help="warn about active keys expiring within this many days (30)"),)),
        Action("rotation", "the plan for rotating a keyset's active key (sends nothing)",
               "b2c-tui keys rotation B2C_1A_TokenSigningKeyContainer", run_rotation, (
                   option("keyset", metavar="KEYSET"),
                   option("--in-days", type=int, default=7,
                          help="days until the new key activates (7)"),
                   option("--lifetime", type=int, default=365,
                          help="days the new key stays valid (365)"),
                   option("--apply", action="store_true",
                          help="add the new key now (it activates on its start date)"))),
    ))


async def _report(connection: Connection, *, with_policies: bool, warn_days: int = 30
                  ) -> KeyReport:
    from ..graph.errors import AuthorizationError
    from ..policies.keys import load_key_report
    from ..policies.tenant import fetch_policies

    policies = None
    if with_policies:
        try:
            policies, _errors = await fetch_policies(connection.client)
        except AuthorizationError:
            note("policies are not readable with this sign-in: missing and unused keysets are "
                 "not checked.")
    return await load_key_report(connection.client, policies=policies, warn_days=warn_days)


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else "-"


@tenant_action
async def run_list(args: argparse.Namespace, connection: Connection) -> int:
    report = await _report(connection, with_policies=False)
    if args.json:
        write_json([row.as_dict() for row in report.rows])
        return EXIT_OK
    out(f"{'KEYSET':<36} {'KID':<44} {'USE':<4} {'KTY':<4} {'NBF':<10} {'EXP':<10} "
        f"{'DAYS':>5}  STATUS")
    for row in report.rows:
        days = "-" if row.days_to_expiry is None else str(row.days_to_expiry)
        out(f"{row.keyset_id:<36} {row.kid or '-':<44} {row.use or '-':<4} "
            f"{row.kty or '-':<4} {_date(row.nbf):<10} {_date(row.exp):<10} {days:>5}  "
            f"{row.status}")
    out(f"{len(report.keysets)} keyset(s), {sum(1 for r in report.rows if r.kid)} key(s).")
    return EXIT_OK


@tenant_action
async def run_health(args: argparse.Namespace, connection: Connection) -> int:
    report = await _report(connection, with_policies=True, warn_days=args.days)
    problems = report.problems
    if args.json:
        write_json({"keysets": len(report.keysets),
                    "problems": [p.as_dict() for p in problems]})
    else:
        for problem in problems:
            out(f"{problem.severity:<7} [{problem.rule}] {problem.message}")
        errors = sum(1 for p in problems if p.severity == "error")
        out(f"{len(report.keysets)} keyset(s): {errors} error(s), "
            f"{len(problems) - errors} warning(s).")
    return EXIT_FINDINGS if problems else EXIT_OK


@tenant_action
async def run_rotation(args: argparse.Namespace, connection: Connection) -> int:
    from ..policies.key_material import add_key, plan_add_key, rotation_plan

    keyset = await connection.client.keysets.get(args.keyset)
    plan = rotation_plan(keyset, activate_in_days=args.in_days, lifetime_days=args.lifetime)
    checked = plan_add_key([keyset], plan.keyset_id, plan.spec)
    added = await add_key(connection.client, checked) if args.apply else None
    if args.json:
        write_json({"keyset": plan.keyset_id, "current_kid": plan.current_kid,
                    "current_exp": plan.current_exp.isoformat() if plan.current_exp else None,
                    "new_key": {"use": plan.spec.use, "kty": plan.spec.kty,
                                "nbf": plan.spec.nbf.isoformat() if plan.spec.nbf else None,
                                "exp": plan.spec.exp.isoformat() if plan.spec.exp else None},
                    "steps": list(checked.steps), "explanation": plan.explanation,
                    "applied": added.key if added else None})
    else:
        for step in checked.steps:
            out(f"{'done' if added else 'step'}: {step}")
        out()
        out(plan.explanation)
        if added is None:
            out()
            out("Nothing was sent; add --apply to add the key.")
    return EXIT_OK
