"""National clouds, tenant profiles (TOML and environment), and secret redaction."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from b2c_tui.connection import default_config_path, load_config
from b2c_tui.graph.clouds import (
    CHINA,
    GLOBAL,
    USGOV,
    USGOV_DOD,
    cloud_for_authority_host,
    find_cloud,
    get_cloud,
    is_known_authority_host,
)
from b2c_tui.graph.config import (
    Config,
    profile_from_env,
    resolve_profile,
)
from b2c_tui.graph.errors import ConfigError
from b2c_tui.graph.profiles import Profile, parse_profile
from b2c_tui.graph.redact import RedactingFilter, redact, register_secret

TENANT = "contosob2c.onmicrosoft.com"
CLIENT = "11111111-2222-3333-4444-555555555555"


# -- clouds ------------------------------------------------------------------------------------
def test_clouds_endpoints_and_scope() -> None:
    assert GLOBAL.scope == "https://graph.microsoft.com/.default"
    assert USGOV.graph_url == "https://graph.microsoft.us"
    assert USGOV.login_url == USGOV_DOD.login_url == "https://login.microsoftonline.us"
    assert USGOV_DOD.scope == "https://dod-graph.microsoft.us/.default"
    assert CHINA.graph_url == "https://microsoftgraph.chinacloudapi.cn"
    assert CHINA.login_url == "https://login.chinacloudapi.cn"
    assert GLOBAL.authority(TENANT) == f"https://login.microsoftonline.com/{TENANT}"


@pytest.mark.parametrize(
    ("name", "cloud"),
    [
        ("global", GLOBAL),
        ("AzurePublicCloud", GLOBAL),
        ("AzureUSGovernment", USGOV),
        ("gcchigh", USGOV),
        ("GCC-High", USGOV),
        ("dod", USGOV_DOD),
        ("usgovdod", USGOV_DOD),
        ("AzureChinaCloud", CHINA),
        ("china", CHINA),
    ],
)
def test_cloud_names_and_aliases(name: str, cloud: object) -> None:
    assert get_cloud(name) is cloud


def test_unknown_cloud_names_the_choices() -> None:
    assert find_cloud("mars") is None
    with pytest.raises(ConfigError, match="global, usgov, usgovdod, china"):
        get_cloud("mars")


@pytest.mark.parametrize(
    ("url", "cloud"),
    [
        ("https://login.microsoftonline.com", GLOBAL),
        ("https://login.microsoftonline.com/", GLOBAL),
        ("login.microsoftonline.com", GLOBAL),
        ("https://login.microsoftonline.us", USGOV),
        ("https://login.chinacloudapi.cn/", CHINA),
        ("https://127.0.0.1:8443", None),
    ],
)
def test_cloud_for_authority_host(url: str, cloud: object) -> None:
    assert cloud_for_authority_host(url) is cloud
    assert is_known_authority_host(url) is (cloud is not None)


# -- config file -------------------------------------------------------------------------------
GOOD = f"""
default_profile = "dev"

[profiles.dev]
tenant = "{TENANT}"
client_id = "{CLIENT}"
auth = "client_secret"
client_secret_env = "DEV_SECRET"

[profiles.gov]
tenant = "00000000-0000-0000-0000-0000000000aa"
client_id = "{CLIENT}"
certificate_path = "certs/app.pem"
cloud = "AzureUSGovernment"
production = true
read_only = true

[profiles.emu]
tenant = "demo.onmicrosoft.com"
client_id = "demo-app"
auth = "device_code"
authority_host = "https://127.0.0.1:8443/"
graph_url = "http://127.0.0.1:8080/"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_load_config(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, GOOD))
    assert config.default_profile == "dev"
    dev, gov, emu = config.get("dev"), config.get("gov"), config.get("emu")
    assert dev.auth == "client_secret" and dev.cloud is GLOBAL
    assert dev.authority == f"https://login.microsoftonline.com/{TENANT}"
    assert dev.scope == "https://graph.microsoft.com/.default" and dev.client_secret is None
    assert gov.auth == "certificate" and gov.cloud is USGOV
    assert gov.graph_url == "https://graph.microsoft.us" and gov.production and gov.read_only
    assert gov.certificate_path == tmp_path / "certs" / "app.pem"  # relative to the file
    assert emu.authority_host == "https://127.0.0.1:8443" and emu.is_custom_authority
    assert emu.graph_url == "http://127.0.0.1:8080"
    assert emu.scope == "https://graph.microsoft.com/.default"  # the audience stays Graph's


