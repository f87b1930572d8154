"""``--log-file``: created 0600, and no line carries a token or secret."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from b2c_tui.cli import main
from b2c_tui.graph import GraphCore, NetworkError, RetryPolicy
from b2c_tui.graph.redact import register_secret

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz"
PLAIN_TOKEN = "unregistered-plain-token-77aa"


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_log_file_is_created_private(tmp_path: Path, root_logging: None) -> None:
    log_file = tmp_path / "b2c.log"
    old = os.umask(0o022)
    try:
        assert main(["--log-file", str(log_file), "profiles"]) == 0
    finally:
        os.umask(old)
    assert mode(log_file) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_log_file_is_tightened(tmp_path: Path, root_logging: None) -> None:
    log_file = tmp_path / "b2c.log"
    log_file.write_text("earlier run\n")
    log_file.chmod(0o644)
    assert main(["profiles", "--log-file", str(log_file)]) == 0
    assert mode(log_file) == 0o600
    assert log_file.read_text().startswith("earlier run\n")  # appended, not truncated


async def test_no_token_reaches_the_log(tmp_path: Path, root_logging: None) -> None:
    log_file = tmp_path / "b2c.log"
    assert main(["--log-file", str(log_file), "profiles"]) == 0
    secret = "client-secret-value-9f8e7d"
    register_secret(secret)
    log = logging.getLogger("b2c_tui.test")
    log.debug("sending with Authorization: Bearer %s", JWT)
    log.info("profile secret is %s", secret)
    try:
        raise RuntimeError(f"boom with token {JWT} and client_secret={secret}")
    except RuntimeError:
        log.exception("a failure")
    log.warning("stack of a token %s", JWT, stack_info=True)

    class Tokens:
        async def token(self, *, force_refresh: bool = False) -> str:
            return PLAIN_TOKEN

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    core = GraphCore(Tokens(), transport=httpx.MockTransport(refused),
                     retry=RetryPolicy(base_delay=0.001, max_attempts=3))
    with pytest.raises(NetworkError) as info:
        await core.get_json("/users")
    log.error("request failed", exc_info=info.value)
    for handler in logging.getLogger().handlers:
        handler.flush()

    text = log_file.read_text()
    assert "a failure" in text and "RuntimeError" in text and "retry 1" in text
    for leaked in (JWT, secret, PLAIN_TOKEN):
        assert leaked not in text
