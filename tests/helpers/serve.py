"""Serve an ASGI app (the demo tenant, or a tiny fake) over loopback in a thread, for tests
that need a real socket: TLS, another process, the command line."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serving(app: Any, *, certfile: str | None = None, keyfile: str | None = None
            ) -> Iterator[str]:
    """Run ``app`` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    scheme = "https" if certfile else "http"
    base = f"{scheme}://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(app, ssl_certfile=certfile, ssl_keyfile=keyfile, log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=1, interface="asgi3")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        threading.Event().wait(0.01)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