def test_default_config_path(tmp_path: Path) -> None:
    # The default location is the application's (b2c_tui.paths), no longer the client's.
    assert default_config_path({"B2C_TUI_CONFIG_DIR": str(tmp_path)}) == tmp_path / "config.toml"
    assert default_config_path({"B2C_TUI_CONFIG": "/x/y.toml"}) == Path("/x/y.toml")
    env = {"B2C_TUI_CONFIG_DIR": str(tmp_path)}
    assert load_config(environ=env).profiles == {}  # no file at the default path: no profiles
    (tmp_path / "config.toml").write_text(GOOD)
    assert set(load_config(environ=env).profiles) == {"dev", "gov", "emu"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[profiles.dev\ntenant = 1", "invalid TOML"),
        ("colour = 'red'", "unknown key 'colour' at top level"),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\nclientsecret_env = 'S'",
            "profiles.dev: unknown key 'clientsecret_env' (did you mean 'client_secret_env'?)",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\nread_only = 'yes'",
            "profiles.dev.read_only must be true or false",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\nauth = 'password'",
            "profiles.dev.auth must be one of client_secret, certificate, device_code, token",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\ncloud = 'mars'",
            "profiles.dev.cloud: Unknown cloud 'mars'",
        ),
        ("[profiles.dev]\nclient_id = 'x'", "profiles.dev.tenant is required"),
        (f"[profiles.dev]\ntenant = '{TENANT}'", "profiles.dev.client_id is required"),
        (
            "default_profile = 'prod'\n[profiles.dev]\nauth = 'token'",
            "default_profile 'prod' is not defined; known profiles: dev",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\n"
            "authority_host = 'http://login.microsoftonline.com'",
            "profiles.dev.authority_host must be an https:// URL",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\n"
            f"authority_host = 'https://login.microsoftonline.com/{TENANT}'",
            "the tenant goes in 'tenant'",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\n"
            "graph_url = 'https://graph.microsoft.com/v1.0'",
            "graph_url is the service root",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\n"
            "client_secret = 'a'\nclient_secret_env = 'B'",
            "set client_secret_env or client_secret, not both",
        ),
        (
            f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\ncloud = 'china'\n"
            "authority_host = 'https://login.microsoftonline.com'",
            "belongs to the global cloud, not china",
        ),
        ("profiles = 3", "'profiles' must be a table"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(environ={"B2C_TUI_CONFIG": str(tmp_path / "nope.toml")})


def test_literal_secret_is_warned_about_and_never_shown(tmp_path: Path, caplog) -> None:
    secret = "Literal-Secret-In-File-123"
    text = f"[profiles.dev]\ntenant = '{TENANT}'\nclient_id = 'x'\nclient_secret = '{secret}'"
    path = _write(tmp_path, text)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        profile = resolve_profile(config=load_config(path), environ={})
    assert profile is not None and profile.client_secret == secret
    assert "plain text" in caplog.text and "chmod 600" in caplog.text
    assert secret not in caplog.text
    assert secret not in repr(profile) and secret not in str(profile)
    assert secret not in repr(load_config(path))


def test_secrets_come_from_the_environment_when_resolved(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, GOOD))
    with pytest.raises(ConfigError) as caught:
        resolve_profile(config=config, environ={})
    assert "client_secret_env: environment variable DEV_SECRET is not set" in str(caught.value)
    assert str(tmp_path / "config.toml") in str(caught.value)
    profile = resolve_profile(config=config, environ={"DEV_SECRET": "from-env-secret-1"})
    assert profile is not None and profile.client_secret == "from-env-secret-1"
    assert "from-env-secret-1" not in repr(profile)
    assert config.get("dev").client_secret is None  # the parsed config is unchanged
    # The certificate file is checked only when that profile is opened.
    with pytest.raises(ConfigError, match=r"certificate_path: .* does not exist"):
        resolve_profile("gov", config, environ={})


def test_resolve_order(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, GOOD))
    env = {"DEV_SECRET": "dev-secret-value"}
    assert resolve_profile(None, config, env).name == "dev"  # type: ignore[union-attr]
    assert resolve_profile("emu", config, env).name == "emu"  # type: ignore[union-attr]
    assert resolve_profile(None, config, {**env, "B2C_TUI_PROFILE": "emu"}).name == "emu"  # type: ignore[union-attr]
    token = resolve_profile(None, config, {**env, "B2C_TUI_TOKEN": "tok-value-1"})
    assert token is not None and token.auth == "token" and token.token == "tok-value-1"
    with pytest.raises(ConfigError, match=r"'prod'.*known profiles: dev, emu, gov"):
        resolve_profile("prod", config, env)
    # Nothing configured anywhere: None, so the caller opens the demo tenant.
    assert resolve_profile(None, Config(), {}) is None
    # The environment's profile when the file names no default.
    azure = {"AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_ID": CLIENT, "AZURE_CLIENT_SECRET": "x" * 8}
    assert resolve_profile(None, Config(), azure).name == "env"  # type: ignore[union-attr]
    assert resolve_profile("env", config, azure).name == "env"  # type: ignore[union-attr]


