"""End to end over HTTPS: the profile's ``ca_bundle`` is what the Graph client trusts.

A throwaway CA (trustme) signs a certificate for 127.0.0.1; a small ASGI app of our own serves
two pages of users on it through uvicorn, in a thread. The profile goes through the same path
as the program's (:func:`b2c_tui.connection.open_profile`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from b2c_tui.connection import open_profile
from b2c_tui.graph import NetworkError
from b2c_tui.graph.profiles import parse_profile
from tests.helpers.serve import serving

TOKEN = "tls-test-token-value-42"


class TinyGraph:
    """``GET /v1.0/users``: two pages, the second behind an absolute nextLink on this host."""

    def __init__(self) -> None:
        self.authorizations: list[str | None] = []
        self.base = ""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = dict(scope["headers"])
        auth = headers.get(b"authorization")
        self.authorizations.append(auth.decode() if auth else None)
        if scope["query_string"]:
            body: dict[str, Any] = {"value": [{"id": "2", "displayName": "Second"}]}
        else:
            body = {"value": [{"id": "1", "displayName": "First"}],
                    "@odata.nextLink": f"{self.base}/v1.0/users?$skiptoken=2"}
        payload = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def https_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TinyGraph, str, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))

    app = TinyGraph()
    with serving(app, certfile=str(cert_file), keyfile=str(key_file)) as base:
        app.base = base
        yield app, base, ca_file


def profile(base: str, ca_file: Path | None) -> Any:
    body: dict[str, Any] = {"tenant": "contoso.onmicrosoft.com", "auth": "token",
                            "token_env": "TLS_TEST_TOKEN", "graph_url": base}
    if ca_file is not None:
        body["ca_bundle"] = str(ca_file)
    return parse_profile("tls", body).with_secrets({"TLS_TEST_TOKEN": TOKEN})


async def test_graph_client_trusts_the_profiles_ca_bundle(https_graph) -> None:
    app, base, ca_file = https_graph
    app.authorizations.clear()
    conn = open_profile(profile(base, ca_file))
    try:
        users = await conn.client.users.list(top=None).collect()
    finally:
        await conn.aclose()
    assert [u["displayName"] for u in users] == ["First", "Second"]
    assert app.authorizations == [f"Bearer {TOKEN}"] * 2


async def test_without_the_ca_bundle_the_certificate_is_refused_at_once(https_graph) -> None:
    app, base, _ = https_graph
    app.authorizations.clear()
    conn = open_profile(profile(base, None))
    try:
        with pytest.raises(NetworkError) as info:
            await conn.client.users.list(top=None).collect()
    finally:
        await conn.aclose()
    err = info.value
    assert err.attempts == 1  # a certificate that is not trusted will not become trusted
    assert "certificate" in str(err) and "ca_bundle" in str(err)
    assert app.authorizations == []  # the handshake failed before any request
