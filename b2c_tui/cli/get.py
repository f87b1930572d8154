"""``b2c-tui get RESOURCE``: any resource family as a table, CSV, JSON, JSON Lines or Parquet.

The same frames as the Python API (``b2c_tui.api.Tenant``), so the columns, dtypes and the
B2C query rules are the same; ``--filter`` is refused before anything is sent when B2C cannot
answer it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .common import EXIT_CODES_HELP, EXIT_USAGE, fail
from .frame_output import UsageError, emit_frame, output_format
from .options import FRAME_OUTPUT, add_options, comma_list, command_parser

if TYPE_CHECKING:
    import pandas as pd

    from ..api import Tenant

Fetch = Callable[["Tenant", argparse.Namespace, dict[str, Any]], "pd.DataFrame"]


@dataclass(frozen=True)
class Resource:
    """A name ``get`` takes, its aliases, and how to fetch it from a tenant."""

    name: str
    aliases: tuple[str, ...]
    summary: str
    fetch: Fetch
    listing: bool = True  # takes --select and --limit
    filters: bool = False  # takes --filter
    options: tuple[str, ...] = ()  # the resource-specific options it takes


def _user_ids(args: argparse.Namespace) -> list[str]:
    ids = list(args.user or [])
    if "-" in ids:
        ids.remove("-")
        ids += [line.strip() for line in sys.stdin if line.strip()]
    if not ids:
        raise UsageError("auth-methods needs --user ID (repeat it, or '--user -' to read ids "
                         "from stdin).")
    return ids


RESOURCES: tuple[Resource, ...] = (
    Resource("users", ("user", "u"), "users, sign-in names, custom attributes",
             lambda t, a, q: t.users(**q), filters=True),
    Resource("auth-methods", ("methods", "mfa", "phone"),
             "phone, email and OATH methods of --user ID ...",
             lambda t, a, q: t.auth_methods(_user_ids(a)), listing=False, options=("user",)),
    Resource("identity-providers", ("idp", "idps"), "social, Apple and OIDC providers",
             lambda t, a, q: t.identity_providers(version="beta" if a.beta else None, **q),
             options=("beta",)),
    Resource("user-flows", ("flows", "uf"), "B2C user flows (B2C_1_...)",
             lambda t, a, q: t.user_flows(**q)),
    Resource("external-flows", ("events", "ext"), "External ID sign-up flows",
             lambda t, a, q: t.external_flows(**q), filters=True),
    Resource("auth-policy", ("amp", "auth-methods-policy"), "the B2C auth methods policy",
             lambda t, a, q: t.auth_methods_policy(), listing=False),
    Resource("policies", ("policy", "ief", "tf"), "custom policies (--xml for the documents)",
             lambda t, a, q: t.policies(xml=a.xml, limit=q.get("limit")), options=("xml",)),
    Resource("keysets", ("keyset",), "policy keysets", lambda t, a, q: t.keysets(),
             listing=False),
    Resource("keys", ("key",), "policy keys with their expiry (--keyset ID)",
             lambda t, a, q: t.keys(a.keyset), listing=False, options=("keyset",)),
    Resource("applications", ("apps", "app"), "app registrations",
             lambda t, a, q: t.applications(**q), filters=True),
    Resource("service-principals", ("sp", "sps"), "service principals",
             lambda t, a, q: t.service_principals(**q), filters=True),
    Resource("grants", ("permission-grants",), "delegated permission grants",
             lambda t, a, q: t.grants(**q), filters=True),
    Resource("attributes", ("attrs", "attribute", "user-flow-attributes"),
             "built-in and custom user-flow attributes",
             lambda t, a, q: t.user_flow_attributes(**q), filters=True),
    Resource("conditional-access", ("ca",), "conditional access policies",
             lambda t, a, q: t.conditional_access(**q), filters=True),
    Resource("ca-templates", ("templates",), "conditional access templates",
             lambda t, a, q: t.conditional_access_templates(**q)),
    Resource("deleted", ("deleted-items", "trash", "bin"),
             "deleted users and applications (--type)",
             lambda t, a, q: t.deleted_items(a.type, **q), filters=True, options=("type",)),
    Resource("audit", ("audits", "logs"), "audit entries (--since, --result...)",
             lambda t, a, q: t.audit(since=a.since, until=a.until, category=a.category,
                                     result=a.result, **q),
             filters=True, options=("since", "until", "category", "result")),
    Resource("quota", ("org", "organization"), "the directory quota",
             lambda t, a, q: t.quota(), listing=False),
)


def find_resource(name: str) -> Resource | None:
    """A resource by name or alias (any case)."""
    key = name.strip().lower()
    return next((r for r in RESOURCES if key == r.name or key in r.aliases), None)


EXAMPLES = """\
resources:
{resources}

