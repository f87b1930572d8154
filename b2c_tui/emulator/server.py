"""Serving the emulator over a real socket with uvicorn (HTTP, or HTTPS with a certificate).

:func:`serve` runs in the foreground (``b2c-tui emulator --port P``), prints the base URL and
a ready-to-use TOML profile, and stops cleanly on Ctrl-C. :func:`run_in_thread` serves on
loopback from a background thread for tests and benchmarks and returns ``(base_url, stop)``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Emulator

log = logging.getLogger(__name__)

#: The name of the profile :func:`profile_toml` prints (``demo`` is the built-in tenant's).
PROFILE_NAME = "emulator"


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: any free one); ``OSError`` when it cannot be
    (the port is in use, the address is not this machine's...)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is a loopback one (``127.0.0.1``, ``::1``,
    ``localhost``); a name that does not resolve is not."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def _server(
    emulator: Emulator,
    sock: socket.socket,
    certfile: str | None,
    keyfile: str | None,
    log_level: str,
) -> tuple[Any, str]:
    import uvicorn

    host, actual = sock.getsockname()[:2]
    scheme = "https" if certfile else "http"
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(
        emulator.asgi,
        host=host,
        port=actual,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        log_level=log_level,
        lifespan="off",
        interface="asgi3",
        access_log=False,
        server_header=False,
        date_header=True,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config), f"{scheme}://{shown}:{actual}"


def _toml(value: str) -> str:
    # a JSON string is a valid TOML basic string (quotes and backslashes escaped)
    return json.dumps(value, ensure_ascii=False)


def profile_toml(
    emulator: Emulator, base_url: str, *, name: str = PROFILE_NAME, ca_bundle: str | None = None
) -> str:
    """A ``[profiles.NAME]`` table for the b2c-tui config that points at this emulator.

    Over https it signs in with the demo client's secret through the emulator's authority
    (trusting ``ca_bundle``); over plain http (msal refuses http authorities) it uses a bearer
    token from the emulator's token endpoint, read from ``B2C_TUI_TOKEN``. The name is not
    ``demo``: that one is the built-in, in-process demo tenant.
    """
    lines = [
        f"[profiles.{name}]",
        'description = "b2c-tui demo tenant emulator"',
        f"tenant = {_toml(emulator.tenant_domain)}  # tenant id {emulator.tenant_id}",
        f"client_id = {_toml(emulator.client_id)}",
    ]
    if base_url.startswith("https://"):
        lines += [
            'auth = "client_secret"',
            f"client_secret = {_toml(emulator.client_secret)}  # a demo secret, safe to share",
            f"authority_host = {_toml(base_url)}",
        ]
    else:
        lines += ['auth = "token"', 'token_env = "B2C_TUI_TOKEN"']
    lines.append(f"graph_url = {_toml(base_url)}")
    if ca_bundle:
        lines.append(f"ca_bundle = {_toml(ca_bundle)}")
    return "\n".join(lines) + "\n"


def token_command(emulator: Emulator, base_url: str) -> str:
    """A ``curl`` command that asks the emulator's token endpoint for an app-only token."""
    form = (
        f"grant_type=client_credentials&client_id={emulator.client_id}"
        f"&client_secret={emulator.client_secret}"
        "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    )
    return f"curl -s -d '{form}' {base_url}/{emulator.tenant_id}/oauth2/v2.0/token"


def banner_text(emulator: Emulator, base_url: str, *, ca_bundle: str | None = None) -> str:
    """What ``b2c-tui emulator`` prints: where it serves, a profile, and how to sign in."""
    lines = [
        f"b2c-tui demo tenant emulator serving {emulator.tenant_domain}",
        f"  Graph:     {base_url}/v1.0  and  {base_url}/beta",
        f"  Authority: {base_url}/{emulator.tenant_domain}",
        "",
        "Profile for your b2c-tui config:",
        "",
        profile_toml(emulator, base_url, ca_bundle=ca_bundle),
    ]
    if not emulator.require_auth:
        lines.append("Graph asks for no token (--no-auth): any bearer token, or none, is taken.")
    if not base_url.startswith("https://"):
        lines += [
            "Plain HTTP: msal needs https, so sign in with a token from the emulator's token",
            "endpoint (valid for an hour; the curl command below gets a fresh one):",
            f"export B2C_TUI_TOKEN={emulator.mint_token()}",
            token_command(emulator, base_url),
        ]
    lines += ["", "Press Ctrl-C to stop."]
    return "\n".join(lines) + "\n"


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
    emulator: Emulator | None = None,
    ready: Callable[[str], None] | None = None,
    log_level: str = "warning",
    banner: bool = True,
    ca_bundle: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve ``emulator`` (a default demo tenant if None) until Ctrl-C, on ``sock`` or on a
    socket bound to ``host:port``.

    Once it listens, prints the base URL and a TOML profile on stdout (by design: it is the
    command's output), then calls ``ready(base_url)``. Over plain HTTP msal refuses the
    authority (it needs https), so the profile uses a token instead: give ``certfile`` and
    ``keyfile`` (and ``ca_bundle``, the CA that issued the certificate) for a full msal
    sign-in.
    """
    if emulator is None:
        from .app import create_emulator

        emulator = create_emulator()
    sock = sock or bind(host, port)
    server, base_url = _server(emulator, sock, certfile, keyfile, log_level)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:  # the banner means "ready": clients may connect from now on
            if banner:
                sys.stdout.write(banner_text(emulator, base_url, ca_bundle=ca_bundle))
                sys.stdout.flush()
            if ready is not None:
                ready(base_url)
        await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def run_in_thread(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
    log_level: str = "error",
    timeout: float = 10.0,
) -> tuple[str, Callable[[], None]]:
    """Serve ``emulator`` from a daemon thread; returns ``(base_url, stop)``.

    ``stop()`` asks uvicorn to exit and joins the thread.
    """
    sock = bind(host, port)
    server, base_url = _server(emulator, sock, certfile, keyfile, log_level)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # surfaced to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="b2c-emulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if failure or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"emulator server failed to start: {failure[:1]}")
        if time.monotonic() > deadline:
            raise TimeoutError("emulator server did not start")
        time.sleep(0.002)

    def stop() -> None:
        server.should_exit = True
        thread.join(3.0)
        if thread.is_alive():  # idle keep-alive connections must not hold the stop up
            server.force_exit = True
            thread.join(timeout)
        sock.close()

    return base_url, stop
