"""``b2c-tui emulator``: serve the demo tenant over loopback HTTP(S)."""

from __future__ import annotations

import argparse

from .common import EXIT_OK


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    emu = sub.add_parser("emulator", parents=[common], help="serve the demo tenant on 127.0.0.1")
    emu.add_argument("--port", type=int, default=8443)
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--users", type=int, default=2000, help="number of users (up to millions)")
    emu.add_argument("--seed", type=int, default=1)
    emu.add_argument("--certfile", help="serve HTTPS with this certificate (PEM)")
    emu.add_argument("--keyfile", help="private key for --certfile")
    emu.add_argument("--no-throttling", action="store_true", help="never answer 429")
    emu.add_argument("--latency", type=float, default=0.0, help="seconds added to each request")
    emu.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..emulator import create_emulator
    from ..emulator.server import serve

    emulator = create_emulator(seed=args.seed, users=args.users,
                               throttling=not args.no_throttling, latency=args.latency)
    serve(host=args.host, port=args.port, certfile=args.certfile, keyfile=args.keyfile,
          emulator=emulator)
    return EXIT_OK
