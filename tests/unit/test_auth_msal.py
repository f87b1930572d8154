"""msal sign-in end to end against the demo tenant's TokenAuthority over HTTPS on loopback.

uvicorn serves the authority in a background thread with a certificate from a throwaway CA
(trustme); msal reaches it through a requests.Session trusting only that CA, while
REQUESTS_CA_BUNDLE points at garbage to prove the machine's CA settings play no part.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msal
import pytest
import trustme
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from b2c_tui import paths
from b2c_tui.emulator.authority import DEMO_TENANT_DOMAIN, DEMO_TENANT_ID, TokenAuthority
from b2c_tui.emulator.authority.grants import DEVICE_CODE_GRANT
from b2c_tui.graph.auth import (
    DeviceCodePrompt,
    MsalTokenProvider,
    StaticTokenProvider,
    TokenProvider,
    build_token_provider,
)
from b2c_tui.graph.auth_cache import open_token_cache, token_cache_kind
from b2c_tui.graph.errors import AuthError, ConfigError
from b2c_tui.graph.profiles import Profile

GRAPH = "https://graph.microsoft.com"
SECRET = "s3cr3t-Value~never-shown"
CERT_PASSWORD = "pfx-Passw0rd-never-shown"


class _Swappable:
    """The served ASGI app: each test installs a fresh TokenAuthority."""

    def __init__(self) -> None:
        self.app: TokenAuthority = TokenAuthority()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, _Swappable]]:
    """(https base URL, CA bundle path, swappable app) for a TLS uvicorn on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    ca_path, cert_path, key_path = tmp / "ca.pem", tmp / "cert.pem", tmp / "key.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    leaf.cert_chain_pems[0].write_to_path(str(cert_path))
    leaf.private_key_pem.write_to_path(str(key_path))
    app = _Swappable()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        ssl_certfile=str(cert_path),
        ssl_keyfile=str(key_path),
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert srv.started, "uvicorn did not start"
    yield f"https://127.0.0.1:{port}", ca_path, app
    srv.should_exit = True
    srv.force_exit = True  # don't wait for msal's keep-alive connections
    thread.join(timeout=5)
    sock.close()


_made: list[TokenProvider] = []


def _build(profile: Profile, **kwargs: Any) -> TokenProvider:
    """build_token_provider, remembering the provider so its connections get closed."""
    provider = build_token_provider(profile, **kwargs)
    _made.append(provider)
    return provider


@pytest.fixture(autouse=True)
def close_providers() -> Iterator[None]:
    yield
    while _made:
        _made.pop().close()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def bogus_ca_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/garbage-ca.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/garbage-ca.pem")
    monkeypatch.delenv("B2C_TUI_ALLOW_UNENCRYPTED_CACHE", raising=False)


@pytest.fixture
def authority(server: tuple[str, Path, _Swappable]) -> TokenAuthority:
    authority = TokenAuthority(device_code_interval=1)
    authority.register_client("app-secret", secret=SECRET)
    authority.register_client("app-public")
    server[2].app = authority
    return authority


def _profile(server: tuple[str, Path, _Swappable], **kwargs: Any) -> Profile:
    base, ca_path, _ = server
    values: dict[str, Any] = {
        "name": "test",
        "tenant": DEMO_TENANT_DOMAIN,
        "client_id": "app-secret",
        "auth": "client_secret",
        "client_secret": SECRET,
        "authority_host": base,
        "ca_bundle": ca_path,
    }
    values.update(kwargs)
    return Profile(**values)


def _client_certificate(tmp: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "b2c-tui test app")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert, cert.public_bytes(serialization.Encoding.PEM).decode()


# -- client secret -----------------------------------------------------------------------------
async def test_client_secret_signs_in_and_keeps_token_in_memory(server, authority) -> None:
    provider = _build(_profile(server), cache=msal.TokenCache())
    token = await provider.token()
    claims = authority.verify(token, audience=GRAPH)
    assert claims is not None
    assert claims["appid"] == "app-secret" and claims["tid"] == DEMO_TENANT_ID
    assert claims["idtyp"] == "app"
    assert authority.token_requests == 1
    assert await provider.token() == token  # from memory: no new request
    assert authority.token_requests == 1
    refreshed = await provider.token(force_refresh=True)
    assert authority.token_requests == 2 and authority.verify(refreshed) is not None


async def test_tenant_guid_works_too_and_concurrent_calls_share_one_request(
    server, authority
) -> None:
    provider = _build(_profile(server, tenant=DEMO_TENANT_ID), cache=msal.TokenCache())
    tokens = await asyncio.gather(*(provider.token() for _ in range(5)))
    assert len(set(tokens)) == 1
    assert authority.token_requests == 1


