"""``b2c-tui emulator``: serve the demo tenant over loopback HTTP(S).

Graph asks for a bearer token from the emulator's own token endpoint (client credentials
against its authority; ``--no-auth`` turns that off). A non-loopback ``--host`` needs
``--allow-remote``, which warns. Bad arguments, a port in use or a certificate that does not
load are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .common import EXIT_OK, EXIT_USAGE, fail

if TYPE_CHECKING:
    from ..emulator import Emulator

MAX_USERS = 10_000_000
#: The fault options that are probabilities: (option, what happens that often).
_RATES = (
    ("--rate-429", "an injected 429 TooManyRequests"),
    ("--rate-503", "an injected 503 ServiceUnavailable"),
    ("--drop-rate", "closing the connection without an answer"),
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    emu = sub.add_parser(
        "emulator",
        parents=[common],
        help="serve the demo tenant on 127.0.0.1",
        description="Serve the demo tenant (a twin of Microsoft Graph and its token authority) "
        "over HTTP, or HTTPS with --certfile/--keyfile, and print a profile for it.",
    )
    where = emu.add_argument_group("where")
    where.add_argument("--port", type=int, default=8443, help="port (0: any free one)")
    where.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    where.add_argument("--allow-remote", action="store_true",
                       help="allow a --host that is not loopback (anyone who can reach it can "
                       "use the tenant; a warning is printed)")
    where.add_argument("--certfile", help="serve HTTPS with this certificate (PEM)")
    where.add_argument("--keyfile", help="private key for --certfile (PEM)")
    where.add_argument("--ca-bundle", help="CA that issued --certfile, for the printed profile "
                       "(default: the certificate itself, right when it is self-signed)")
    where.add_argument("--no-auth", action="store_true",
                       help="ask for no bearer token (quick experiments)")
    tenant = emu.add_argument_group("tenant")
    tenant.add_argument("--users", type=int, default=2000, help="number of users (up to millions)")
    tenant.add_argument("--seed", type=int, default=1, help="same seed, same tenant")
    tenant.add_argument("--audit-entries", type=int, metavar="N",
                        help="audit entries of the week before (default: as many as users, "
                        "1,000 to 20,000)")
    tenant.add_argument("--health-findings", action="store_true",
                        help="also give apps secrets and certificates that expire soon")
    tenant.add_argument("--no-extensions-app", action="store_true",
                        help="build the tenant without its b2c-extensions-app")
    faults = emu.add_argument_group("throttling and faults")
    faults.add_argument("--no-throttling", action="store_true", help="never answer 429")
    faults.add_argument("--latency", type=float, default=0.0,
                        help="seconds added to each request")
    for flag, what in _RATES:
        faults.add_argument(flag, type=float, default=0.0, metavar="P",
                            help=f"probability of {what}")
    faults.add_argument("--retry-after-429", type=float, default=1.0, metavar="S",
                        help="Retry-After of the injected 429s (seconds)")
    faults.add_argument("--fault-path", metavar="PREFIX",
                        help="inject faults only on Graph paths starting with PREFIX (/users)")
    emu.set_defaults(func=run)


def _problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments, in one line (None when nothing is)."""
    if not 0 <= args.users <= MAX_USERS:
        return f"--users must be between 0 and {MAX_USERS:,} (got {args.users})"
    if args.audit_entries is not None and args.audit_entries < 0:
        return f"--audit-entries cannot be negative (got {args.audit_entries})"
    if not 0 <= args.port <= 65535:
        return f"--port must be between 0 and 65535 (got {args.port})"
    if args.keyfile and not args.certfile:
        return "--keyfile needs --certfile (the certificate it is the key of)"
    if args.ca_bundle and not args.certfile:
        return "--ca-bundle needs --certfile (it names the CA of the served certificate)"
    for flag, _what in _RATES:
        value = getattr(args, flag.lstrip("-").replace("-", "_"))
        if not 0.0 <= value <= 1.0:
            return f"{flag} is a probability between 0 and 1 (got {value})"
    if args.latency < 0 or args.retry_after_429 < 0:
        return "--latency and --retry-after-429 cannot be negative"
    return None


def run(args: argparse.Namespace) -> int:
    from ..emulator import server

    problem = _problem(args)
    if problem is not None:
        return fail(problem, EXIT_USAGE)
    if args.certfile:
        problem = _check_certificate(args.certfile, args.keyfile)
        if problem is not None:
            return fail(problem, EXIT_USAGE)
    if not server.is_loopback(args.host):
        if not args.allow_remote:
            return fail(f"--host {args.host} is not a loopback address: the demo tenant would "
                        "be open to the network; add --allow-remote if you mean it", EXIT_USAGE)
        sys.stderr.write(f"b2c-tui: warning: serving the demo tenant on {args.host}: anyone who "
                         "can reach this port can read and change it\n")
    try:
        sock = server.bind(args.host, args.port)
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", EXIT_USAGE)
    emulator = _build(args)
    ca_bundle = None
    if args.certfile:
        ca_bundle = _ca_bundle(args.certfile, args.ca_bundle)
    server.serve(emulator=emulator, sock=sock, certfile=args.certfile, keyfile=args.keyfile,
                 ca_bundle=ca_bundle)
    return EXIT_OK


def _build(args: argparse.Namespace) -> Emulator:
    from ..emulator import create_emulator

    faults = {
        "rate_429": args.rate_429,
        "retry_after_429": args.retry_after_429,
        "rate_503": args.rate_503,
        "drop_rate": args.drop_rate,
        "path": args.fault_path,
    }
    return create_emulator(
        seed=args.seed,
        users=args.users,
        throttling=not args.no_throttling,
        latency=args.latency,
        require_auth=not args.no_auth,
        faults=faults,
        audit_entries=args.audit_entries,
        health_findings=args.health_findings,
        extensions_app=not args.no_extensions_app,
    )


def _check_certificate(certfile: str, keyfile: str | None) -> str | None:
    """Why the certificate and key cannot serve HTTPS (None when they can)."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        return f"cannot read {exc.filename or certfile}: no such file"
    except (OSError, ssl.SSLError) as exc:
        what = f"{certfile} and {keyfile}" if keyfile else certfile
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        return f"cannot serve HTTPS with {what}: {reason} (is the key the certificate's?)"
    return None


def _ca_bundle(certfile: str, given: str | None) -> str:
    """The CA bundle the printed profile trusts: ``given``, or the certificate itself (right
    when it is self-signed; a warning says so when it is not)."""
    from pathlib import Path

    if given:
        return str(Path(given).resolve())
    if not _self_signed(certfile):
        sys.stderr.write(f"b2c-tui: warning: {certfile} is not self-signed; give --ca-bundle "
                         "with the CA that issued it, or clients will not trust it\n")
    return str(Path(certfile).resolve())


def _self_signed(certfile: str) -> bool:
    from pathlib import Path

    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(Path(certfile).read_bytes())
    except ValueError:
        return False
    return any(cert.issuer == cert.subject for cert in certificates)
