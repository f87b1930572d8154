"""One tenant profile: which tenant, which app, how to sign in, which cloud.

:class:`Profile` holds secrets (client secret, certificate password, bearer token) in fields
left out of its ``repr``; they are filled from the environment by :meth:`Profile.with_secrets`.
:func:`parse_profile` validates one ``[profiles.NAME]`` table (see :mod:`b2c_tui.graph.config`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from .clouds import GLOBAL, Cloud, cloud_for_authority_host, get_cloud, is_known_authority_host
from .errors import ConfigError
from .guard import is_loopback
from .redact import MASK, register_secret

__all__ = ["AUTH_KINDS", "PROFILE_KEYS", "AuthKind", "Profile", "parse_profile"]

AuthKind = Literal["client_secret", "certificate", "device_code", "token"]
AUTH_KINDS: tuple[AuthKind, ...] = ("client_secret", "certificate", "device_code", "token")
DEFAULT_TOKEN_ENV = "B2C_TUI_TOKEN"

# Every key a [profiles.NAME] table may hold, with its TOML type.
PROFILE_KEYS: dict[str, type] = {
    "tenant": str,
    "client_id": str,
    "auth": str,
    "client_secret_env": str,
    "client_secret": str,
    "certificate_path": str,
    "certificate_password_env": str,
    "certificate_password": str,
    "token_env": str,
    "cloud": str,
    "authority_host": str,
    "graph_url": str,
    "scope": str,
    "read_only": bool,
    "production": bool,
    "allow_unencrypted_token_cache": bool,
    "ca_bundle": str,
    "description": str,
}
_SECRET_VARS = (
    ("client_secret_env", "client_secret"),
    ("certificate_password_env", "certificate_password"),
    ("token_env", "token"),
)


@dataclass(frozen=True)
class Profile:
    """A tenant to open and how to sign in to it.

    ``authority_host``, ``graph_url`` and ``scope`` default to the cloud's. ``client_secret``,
    ``certificate_password`` and ``token`` are secrets: excluded from ``repr`` and comparisons.
    """

    name: str
    tenant: str = ""
    client_id: str = ""
    auth: AuthKind = "client_secret"
    cloud: Cloud = GLOBAL
    authority_host: str = ""
    graph_url: str = ""
    scope: str = ""
    client_secret_env: str | None = None
    certificate_path: Path | None = None
    certificate_password_env: str | None = None
    token_env: str | None = None
    read_only: bool = False
    production: bool = False
    allow_unencrypted_token_cache: bool = False
    ca_bundle: Path | None = None
    description: str = ""
    source: str = ""
    literal_secret_keys: tuple[str, ...] = field(default=(), compare=False)
    client_secret: str | None = field(default=None, repr=False, compare=False)
    certificate_password: str | None = field(default=None, repr=False, compare=False)
    token: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.authority_host:
            object.__setattr__(self, "authority_host", self.cloud.login_url)
        if not self.graph_url:
            object.__setattr__(self, "graph_url", self.cloud.graph_url)
        if not self.scope:
            object.__setattr__(self, "scope", self.cloud.scope)

    def __repr__(self) -> str:
        keys = ("client_secret", "certificate_password", "token")
        secrets = [k for k in keys if getattr(self, k)]
        shown = ", ".join(f"{k}={MASK!r}" for k in secrets)
        return (
            f"Profile(name={self.name!r}, tenant={self.tenant!r}, client_id={self.client_id!r}, "
            f"auth={self.auth!r}, cloud={self.cloud.name!r}, authority_host="
            f"{self.authority_host!r}, graph_url={self.graph_url!r}, read_only={self.read_only!r}, "
            f"production={self.production!r}{', ' + shown if shown else ''})"
        )

    __str__ = __repr__

    @property
    def authority(self) -> str:
        """The msal authority URL, ``{authority_host}/{tenant}``."""
        return f"{self.authority_host}/{self.tenant}"

    @property
    def is_custom_authority(self) -> bool:
        """True for an authority no Microsoft cloud runs (tests, the demo tenant)."""
        return not is_known_authority_host(self.authority_host)

    def with_secrets(self, environ: Mapping[str, str]) -> Profile:
        """A copy with secrets read from the environment variables the profile names; checks
        that what the chosen ``auth`` needs is there (and that files exist)."""
        where = _where(self.name, self.source)
        values: dict[str, str] = {}
        for env_key, secret_key in _SECRET_VARS:
            var = getattr(self, env_key)
            if var is None or getattr(self, secret_key):
                continue
            value = environ.get(var)
            if not value:
                raise ConfigError(f"{where}.{env_key}: environment variable {var} is not set")
            values[secret_key] = value
        resolved = replace(
            self,
            client_secret=values.get("client_secret", self.client_secret),
            certificate_password=values.get("certificate_password", self.certificate_password),
            token=values.get("token", self.token),
        )
        resolved._check_complete(where)
        for secret in (resolved.client_secret, resolved.certificate_password, resolved.token):
            register_secret(secret)
        return resolved

    def _check_complete(self, where: str) -> None:
        if self.auth == "client_secret" and not self.client_secret:
            raise ConfigError(f"{where}: auth = 'client_secret' needs client_secret_env")
        if self.auth == "token" and not self.token:
            raise ConfigError(f"{where}: auth = 'token' needs a token (token_env)")
        if self.auth == "certificate":
            if self.certificate_path is None:
                raise ConfigError(f"{where}: auth = 'certificate' needs certificate_path")
            if not self.certificate_path.is_file():
                raise ConfigError(
                    f"{where}.certificate_path: {self.certificate_path} does not exist"
                )
        if self.ca_bundle is not None and not self.ca_bundle.is_file():
            raise ConfigError(f"{where}.ca_bundle: {self.ca_bundle} does not exist")


def _where(name: str, source: str) -> str:
    return f"{source}: profiles.{name}" if source else f"profiles.{name}"


_TENANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


def parse_profile(
    name: str,
    body: Mapping[str, object],
    *,
    source: str = "",
    base_dir: Path | None = None,
) -> Profile:
    """Validate one profile table and build its :class:`Profile` (secrets from literal keys
    only; call :meth:`Profile.with_secrets` to read the environment)."""
    where = _where(name, source)
    for key, value in body.items():
        expected = PROFILE_KEYS.get(key)
        if expected is None:
            import difflib

            close = difflib.get_close_matches(key, PROFILE_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        if not isinstance(value, expected):
            kind = "true or false" if expected is bool else "a string"
            raise ConfigError(f"{where}.{key} must be {kind}, got {type(value).__name__}")

    def text(key: str) -> str | None:
        value = body.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def flag(key: str) -> bool:
        return bool(body.get(key, False))

    def path(key: str) -> Path | None:
        value = text(key)
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() or base_dir is None else base_dir / p

    for env_key, secret_key in _SECRET_VARS:
        if text(env_key) and text(secret_key):
            raise ConfigError(f"{where}: set {env_key} or {secret_key}, not both")

    auth = text("auth") or _infer_auth(body)
    if auth not in AUTH_KINDS:
        raise ConfigError(f"{where}.auth must be one of {', '.join(AUTH_KINDS)}, got {auth!r}")
    tenant = text("tenant") or ""
    client_id = text("client_id") or ""
    if auth != "token":
        if not tenant:
            raise ConfigError(f"{where}.tenant is required (a domain or the tenant id)")
        if not client_id:
            raise ConfigError(f"{where}.client_id is required (the app registration's id)")
    if tenant and not _TENANT_RE.match(tenant):
        raise ConfigError(f"{where}.tenant {tenant!r} is not a domain name or tenant id")
    if auth == "certificate" and not text("certificate_path"):
        raise ConfigError(f"{where}: auth = 'certificate' needs certificate_path")

    authority_host = _url(text("authority_host"), f"{where}.authority_host", https_only=True)
    cloud = _cloud(text("cloud"), authority_host, where)
    graph_url = _url(text("graph_url"), f"{where}.graph_url", https_only=False)
    if graph_url and re.search(r"/(v1\.0|beta)$", graph_url):
        raise ConfigError(f"{where}.graph_url is the service root, without /v1.0 or /beta")

    literal = tuple(k for k in ("client_secret", "certificate_password") if text(k))
    return Profile(
        name=name,
        tenant=tenant,
        client_id=client_id,
        auth=auth,  # type: ignore[arg-type]  # checked against AUTH_KINDS above
        cloud=cloud,
        authority_host=authority_host or "",
        graph_url=graph_url or "",
        scope=text("scope") or "",
        client_secret_env=text("client_secret_env"),
        certificate_path=path("certificate_path"),
        certificate_password_env=text("certificate_password_env"),
        token_env=text("token_env") or (DEFAULT_TOKEN_ENV if auth == "token" else None),
        read_only=flag("read_only"),
        production=flag("production"),
        allow_unencrypted_token_cache=flag("allow_unencrypted_token_cache"),
        ca_bundle=path("ca_bundle"),
        description=text("description") or "",
        source=source,
        literal_secret_keys=literal,
        client_secret=text("client_secret"),
        certificate_password=text("certificate_password"),
    )


def _infer_auth(body: Mapping[str, object]) -> str:
    if body.get("client_secret_env") or body.get("client_secret"):
        return "client_secret"
    if body.get("certificate_path"):
        return "certificate"
    if body.get("token_env"):
        return "token"
    return "device_code"


def _url(value: str | None, where: str, *, https_only: bool) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        need = "an https:// URL" if https_only else "an http(s):// URL"
        raise ConfigError(f"{where} must be {need}, got {value!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"{where}: refusing the plain-http URL {value!r}: the token would cross the "
            "network unencrypted (http:// is allowed only for localhost, 127.0.0.1 or ::1)"
        )
    if https_only and parts.path.strip("/"):
        raise ConfigError(
            f"{where} is the host only (e.g. https://login.microsoftonline.com); "
            f"the tenant goes in 'tenant', got {value!r}"
        )
    return value.rstrip("/")


def _cloud(name: str | None, authority_host: str | None, where: str) -> Cloud:
    if name is None:
        found = cloud_for_authority_host(authority_host) if authority_host else None
        return found or GLOBAL
    try:
        cloud = get_cloud(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}.cloud: {exc}") from None
    if authority_host:
        host_cloud = cloud_for_authority_host(authority_host)
        if host_cloud is not None and host_cloud.login_host != cloud.login_host:
            raise ConfigError(
                f"{where}: authority_host {authority_host} belongs to the {host_cloud.name} "
                f"cloud, not {cloud.name}"
            )
    return cloud
