"""What every ``b2c-tui`` command shares: the common options, exit codes, opening the tenant,
and writing results for a pipeline.

Each command module has ``register(sub, common)``: it adds its parser to ``sub`` with
``parents=[common]`` (so ``-p``, ``--read-only``, ``--config`` and ``--log-file`` work before or
after the command's name) and sets ``func`` to a function ``(args) -> int``. Heavy imports
(Textual, pandas, the emulator) stay inside those functions so ``b2c-tui --help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..connection import Connection

# Exit codes a pipeline can rely on (documented in the README and every --help).
EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran and found problems (lint findings, health issues, diffs)
EXIT_USAGE = 2  # bad arguments, configuration or input file
EXIT_GRAPH = 3  # Graph refused or could not be reached
EXIT_READ_ONLY = 4  # a write refused because the profile or --read-only is read-only
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (
    "exit codes: 0 ok, 1 findings (lint, health, differences), 2 usage or input error, "
    "3 Graph refused or unreachable, 4 refused by read-only, 130 interrupted"
)


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes. On sub-commands ``suppress`` leaves an option unset
    when it is not given there, so one given before the command's name is kept."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("-p", "--profile", default=default(None),
                        help="tenant profile from the config file ('env' for the AZURE_* "
                        "environment variables)")
    parser.add_argument("--config", default=default(None),
                        help="config file (default: $B2C_TUI_CONFIG or the platform's config "
                        "folder, b2c-tui/config.toml)")
    parser.add_argument("--read-only", action="store_true", default=default(False),
                        help="refuse every change, in the client, before anything is sent")
    parser.add_argument("--demo", action="store_true", default=default(False),
                        help="use the built-in demo tenant even when a tenant is configured")
    parser.add_argument("--demo-users", type=int, default=default(2000), metavar="N",
                        help="size of the demo tenant (default 2000)")
    parser.add_argument("--log-file", default=default(None),
                        help="write a debug log here (created 0600; secrets are redacted)")


def common_parent() -> argparse.ArgumentParser:
    """A parent parser with the common options, for ``parents=[...]`` of each sub-command."""
    parent = argparse.ArgumentParser(add_help=False)
    add_common_options(parent, suppress=True)
    return parent


def device_code_to_stderr(flow: Mapping[str, Any]) -> None:
    """Show msal's device-code instructions on stderr (stdout may be a pipe)."""
    message = flow.get("message") if isinstance(flow, Mapping) else None
    sys.stderr.write(f"{message or flow}\n")
    sys.stderr.flush()


def open_connection(args: argparse.Namespace) -> Connection:
    """The tenant the common options name (the demo tenant when nothing is configured)."""
    from ..connection import connect

    return connect(args.profile, config_path=args.config, demo=args.demo,
                   read_only=args.read_only or None, demo_users=args.demo_users,
                   device_code_callback=device_code_to_stderr)


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """One line on stderr, ``b2c-tui: ...``, and the exit code to return. Hidden characters in
    ``message`` (an error's text may carry the tenant's, or what was typed) are shown as
    escapes, and line breaks as spaces, whatever the caller did already."""
    from ..api.text import visible

    line = visible(message.replace("\n", " "))
    sys.stderr.write(f"b2c-tui: {line}\n")
    sys.stderr.flush()
    return code


def write_json(value: Any, out: IO[str] | None = None) -> None:
    """``--json`` output: one document, keys in the order built, non-ASCII kept, and what would
    act on a terminal (DEL, C1 controls, bidi and zero-width characters) written as ``\\uXXXX``
    inside its strings, which is the same JSON."""
    from ..api.text import json_safe

    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    (out or sys.stdout).write(json_safe(text) + "\n")


Handler = Callable[[argparse.Namespace], int]