async def test_wrong_secret_is_a_clear_auth_error_without_the_secret(server, authority) -> None:
    wrong = "Wr0ng-secret-value-xyz"
    provider = _build(_profile(server, client_secret=wrong), cache=msal.TokenCache())
    with pytest.raises(AuthError) as caught:
        await provider.token()
    err = caught.value
    assert err.code == "invalid_client"
    assert "AADSTS7000215" in str(err) and "Invalid client secret" in str(err)
    assert err.correlation_id
    for text in (str(err), repr(err), repr(provider), err.message):
        assert wrong not in text and SECRET not in text


async def test_unknown_client_and_unknown_tenant(server, authority) -> None:
    provider = _build(_profile(server, client_id="nobody"), cache=msal.TokenCache())
    with pytest.raises(AuthError) as caught:
        await provider.token()
    assert caught.value.code == "unauthorized_client" and "AADSTS700016" in str(caught.value)

    provider = _build(_profile(server, tenant="other.onmicrosoft.com"), cache=msal.TokenCache())
    with pytest.raises(AuthError) as caught:
        await provider.token()
    assert "other.onmicrosoft.com" in str(caught.value)


async def test_machine_ca_settings_are_not_used(server, authority) -> None:
    # Without our CA, msal's own session reads the bogus REQUESTS_CA_BUNDLE and fails cleanly.
    provider = _build(_profile(server, ca_bundle=None), cache=msal.TokenCache())
    with pytest.raises(AuthError) as caught:
        await provider.token()
    assert caught.value.code == "network_error"
    assert SECRET not in str(caught.value)


# -- client certificates -----------------------------------------------------------------------
async def test_client_certificate_pem_with_encrypted_key(server, authority, tmp_path) -> None:
    key, _cert, cert_pem = _client_certificate(tmp_path)
    authority.register_client("app-cert", certificate_pem=cert_pem)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(CERT_PASSWORD.encode()),
    ).decode()
    pem_path = tmp_path / "app.pem"
    pem_path.write_text(key_pem + cert_pem)
    profile = _profile(
        server,
        client_id="app-cert",
        auth="certificate",
        client_secret=None,
        certificate_path=pem_path,
        certificate_password=CERT_PASSWORD,
    )
    provider = _build(profile, cache=msal.TokenCache())
    claims = authority.verify(await provider.token(), audience=GRAPH)
    assert claims is not None and claims["appid"] == "app-cert"
    assert CERT_PASSWORD not in repr(provider) and CERT_PASSWORD not in repr(profile)


async def test_client_certificate_pfx(server, authority, tmp_path) -> None:
    key, cert, cert_pem = _client_certificate(tmp_path)
    authority.register_client("app-pfx", certificate_pem=cert_pem)
    pfx = pkcs12.serialize_key_and_certificates(
        b"app", key, cert, None, serialization.BestAvailableEncryption(CERT_PASSWORD.encode())
    )
    pfx_path = tmp_path / "app.pfx"
    pfx_path.write_bytes(pfx)
    profile = _profile(
        server,
        client_id="app-pfx",
        auth="certificate",
        client_secret=None,
        certificate_path=pfx_path,
        certificate_password=CERT_PASSWORD,
    )
    provider = _build(profile, cache=msal.TokenCache())
    claims = authority.verify(await provider.token())
    assert claims is not None and claims["appid"] == "app-pfx"

    with pytest.raises(ConfigError) as caught:  # wrong password: named file, no password
        _build(
            _profile(
                server,
                auth="certificate",
                certificate_path=pfx_path,
                certificate_password="nope-wrong",
            )
        )
    assert str(pfx_path) in str(caught.value) and "nope-wrong" not in str(caught.value)


async def test_unregistered_certificate_is_refused(server, authority, tmp_path) -> None:
    authority.register_client("app-other", certificate_pem=_client_certificate(tmp_path)[2])
    key, _cert, cert_pem = _client_certificate(tmp_path)  # a different key pair
    pem_path = tmp_path / "stranger.pem"
    pem_path.write_text(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
        + cert_pem
    )
    profile = _profile(
        server,
        client_id="app-other",
        auth="certificate",
        client_secret=None,
        certificate_path=pem_path,
    )
    with pytest.raises(AuthError) as caught:
        await _build(profile, cache=msal.TokenCache()).token()
    assert caught.value.code == "invalid_client" and "AADSTS700027" in str(caught.value)


