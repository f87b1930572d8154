"""``b2c-tui emulator`` as a user runs it: a real process, its banner, its exit codes."""

from __future__ import annotations

import os
import queue
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trustme

TIMEOUT = 60.0


@dataclass
class Served:
    """A running ``b2c-tui emulator``: its banner and what the banner says."""

    process: subprocess.Popen[str]
    banner: str
    stderr: str

    def value(self, key: str) -> str:
        found = re.search(rf'^{key} = "([^"]*)"', self.banner, re.MULTILINE)
        assert found, (key, self.banner)
        return found.group(1)

    @property
    def base_url(self) -> str:
        return self.value("graph_url")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "b2c_tui.cli", "emulator", *args],
                          capture_output=True, text=True, timeout=TIMEOUT, env=env)


@contextmanager
def serving(*args: str) -> Iterator[Served]:
    """Start the command; yield once its banner is out; stop it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "b2c_tui.cli", "emulator", "--port", "0", "--users", "20", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    banner: list[str] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while not banner or not banner[-1].startswith("Press Ctrl-C"):
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                err = process.stderr.read() if process.stderr else ""
                raise AssertionError(f"the emulator exited: {err}")
            banner.append(line)
        yield Served(process, "".join(banner), "")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stderr:
            process.stderr.close()
        if process.stdout:
            process.stdout.close()


def _client_secret(served: Served) -> str:
    """From the profile (https) or from the printed token request (http)."""
    found = re.search(r"client_secret=([^&']+)", served.banner)
    return found.group(1) if found else served.value("client_secret")


def _token(served: Served, verify: ssl.SSLContext | bool = True) -> str:
    """A token from the emulator's token endpoint, the way any client gets one."""
    tenant = served.value("tenant")
    form = {
        "grant_type": "client_credentials",
        "client_id": served.value("client_id"),
        "client_secret": _client_secret(served),
        "scope": "https://graph.microsoft.com/.default",
    }
    reply = httpx.post(f"{served.base_url}/{tenant}/oauth2/v2.0/token", data=form, verify=verify)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


def _assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("b2c-tui: "), done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("certs")
    ca = trustme.CA()
    leaf, other = ca.issue_cert("127.0.0.1", "localhost"), ca.issue_cert("127.0.0.1")
    paths = {name: str(folder / f"{name}.pem") for name in ("ca", "cert", "key", "other_key")}
    ca.cert_pem.write_to_path(paths["ca"])
    leaf.cert_chain_pems[0].write_to_path(paths["cert"])
    leaf.private_key_pem.write_to_path(paths["key"])
    other.private_key_pem.write_to_path(paths["other_key"])
    return paths


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--users", "-5"), ("--users",)),
        (("--keyfile", "key.pem"), ("--keyfile", "--certfile")),
        (("--certfile", "no-such-cert.pem", "--keyfile", "no-such-key.pem"), ("no-such",)),
        (("--rate-429", "1.5"), ("--rate-429",)),
        (("--audit-entries", "-1"), ("--audit-entries",)),
        (("--host", "0.0.0.0"), ("--allow-remote",)),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    _assert_one_line_error(_run("--port", "0", *args), *words)


def test_a_certificate_and_a_key_that_do_not_match(certificates: dict[str, str]) -> None:
    done = _run("--port", "0", "--certfile", certificates["cert"],
                "--keyfile", certificates["other_key"])
    _assert_one_line_error(done, "cannot serve HTTPS")


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _assert_one_line_error(_run("--port", str(port), "--users", "5"), str(port))


def test_graph_asks_for_a_token_from_the_emulators_own_authority() -> None:
    with serving() as served:
        assert "[profiles.emulator]" in served.banner and "[profiles.demo]" not in served.banner
        users = f"{served.base_url}/v1.0/users?$top=1"
        refused = httpx.get(users)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "InvalidAuthenticationToken"
        forged = httpx.get(users, headers={"Authorization": "Bearer not.a.token"})
        assert forged.status_code == 401
        token = _token(served)
        assert httpx.get(users, headers={"Authorization": f"Bearer {token}"}).status_code == 200
        printed = re.search(r"^export B2C_TUI_TOKEN=(\S+)$", served.banner, re.MULTILINE)
        assert printed is not None
        headers = {"Authorization": f"Bearer {printed.group(1)}"}
        assert httpx.get(users, headers=headers).status_code == 200


def test_no_auth_serves_without_a_token() -> None:
    with serving("--no-auth") as served:
        assert httpx.get(f"{served.base_url}/v1.0/users?$top=1").status_code == 200


def test_https_profile_names_the_ca_bundle(certificates: dict[str, str]) -> None:
    with serving("--certfile", certificates["cert"], "--keyfile", certificates["key"],
                 "--ca-bundle", certificates["ca"]) as served:
        assert served.base_url.startswith("https://127.0.0.1:")
        assert served.value("ca_bundle") == str(Path(certificates["ca"]).resolve())
        assert served.value("authority_host") == served.base_url
        trust = ssl.create_default_context(cafile=certificates["ca"])
        token = _token(served, verify=trust)
        reply = httpx.get(f"{served.base_url}/v1.0/organization", verify=trust,
                          headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 200


def test_allow_remote_warns() -> None:
    with serving("--host", "0.0.0.0", "--allow-remote", "--no-auth") as served:
        assert served.process.stderr is not None
        assert "warning" in served.process.stderr.readline()
        port = served.base_url.rsplit(":", 1)[1]
        assert httpx.get(f"http://127.0.0.1:{port}/v1.0/organization").status_code == 200


def test_fault_knobs_are_options() -> None:
    with serving("--no-auth", "--rate-503", "1", "--fault-path", "/users") as served:
        assert httpx.get(f"{served.base_url}/v1.0/users").status_code == 503
        assert httpx.get(f"{served.base_url}/v1.0/organization").status_code == 200


def test_tenant_options() -> None:
    with serving("--no-auth", "--audit-entries", "40", "--health-findings",
                 "--no-extensions-app") as served:
        audits = httpx.get(f"{served.base_url}/v1.0/auditLogs/directoryAudits?$top=999").json()
        assert len(audits["value"]) == 40
        apps = httpx.get(f"{served.base_url}/v1.0/applications").json()["value"]
        assert not any(a["displayName"].startswith("b2c-extensions-app") for a in apps)
        assert any(a["passwordCredentials"] for a in apps)
