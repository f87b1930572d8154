"""Entry point: ``b2c-tui`` opens the explorer; ``b2c-tui emulator`` serves the demo tenant."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence

from . import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="b2c-tui",
        description="Explore an Azure AD B2C / Entra External ID tenant. With no tenant "
        "configured, opens the built-in demo tenant (offline).",
    )
    parser.add_argument("--version", action="version", version=f"b2c-tui {__version__}")
    parser.add_argument("-p", "--profile", help="tenant profile from the config file ('env' for "
                        "the AZURE_* environment variables)")
    parser.add_argument("--config", help="config file (default: $B2C_TUI_CONFIG or "
                        "~/.config/b2c-tui/config.toml)")
    parser.add_argument("--demo", action="store_true", help="open the demo tenant even when a "
                        "tenant is configured")
    parser.add_argument("--demo-users", type=int, default=2000, metavar="N",
                        help="size of the demo tenant (default 2000)")
    parser.add_argument("--read-only", action="store_true",
                        help="refuse every change, in the UI and in the client")
    parser.add_argument("--log-file", help="write a debug log here (secrets are redacted)")
    sub = parser.add_subparsers(dest="command")

    emu = sub.add_parser("emulator", help="serve the demo tenant on 127.0.0.1")
    emu.add_argument("--port", type=int, default=8443)
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--users", type=int, default=2000, help="number of users (up to millions)")
    emu.add_argument("--seed", type=int, default=1)
    emu.add_argument("--certfile", help="serve HTTPS with this certificate (PEM)")
    emu.add_argument("--keyfile", help="private key for --certfile")
    emu.add_argument("--no-throttling", action="store_true", help="never answer 429")
    emu.add_argument("--latency", type=float, default=0.0, help="seconds added to each request")

    sub.add_parser("profiles", help="list the configured tenant profiles")
    return parser


def _run_emulator(args: argparse.Namespace) -> int:
    from .emulator import create_emulator
    from .emulator.server import serve

    emulator = create_emulator(seed=args.seed, users=args.users,
                               throttling=not args.no_throttling, latency=args.latency)
    serve(host=args.host, port=args.port, certfile=args.certfile, keyfile=args.keyfile,
          emulator=emulator)
    return 0


def _list_profiles(args: argparse.Namespace) -> int:
    from .graph.config import load_config

    config = load_config(args.config)
    if not config.profiles:
        sys.stdout.write("No profiles configured; b2c-tui opens the demo tenant.\n")
        return 0
    for name, profile in sorted(config.profiles.items()):
        mark = "*" if name == config.default_profile else " "
        flags = " ".join(f for f, on in (("production", profile.production),
                                         ("read-only", profile.read_only)) if on)
        sys.stdout.write(f"{mark} {name:<12} {profile.tenant:<40} {profile.cloud.name:<9} "
                         f"{profile.auth:<14} {flags}\n")
    return 0


def _run_app(args: argparse.Namespace) -> int:
    # Start-up allocates a great many long-lived objects (Textual, pandas, numpy); collecting
    # them while importing only costs time. The app re-enables the collector, after freezing
    # those objects, once the first rows are on screen.
    gc.disable()
    from .connection import connect
    from .tui.app import B2CApp

    def show_device_code(flow: object) -> None:
        message = flow.get("message") if isinstance(flow, dict) else None
        sys.stderr.write(f"{message or flow}\n")
        sys.stderr.flush()

    connection = connect(args.profile, config_path=args.config, demo=args.demo,
                         read_only=args.read_only or None, demo_users=args.demo_users,
                         device_code_callback=show_device_code)
    B2CApp(connection).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.log_file:
        from .graph.redact import RedactingFilter

        handler = logging.FileHandler(args.log_file, encoding="utf-8")
        handler.addFilter(RedactingFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logging.basicConfig(level=logging.DEBUG, handlers=[handler])
    from .graph.errors import B2CTuiError

    try:
        if args.command == "emulator":
            return _run_emulator(args)
        if args.command == "profiles":
            return _list_profiles(args)
        return _run_app(args)
    except B2CTuiError as exc:
        sys.stderr.write(f"b2c-tui: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