# -- device code -------------------------------------------------------------------------------
async def test_device_code_approved_from_another_thread(server, authority) -> None:
    prompts: list[DeviceCodePrompt] = []

    def approve_after_first_poll(user_code: str) -> None:
        deadline = time.monotonic() + 5
        while authority.token_requests_by_grant[DEVICE_CODE_GRANT] < 1:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        authority.approve(user_code, username="ada@demo.onmicrosoft.com")

    def show(prompt: DeviceCodePrompt) -> None:
        prompts.append(prompt)
        assert [p.user_code for p in authority.pending_device_codes()] == [prompt.user_code]
        threading.Thread(target=approve_after_first_poll, args=(prompt.user_code,)).start()

    profile = _profile(server, client_id="app-public", auth="device_code", client_secret=None)
    provider = _build(
        profile, cache=msal.TokenCache(), device_code_callback=show, device_poll_interval=0.02
    )
    started = time.monotonic()
    token = await provider.token()
    assert time.monotonic() - started < 3
    (prompt,) = prompts
    assert prompt.user_code in prompt.message and prompt.verification_uri.endswith("/devicelogin")
    assert str(prompt) == prompt.message and prompt["user_code"] == prompt.get("user_code")
    assert dict(prompt)["verification_uri"] == prompt.verification_uri
    claims = authority.verify(token, audience=GRAPH)
    assert claims is not None and claims["upn"] == "ada@demo.onmicrosoft.com"
    assert claims["idtyp"] == "user"
    assert authority.token_requests_by_grant[DEVICE_CODE_GRANT] >= 2  # pending, then the token
    assert provider.username == "ada@demo.onmicrosoft.com"  # type: ignore[attr-defined]
    assert authority.pending_device_codes() == []


async def test_device_code_expired_and_declined(server, authority) -> None:
    now = [dt.datetime(2025, 1, 1, tzinfo=dt.UTC)]
    authority.clock = lambda: now[0]

    def let_it_expire(prompt: DeviceCodePrompt) -> None:
        now[0] += dt.timedelta(seconds=authority.device_code_lifetime + 1)

    profile = _profile(server, client_id="app-public", auth="device_code", client_secret=None)
    provider = _build(
        profile,
        cache=msal.TokenCache(),
        device_code_callback=let_it_expire,
        device_poll_interval=0.01,
    )
    with pytest.raises(AuthError) as caught:
        await provider.token()
    assert caught.value.code == "expired_token" and "AADSTS70020" in str(caught.value)

    async def decline(prompt: DeviceCodePrompt) -> None:  # async callbacks are awaited
        authority.deny(prompt.user_code)

    provider = _build(
        profile, cache=msal.TokenCache(), device_code_callback=decline, device_poll_interval=0.01
    )
    with pytest.raises(AuthError) as caught:
        await provider.token()
    assert caught.value.code == "authorization_declined"