examples:
  b2c-tui get users --limit 20
  b2c-tui get users --filter "startswith(displayName,'Jo')" --select displayName,signInName
  b2c-tui get users -o csv --out users.csv
  b2c-tui get keys -o json | jq '.[] | select(.expires < "2026-01-01")'
  b2c-tui get audit --result failure --since 2026-01-01 -o jsonl
  b2c-tui get auth-methods --user 6d724881-cb5b-459d-bbf7-ed48b014c336
  b2c-tui -p prod get applications -o parquet --out apps.parquet

{codes}
"""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    listing = "\n".join(f"  {r.name:<20} {r.summary}"
                        + (f" (also {', '.join(r.aliases)})" if r.aliases else "")
                        for r in RESOURCES)
    parser = command_parser(
        sub, common, "get", help="a resource as a table, CSV, JSON, JSON Lines or Parquet",
        description="Print or save any resource family of the tenant.",
        epilog=EXAMPLES.format(resources=listing, codes=EXIT_CODES_HELP))
    parser.add_argument("resource", metavar="RESOURCE", help="what to list (see below)")
    parser.add_argument("--filter", help="an OData $filter B2C accepts (checked before sending)")
    parser.add_argument("--limit", type=int, metavar="N", help="at most N rows")
    add_options(parser, FRAME_OUTPUT)
    extra = parser.add_argument_group("resource options")
    extra.add_argument("--user", action="append", metavar="ID",
                       help="auth-methods: a user's object id ('-': ids from stdin)")
    extra.add_argument("--beta", action="store_true",
                       help="identity-providers: list through beta (OpenID Connect providers)")
    extra.add_argument("--xml", action="store_true", help="policies: read each document")
    extra.add_argument("--keyset", metavar="ID", help="keys: only this keyset's keys")
    extra.add_argument("--type", metavar="TYPE",
                       help="deleted: user, application, servicePrincipal or group")
    extra.add_argument("--since", metavar="DATE", type=_date, help="audit: from this time")
    extra.add_argument("--until", metavar="DATE", type=_date, help="audit: up to this time")
    extra.add_argument("--category", help="audit: UserManagement, ApplicationManagement...")
    extra.add_argument("--result", help="audit: success or failure")
    parser.set_defaults(func=run)


def _date(text: str) -> Any:
    from ..frames._values import aware_time

    moment = aware_time(text)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time (2026-01-31 or 2026-01-31T08:00:00Z)")
    return moment


_OPTION_DEFAULTS = {"user": None, "beta": False, "xml": False, "keyset": None, "type": None,
                    "since": None, "until": None, "category": None, "result": None}


def _check_options(resource: Resource, args: argparse.Namespace) -> dict[str, Any]:
    given = [name for name, default in _OPTION_DEFAULTS.items()
             if getattr(args, name) != default and name not in resource.options]
    if given:
        raise UsageError(f"--{given[0]} does not apply to {resource.name}.")
    query: dict[str, Any] = {}
    if args.filter is not None:
        if not resource.filters:
            raise UsageError(f"Graph cannot filter {resource.name}; drop --filter (and filter "
                             "the output instead).")
        query["filter"] = args.filter
    if args.select:
        if not resource.listing:
            raise UsageError(f"--select does not apply to {resource.name}.")
        query["select"] = comma_list(args.select)
    if args.limit is not None:
        if args.limit < 1:
            raise UsageError("--limit must be at least 1.")
        if not resource.listing:
            raise UsageError(f"--limit does not apply to {resource.name}.")
        query["limit"] = args.limit
    return query


def run(args: argparse.Namespace) -> int:
    resource = find_resource(args.resource)
    if resource is None:
        names = ", ".join(r.name for r in RESOURCES)
        return fail(f"unknown resource {args.resource!r}; one of: {names}", EXIT_USAGE)
    try:
        query = _check_options(resource, args)
        fmt = output_format(args)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    return emit_frame(args, fmt, lambda tenant: resource.fetch(tenant, args, query))
