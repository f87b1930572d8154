"""Run the demo tenant in its own process on loopback, so client CPU is measured alone."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def emulator_process(users: int, *, latency: float = 0.0, seed: int = 1,
                     throttling: bool = False) -> Iterator[str]:
    """Serve the demo tenant in a child process; yields its base URL."""
    port = free_port()
    # no token: the benchmarks measure paging, not the sign-in
    cmd = [sys.executable, "-m", "b2c_tui.cli", "emulator", "--port", str(port),
           "--users", str(users), "--seed", str(seed), "--latency", str(latency), "--no-auth"]
    if not throttling:
        cmd.append("--no-throttling")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"emulator exited: {err}")
            try:
                httpx.get(f"{base}/v1.0/organization", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
