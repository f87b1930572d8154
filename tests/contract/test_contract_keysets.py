"""Contract: policy keysets (beta) against the documented examples, and secret handling."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from b2c_tui.graph import GraphError, ValidationError
from b2c_tui.graph.client import GraphClient
from b2c_tui.graph.resources.keysets import Secret

from .harness import (
    Recorder,
    Replay,
    assert_request_matches,
    documented_body,
    example,
    make_client,
    replay,
)

COVERS = [
    "trustframework-list-keysets",
    "trustframework-post-keysets",
    "trustframeworkkeyset-delete",
    "trustframeworkkeyset-generatekey",
    "trustframeworkkeyset-get",
    "trustframeworkkeyset-getactivekey",
    "trustframeworkkeyset-update",
    "trustframeworkkeyset-uploadcertificate",
    "trustframeworkkeyset-uploadpkcs12",
    "trustframeworkkeyset-uploadsecret",
]

KEYSET = "B2C_1A_TokenSigningKeyContainer"


def at(action: str = "") -> str:
    """The documented ``/keySets/{id}[/action]`` path with a real keyset id in place of {id}."""
    return f"/beta/trustFramework/keySets/{KEYSET}" + (f"/{action}" if action else "")


def request_body(op_file: str, index: int = 0) -> Any:
    return example(op_file, index)["request"]["body"]


async def test_list_keysets() -> None:
    r = await replay("trustframework-list-keysets", lambda c: c.keysets.list().collect())
    assert r.result == documented_body("trustframework-list-keysets")["value"]


@pytest.mark.parametrize("index", [0, 1])
async def test_create_keyset_leaves_the_prefix_to_graph(index: int) -> None:
    op = "trustframework-post-keysets"
    body = request_body(op, index)
    r = await replay(op, lambda c: c.keysets.create(body["id"], body.get("keys")), index)
    assert r.result == documented_body(op, index)
    assert r.result["id"] == "B2C_1A_keyset1"


async def test_get_keyset() -> None:
    r = await replay("trustframeworkkeyset-get", lambda c: c.keysets.get(KEYSET), path=at())
    assert r.result == documented_body("trustframeworkkeyset-get")


async def test_get_active_key() -> None:
    op = "trustframeworkkeyset-getactivekey"
    r = await replay(op, lambda c: c.keysets.get_active_key(KEYSET), path=at("getActiveKey"))
    assert r.result == documented_body(op)


async def test_update_keyset_puts_keys() -> None:
    op = "trustframeworkkeyset-update"
    keys = request_body(op)["keys"]
    r = await replay(op, lambda c: c.keysets.update(KEYSET, keys), path=at())
    assert r.result == documented_body(op)


async def test_delete_keyset() -> None:
    r = await replay("trustframeworkkeyset-delete", lambda c: c.keysets.delete(KEYSET), path=at())
    assert r.result is None


async def replay_repaired(
    op_file: str, call: Callable[[GraphClient], Awaitable[Any]], *, path: str
) -> Replay:
    """Like ``replay`` for an example whose response JSON the docs left invalid (a trailing
    comma): the response is repaired, the request still checked against the docs."""
    ex = example(op_file)
    text = re.sub(r",(\s*[}\]])", r"\1", ex["response"]["body"])
    recorder = Recorder(httpx.Response(ex["response"]["status"], json=json.loads(text)))
    async with make_client(recorder) as client:
        result = await call(client)
    assert len(recorder.requests) == 1
    assert_request_matches(recorder.requests[0], recorder.bodies[0], ex, path=path)
    return Replay(result, recorder.requests[0], recorder.bodies[0])


async def test_generate_key() -> None:
    op = "trustframeworkkeyset-generatekey"
    r = await replay_repaired(
        op, lambda c: c.keysets.generate_key(KEYSET, use="sig", kty="RSA", nbf=1508969811,
                                             exp=1508969811),
        path=at("generateKey"),
    )
    assert r.result["kid"] == "Gaid7K8sO8RavMX9fzHir_Wg0femGhbY9b-B4rVIxbE"
    assert r.result["k"] is None and r.result["kty"] == "RSA"


async def test_generate_key_takes_datetimes_and_any_case() -> None:
    recorder = Recorder(httpx.Response(200, json={"kid": "x"}))
    async with make_client(recorder) as client:
        await client.keysets.generate_key(
            KEYSET, use="SIG", kty="oct", nbf=datetime(2024, 1, 1, tzinfo=UTC),
            exp=datetime(2025, 1, 1))
    assert json.loads(recorder.bodies[0]) == {"use": "sig", "kty": "OCT",
                                              "nbf": 1704067200, "exp": 1735689600}


async def test_upload_certificate() -> None:
    op = "trustframeworkkeyset-uploadcertificate"
    key = request_body(op)["key"]
    r = await replay(op, lambda c: c.keysets.upload_certificate(KEYSET, key),
                     path=at("uploadCertificate"))
    assert r.result == documented_body(op)


async def test_upload_certificate_encodes_der_bytes() -> None:
    recorder = Recorder(httpx.Response(200, json={"kid": "x"}))
    async with make_client(recorder) as client:
        await client.keysets.upload_certificate(KEYSET, b"\x30\x82\x01\x0a")
    assert json.loads(recorder.bodies[0]) == {"key": "MIIBCg=="}


async def test_upload_pkcs12() -> None:
    op = "trustframeworkkeyset-uploadpkcs12"
    body = request_body(op)
    r = await replay(op, lambda c: c.keysets.upload_pkcs12(KEYSET, body["key"],
                                                           Secret(body["password"])),
                     path=at("uploadPkcs12"))
    assert r.result == documented_body(op)


async def test_upload_secret() -> None:
    """The docs' example sends ``use: "use-value"``, a placeholder our validation refuses (see
    below); the request is otherwise the documented one."""
    op = "trustframeworkkeyset-uploadsecret"
    doc = request_body(op)
    r = await replay(op, lambda c: c.keysets.upload_secret(
        KEYSET, use="sig", k=Secret(doc["k"]), nbf=doc["nbf"], exp=doc["exp"]),
        check_request=False)
    assert r.request.method == "POST"
    assert r.request.url.path == at("uploadSecret")
    assert r.request.headers["content-type"] == "application/json"
    assert json.loads(r.body) == {**doc, "use": "sig"}
    assert r.result == documented_body(op)


# -- validation happens before any request -------------------------------------------------

async def refused(call: Callable[[GraphClient], Awaitable[Any]]) -> ValidationError:
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError) as info:
            await call(client)
    assert recorder.requests == []
    return info.value


@pytest.mark.parametrize("use", ["use-value", "signature", "", "SIGN"])
async def test_bad_key_use_is_refused(use: str) -> None:
    await refused(lambda c: c.keysets.generate_key(KEYSET, use=use, kty="RSA"))
    await refused(lambda c: c.keysets.upload_secret(KEYSET, use=use, k="s3cret-value"))


@pytest.mark.parametrize("kty", ["kty-value", "EC", "", "rsa-oaep"])
async def test_bad_key_type_is_refused(kty: str) -> None:
    error = await refused(lambda c: c.keysets.generate_key(KEYSET, use="sig", kty=kty))
    assert error.field == "kty"


@pytest.mark.parametrize("keyset_id", ["TokenSigningKeyContainer", "", "B2C_1A_", "B2C_1A_a/b"])
async def test_bad_keyset_ids_are_refused(keyset_id: str) -> None:
    await refused(lambda c: c.keysets.get(keyset_id))
    await refused(lambda c: c.keysets.delete(keyset_id))
    await refused(lambda c: c.keysets.generate_key(keyset_id, use="sig", kty="RSA"))


async def test_create_accepts_a_name_without_prefix_but_checks_it() -> None:
    await refused(lambda c: c.keysets.create("bad name"))
    await refused(lambda c: c.keysets.create(""))


async def test_expiry_before_start_is_refused() -> None:
    await refused(lambda c: c.keysets.generate_key(KEYSET, use="enc", kty="RSA", nbf=20, exp=10))


async def test_empty_secret_is_refused() -> None:
    await refused(lambda c: c.keysets.upload_secret(KEYSET, use="sig", k=""))
    await refused(lambda c: c.keysets.upload_pkcs12(KEYSET, "UEZY", Secret("")))


# -- secrets never leak ----------------------------------------------------------------------

SECRET = "application-secret-to-be-uploaded-9Zq"
PASSWORD = "pfx-password-Hq71x"
PFX = "UEZYLWNvbnRlbnQtYmFzZTY0LXNlY3JldA=="


def echoing_error(*values: str) -> httpx.Response:
    """A 400 whose message quotes what was sent, as some services do."""
    message = "Invalid key material: " + ", ".join(f"'{v}'" for v in values)
    return httpx.Response(400, json={"error": {
        "code": "Request_BadRequest", "message": message,
        "innerError": {"request-id": "r-1", "date": "2024-01-01T00:00:00"}}})


def assert_no_secret(text: str, *values: str) -> None:
    for value in values:
        assert value not in text


async def test_graph_error_from_upload_secret_has_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder(echoing_error(SECRET))
    with caplog.at_level(logging.DEBUG):
        async with make_client(recorder) as client:
            with pytest.raises(GraphError) as info:
                await client.keysets.upload_secret(KEYSET, use="sig", k=Secret(SECRET))
    err = info.value
    assert err.code == "Request_BadRequest" and err.request_id == "r-1"
    assert_no_secret(str(err) + repr(err) + repr(err.args) + caplog.text, SECRET)
    assert SECRET in recorder.bodies[0].decode()  # it did go over the wire


async def test_graph_error_from_upload_pkcs12_has_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder(echoing_error(PFX, PASSWORD))
    with caplog.at_level(logging.DEBUG):
        async with make_client(recorder) as client:
            with pytest.raises(GraphError) as info:
                await client.keysets.upload_pkcs12(KEYSET, PFX, PASSWORD)
    err = info.value
    assert_no_secret(str(err) + repr(err) + repr(err.args) + caplog.text, PFX, PASSWORD)
    assert json.loads(recorder.bodies[0]) == {"key": PFX, "password": PASSWORD}


async def test_validation_errors_do_not_quote_secrets() -> None:
    error = await refused(lambda c: c.keysets.upload_secret(KEYSET, use="bad", k=SECRET))
    assert_no_secret(str(error) + repr(error), SECRET)


def test_secret_repr_is_redacted() -> None:
    secret = Secret(SECRET)
    assert SECRET not in repr(secret) and SECRET not in str(secret)
    assert SECRET not in repr({"k": secret}) and SECRET not in f"{secret}"
    assert secret.reveal() == SECRET
    assert Secret(secret) == secret and Secret(SECRET.encode()) == secret