# -- persistent cache --------------------------------------------------------------------------
async def test_persisted_cache_is_reused_by_the_next_run(server, authority, tmp_path) -> None:
    cache_dir = tmp_path / "cache"
    first = _build(
        _profile(server),
        cache=open_token_cache(cache_dir, allow_unencrypted=True, try_encrypted=False),
    )
    token = await first.token()
    assert authority.token_requests == 1
    files = list(cache_dir.glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert SECRET not in files[0].read_text()

    # A new run: new cache object and provider over the same file, zero token requests.
    cache = open_token_cache(cache_dir, allow_unencrypted=True, try_encrypted=False)
    assert token_cache_kind(cache) == "plaintext"
    second = _build(_profile(server), cache=cache)
    assert await second.token() == token
    assert authority.token_requests == 1


async def test_device_code_user_signed_in_silently_next_run(server, authority, tmp_path) -> None:
    def approve(prompt: DeviceCodePrompt) -> None:
        authority.approve(prompt.user_code)

    profile = _profile(server, client_id="app-public", auth="device_code", client_secret=None)
    cache_dir = tmp_path / "cache"
    first = _build(
        profile,
        cache=open_token_cache(cache_dir, allow_unencrypted=True, try_encrypted=False),
        device_code_callback=approve,
        device_poll_interval=0.01,
    )
    await first.token()
    requests_after_sign_in = authority.token_requests

    def fail(prompt: DeviceCodePrompt) -> None:
        raise AssertionError("no prompt expected on the second run")

    second = _build(
        profile,
        cache=open_token_cache(cache_dir, allow_unencrypted=True, try_encrypted=False),
        device_code_callback=fail,
    )
    assert authority.verify(await second.token()) is not None
    assert authority.token_requests == requests_after_sign_in
    # Past the access token's life, the refresh token signs in silently (no prompt either).
    await second.token(force_refresh=True)
    assert authority.token_requests_by_grant["refresh_token"] == 1


def test_unencrypted_cache_refused_without_opt_in(tmp_path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="b2c_tui.graph.auth_cache"):
        cache = open_token_cache(tmp_path / "c", try_encrypted=False)
    assert token_cache_kind(cache) == "memory"
    assert "B2C_TUI_ALLOW_UNENCRYPTED_CACHE" in caplog.text
    assert not (tmp_path / "c").exists()


def test_unencrypted_cache_opt_in_by_env_and_tightens_loose_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("B2C_TUI_ALLOW_UNENCRYPTED_CACHE", "1")
    directory = tmp_path / "c"
    directory.mkdir()
    loose = directory / "msal_token_cache.unencrypted.json"
    loose.write_text("{}")
    loose.chmod(0o644)
    cache = open_token_cache(directory, try_encrypted=False)
    assert token_cache_kind(cache) == "plaintext"
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


def test_encrypted_cache_preferred_and_fallback(tmp_path, monkeypatch) -> None:
    import msal_extensions

    class FakeKeyring(msal_extensions.FilePersistence):
        is_encrypted = True

    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", FakeKeyring)
    assert token_cache_kind(open_token_cache(tmp_path / "a")) == "encrypted"

    def no_keyring(location: str) -> None:
        raise RuntimeError("no libsecret on this box")

    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", no_keyring)
    assert token_cache_kind(open_token_cache(tmp_path / "b", allow_unencrypted=True)) == "plaintext"
    assert token_cache_kind(open_token_cache(tmp_path / "c")) == "memory"


async def test_profile_opt_in_reaches_the_default_cache(
    server, authority, tmp_path, monkeypatch
) -> None:
    import msal_extensions

    def no_keyring(location: str) -> None:
        raise RuntimeError("no libsecret on this box")

    monkeypatch.setattr(msal_extensions, "build_encrypted_persistence", no_keyring)
    monkeypatch.setenv("B2C_TUI_CACHE_DIR", str(tmp_path / "default"))
    # The application's default folder (b2c_tui.paths), handed to the client as connection does.
    provider = _build(_profile(server, allow_unencrypted_token_cache=True),
                      cache_dir=paths.cache_dir())
    assert "cache='plaintext'" in repr(provider)
    await provider.token()
    (cache_file,) = (tmp_path / "default").glob("*.json")
    assert stat.S_IMODE(cache_file.stat().st_mode) == 0o600
    provider = _build(_profile(server), cache_dir=paths.cache_dir())  # no opt-in: memory only
    assert "cache='memory'" in repr(provider)
    provider = _build(_profile(server, allow_unencrypted_token_cache=True))  # no folder given
    assert "cache='memory'" in repr(provider)


# -- reprs and the authority's own contract ---------------------------------------------------
def test_reprs_never_show_secrets(server) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"
    static = StaticTokenProvider(token)
    assert token not in repr(static) and token not in str(static)
    profile = _profile(server)
    provider = _build(profile, cache=msal.TokenCache())
    assert isinstance(provider, MsalTokenProvider)
    for text in (repr(profile), str(profile), repr(provider), str(provider)):
        assert SECRET not in text
    assert "client_secret='***'" in repr(profile)
    assert "flow='client_secret'" in repr(provider)


async def test_static_token_profile() -> None:
    profile = Profile(name="t", auth="token", token="abc.def.ghi")
    provider = _build(profile)
    assert await provider.token() == "abc.def.ghi"
    assert await provider.token(force_refresh=True) == "abc.def.ghi"


def test_authority_errors_and_verify() -> None:
    authority = TokenAuthority()
    status, _, body = authority.handle_request(
        "GET", "/nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration"
    )
    error = json.loads(body)
    assert status == 400 and error["error"] == "invalid_tenant"
    assert error["error_description"].startswith("AADSTS90002: ")
    assert {"error_codes", "timestamp", "trace_id", "correlation_id"} <= set(error)
    for tenant in (DEMO_TENANT_DOMAIN, DEMO_TENANT_ID, DEMO_TENANT_DOMAIN.upper()):
        status, _, body = authority.handle_request(
            "GET", f"/{tenant}/v2.0/.well-known/openid-configuration", base_url="https://x"
        )
        assert status == 200
        assert json.loads(body)["token_endpoint"] == f"https://x/{DEMO_TENANT_ID}/oauth2/v2.0/token"

    authority.register_client("c", secret="right-secret")
    status, _, body = authority.handle_request(
        "POST",
        f"/{DEMO_TENANT_DOMAIN}/oauth2/v2.0/token",
        body=b"grant_type=client_credentials&client_id=c&client_secret=right-secret"
        b"&scope=https%3A%2F%2Fgraph.microsoft.com%2FUser.Read",
    )
    assert status == 400 and json.loads(body)["error"] == "invalid_scope"
    assert authority.token_requests == 1

    token = authority.mint_token("c")
    assert authority.verify(token, audience=GRAPH + "/") is not None
    assert authority.verify(token, audience="https://other") is None
    head, payload, sig = token.split(".")
    assert authority.verify(f"{head}.{payload}x.{sig}") is None
    assert TokenAuthority().verify(token) is None  # another authority's key
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    authority.clock = lambda: later
    assert authority.verify(token) is None  # expired