# -- environment -------------------------------------------------------------------------------
def test_profile_from_env_client_secret_and_cloud() -> None:
    env = {
        "AZURE_TENANT_ID": TENANT,
        "AZURE_CLIENT_ID": CLIENT,
        "AZURE_CLIENT_SECRET": "env-secret-value",
        "AZURE_AUTHORITY_HOST": "https://login.microsoftonline.us",
    }
    profile = profile_from_env(env)
    assert profile is not None
    assert (profile.tenant, profile.client_id, profile.auth) == (TENANT, CLIENT, "client_secret")
    assert profile.client_secret == "env-secret-value" and profile.cloud is USGOV
    assert profile.graph_url == "https://graph.microsoft.us"
    assert profile.authority == f"https://login.microsoftonline.us/{TENANT}"
    assert "env-secret-value" not in repr(profile)
    dod = profile_from_env({**env, "B2C_TUI_CLOUD": "dod"})
    assert dod is not None and dod.graph_url == "https://dod-graph.microsoft.us"
    china = profile_from_env({**env, "AZURE_AUTHORITY_HOST": "login.chinacloudapi.cn"})
    assert china is not None and china.cloud is CHINA


def test_profile_from_env_certificate(tmp_path: Path) -> None:
    cert = tmp_path / "app.pfx"
    cert.write_bytes(b"x")
    env = {
        "AZURE_TENANT_ID": TENANT,
        "AZURE_CLIENT_ID": CLIENT,
        "AZURE_CLIENT_CERTIFICATE_PATH": str(cert),
        "AZURE_CLIENT_CERTIFICATE_PASSWORD": "cert-password-1",
    }
    profile = profile_from_env(env)
    assert profile is not None and profile.auth == "certificate"
    assert profile.certificate_path == cert and profile.certificate_password == "cert-password-1"
    assert "cert-password-1" not in repr(profile)


def test_profile_from_env_incomplete_or_absent() -> None:
    assert profile_from_env({}) is None
    assert profile_from_env({"AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_ID": CLIENT}) is None
    with pytest.raises(ConfigError, match="AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID"):
        profile_from_env({"AZURE_CLIENT_ID": CLIENT, "AZURE_CLIENT_SECRET": "x" * 8})
    azure = {"AZURE_TENANT_ID": TENANT, "AZURE_CLIENT_ID": CLIENT, "AZURE_CLIENT_SECRET": "x" * 8}
    with pytest.raises(ConfigError, match="AZURE_AUTHORITY_HOST must be an https:// URL"):
        profile_from_env({**azure, "AZURE_AUTHORITY_HOST": "http://login.example"})
    with pytest.raises(ConfigError, match="B2C_TUI_CLOUD: Unknown cloud 'mars'"):
        profile_from_env({**azure, "B2C_TUI_CLOUD": "mars"})


def test_token_profile_without_tenant() -> None:
    profile = profile_from_env({"B2C_TUI_TOKEN": "bearer-token-value"})
    assert profile is not None and profile.auth == "token" and profile.tenant == ""
    assert "bearer-token-value" not in repr(profile)
    file_profile = parse_profile("t", {"auth": "token", "token_env": "MY_TOKEN"})
    assert file_profile.with_secrets({"MY_TOKEN": "tok-from-file-env"}).token == "tok-from-file-env"


def test_profile_defaults_follow_the_cloud() -> None:
    profile = Profile(name="p", tenant=TENANT, client_id=CLIENT, cloud=CHINA)
    assert profile.authority_host == "https://login.chinacloudapi.cn"
    assert profile.scope == "https://microsoftgraph.chinacloudapi.cn/.default"
    assert not profile.is_custom_authority


# -- redaction ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Authorization: Bearer abc.DEF-123_x", "abc.DEF-123_x"),
        ("POST /token client_id=a&client_secret=Sup3r~Secret&scope=x", "Sup3r~Secret"),
        ('{"client_secret": "json-secret", "a": 1}', "json-secret"),
        ("Profile(password='pw-value-9')", "pw-value-9"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl seen", "eyJhbGciOiJIUzI1NiJ9"),
        ("refresh_token=0.AAAArefresh&x=1", "0.AAAArefresh"),
        ("https://blob/x?sv=1&sig=abcdEFG%3D", "abcdEFG"),
    ],
)
def test_redact_masks_secrets(text: str, hidden: str) -> None:
    masked = redact(text)
    assert hidden not in masked and "***" in masked


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "GET /v1.0/users?$top=5&$skiptoken=X1 -> 200 code=Request_ResourceNotFound"
    assert redact(text) == text


def test_registered_secrets_and_logging_filter(caplog) -> None:
    register_secret("a-registered-secret-42")
    logger = logging.getLogger("b2c_tui.test.redact")
    handler_filter = RedactingFilter()
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="b2c_tui.test.redact"):
            logger.info("sending %s with Bearer %s", "a-registered-secret-42", "tok123456")
    finally:
        logger.removeFilter(handler_filter)
    assert "a-registered-secret-42" not in caplog.text and "tok123456" not in caplog.text
    assert "sending *** with Bearer ***" in caplog.text
