"""Serving the emulator over a real socket with uvicorn (HTTP, or HTTPS with a certificate).

:func:`serve` runs in the foreground (``b2c-tui emulator --port P``), prints the base URL and
a ready-to-use TOML profile, and stops cleanly on Ctrl-C. :func:`run_in_thread` serves on
loopback from a background thread for tests and benchmarks and returns ``(base_url, stop)``.
"""

from __future__ import annotations

import asyncio
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


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _server(
    emulator: Emulator,
    host: str,
    port: int,
    certfile: str | None,
    keyfile: str | None,
    log_level: str,
) -> tuple[Any, socket.socket, str]:
    import uvicorn

    sock = _bind(host, port)
    actual = sock.getsockname()[1]
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
    return uvicorn.Server(config), sock, f"{scheme}://{shown}:{actual}"


def profile_toml(
    emulator: Emulator, base_url: str, *, name: str = "demo", ca_bundle: str | None = None
) -> str:
    """A ``[profiles.NAME]`` table for the b2c-tui config that points at this emulator.

    Over https it signs in with the demo client's secret through the emulator's authority;
    over plain http (msal refuses http authorities) it uses a bearer token minted by the
    emulator, read from ``B2C_TUI_TOKEN``.
    """
    lines = [
        f"[profiles.{name}]",
        'description = "b2c-tui demo tenant emulator"',
        f'tenant = "{emulator.tenant_domain}"  # tenant id {emulator.tenant_id}',
        f'client_id = "{emulator.client_id}"',
    ]
    if base_url.startswith("https://"):
        lines += [
            'auth = "client_secret"',
            f'client_secret = "{emulator.client_secret}"  # a demo secret, safe to share',
            f'authority_host = "{base_url}"',
        ]
    else:
        lines += ['auth = "token"', 'token_env = "B2C_TUI_TOKEN"']
    lines.append(f'graph_url = "{base_url}"')
    if ca_bundle:
        lines.append(f'ca_bundle = "{ca_bundle}"')
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
) -> None:
    """Serve ``emulator`` (a default demo tenant if None) until Ctrl-C.

    Prints the base URL and a TOML profile on stdout (by design: it is the command's output),
    then calls ``ready(base_url)``. Over plain HTTP msal refuses the authority (it needs
    https), so the profile uses a minted token instead: give ``certfile``/``keyfile`` (and
    ``ca_bundle``, the CA that issued the certificate) for a full msal sign-in.
    """
    if emulator is None:
        from .app import create_emulator

        emulator = create_emulator()
    server, sock, base_url = _server(emulator, host, port, certfile, keyfile, log_level)
    if banner:
        sys.stdout.write(f"b2c-tui demo tenant emulator serving {emulator.tenant_domain}\n")
        sys.stdout.write(f"  Graph:     {base_url}/v1.0  and  {base_url}/beta\n")
        sys.stdout.write(f"  Authority: {base_url}/{emulator.tenant_domain}\n")
        sys.stdout.write("\nProfile for your b2c-tui config:\n\n")
        sys.stdout.write(profile_toml(emulator, base_url, ca_bundle=ca_bundle))
        if not certfile:
            token = emulator.mint_token()
            sys.stdout.write(
                "\n(plain HTTP: msal needs https, so sign in with a minted token)\n"
                f"export B2C_TUI_TOKEN={token}\n"
            )
        sys.stdout.write("\nPress Ctrl-C to stop.\n")
        sys.stdout.flush()

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if ready is not None and server.started:
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
    server, sock, base_url = _server(emulator, host, port, certfile, keyfile, log_level)
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
