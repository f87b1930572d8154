"""Named tenant profiles: a TOML file, azure-identity's environment variables, or a bare token.

Where the file lives is the application's business (:func:`b2c_tui.connection.load_config`
finds it through :mod:`b2c_tui.paths`); this module parses the file it is given::

    default_profile = "dev"

    [profiles.dev]
    tenant = "contosob2c.onmicrosoft.com"   # or the tenant id (GUID)
    client_id = "00000000-0000-0000-0000-000000000000"
    auth = "client_secret"                  # client_secret | certificate | device_code | token
    client_secret_env = "DEV_SECRET"        # the secret's environment variable, not the secret
    cloud = "global"                        # global | usgov | usgovdod | china (or an alias)
    production = true                       # flags the tenant as production in the UI

Secrets are read from the environment when a profile is resolved (:func:`resolve_profile`), so a
profile whose variable is unset only fails if it is the one being opened. A literal
``client_secret`` in the file works but is warned about.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .profiles import PROFILE_KEYS, Profile, parse_profile

__all__ = [
    "PROFILE_KEYS",
    "TOKEN_ENV",
    "Config",
    "Profile",
    "load_config",
    "profile_from_env",
    "resolve_profile",
]

log = logging.getLogger(__name__)

PROFILE_ENV = "B2C_TUI_PROFILE"
TOKEN_ENV = "B2C_TUI_TOKEN"
ENV_PROFILE_NAME = "env"
_TOP_KEYS = ("default_profile", "profiles")
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass
class Config:
    """The parsed configuration file: its path (``None`` when no file exists), the default
    profile's name and the profiles by name (secrets not yet read from the environment)."""

    path: Path | None = None
    default_profile: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)

    def get(self, name: str) -> Profile:
        """The profile called ``name``; :class:`ConfigError` listing the known names if absent."""
        try:
            return self.profiles[name]
        except KeyError:
            where = str(self.path) if self.path else "the configuration (no file found)"
            known = ", ".join(sorted(self.profiles)) or "none"
            raise ConfigError(
                f"No profile named {name!r} in {where}; known profiles: {known}"
            ) from None


def load_config(path: str | os.PathLike[str], *, must_exist: bool = True) -> Config:
    """Parse the configuration file at ``path``.

    A missing file is a :class:`ConfigError` when ``must_exist`` (a file the user named), and
    simply "no profiles" otherwise (the default location, never created). Every problem
    raises :class:`ConfigError` naming the file and the offending key.
    """
    file = Path(path).expanduser()
    if not file.exists():
        if must_exist:
            raise ConfigError(f"Configuration file {file} does not exist")
        return Config()
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None
    return _parse_config(data, file)


def _parse_config(data: dict[str, object], file: Path) -> Config:
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"{file}: unknown key {key!r} at top level (expected: {', '.join(_TOP_KEYS)}; "
                f"profiles go in [profiles.NAME] tables)"
            )
    raw_profiles = data.get("profiles", {})
    if not isinstance(raw_profiles, dict):
        raise ConfigError(f"{file}: 'profiles' must be a table of [profiles.NAME] tables")
    profiles: dict[str, Profile] = {}
    for name, body in raw_profiles.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{file}: profiles.{name} must be a table ([profiles.{name}])")
        profiles[name] = parse_profile(name, body, source=str(file), base_dir=file.parent)
    default = data.get("default_profile")
    if default is not None:
        if not isinstance(default, str):
            raise ConfigError(f"{file}: default_profile must be a string (a profile name)")
        if default not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(
                f"{file}: default_profile {default!r} is not defined; known profiles: {known}"
            )
    _warn_if_exposed(file, profiles)
    return Config(path=file, default_profile=default, profiles=profiles)


def _warn_if_exposed(file: Path, profiles: Mapping[str, Profile]) -> None:
    literal = [p.name for p in profiles.values() if p.literal_secret_keys]
    if not literal:
        return
    log.warning(
        "%s stores a secret in plain text for profile(s) %s; prefer client_secret_env / "
        "certificate_password_env",
        file,
        ", ".join(literal),
    )
    try:
        if os.name == "posix" and file.stat().st_mode & 0o077:
            log.warning("%s holds secrets but is readable by others; run: chmod 600 %s", file, file)
    except OSError:
        pass


def profile_from_env(environ: Mapping[str, str] | None = None) -> Profile | None:
    """A profile from the environment, or ``None`` if it describes none.

    ``B2C_TUI_TOKEN`` gives a bearer-token profile. Otherwise azure-identity's names are read:
    ``AZURE_TENANT_ID``, ``AZURE_CLIENT_ID`` and ``AZURE_CLIENT_SECRET`` or
    ``AZURE_CLIENT_CERTIFICATE_PATH`` (+ ``AZURE_CLIENT_CERTIFICATE_PASSWORD``), with
    ``AZURE_AUTHORITY_HOST`` choosing the cloud. ``B2C_TUI_CLOUD`` and ``B2C_TUI_GRAPH_URL`` pick
    the cloud or Graph endpoint explicitly. Secrets are filled in already.
    """
    env = os.environ if environ is None else environ
    common: dict[str, object] = {}
    if env.get("B2C_TUI_CLOUD"):
        common["cloud"] = env["B2C_TUI_CLOUD"]
    if env.get("AZURE_AUTHORITY_HOST"):
        host = env["AZURE_AUTHORITY_HOST"].strip().rstrip("/")
        if "://" not in host:
            host = "https://" + host
        common["authority_host"] = host
    if env.get("B2C_TUI_GRAPH_URL"):
        common["graph_url"] = env["B2C_TUI_GRAPH_URL"]
    if env.get("B2C_TUI_CA_BUNDLE"):
        common["ca_bundle"] = env["B2C_TUI_CA_BUNDLE"]
    for flag, key in (("B2C_TUI_READ_ONLY", "read_only"), ("B2C_TUI_PRODUCTION", "production")):
        if env.get(flag, "").strip().lower() in _TRUE:
            common[key] = True

    if env.get(TOKEN_ENV):
        body = {**common, "auth": "token", "token_env": TOKEN_ENV}
        if env.get("AZURE_TENANT_ID"):
            body["tenant"] = env["AZURE_TENANT_ID"]
        return _env_profile(body, env)

    secret = env.get("AZURE_CLIENT_SECRET")
    cert = env.get("AZURE_CLIENT_CERTIFICATE_PATH")
    if not (secret or cert):
        return None
    missing = [name for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID") if not env.get(name)]
    if missing:
        given = "AZURE_CLIENT_SECRET" if secret else "AZURE_CLIENT_CERTIFICATE_PATH"
        raise ConfigError(f"{given} is set but {' and '.join(missing)} is not")
    body = {**common, "tenant": env["AZURE_TENANT_ID"], "client_id": env["AZURE_CLIENT_ID"]}
    if secret:  # azure-identity's EnvironmentCredential prefers the secret too
        body.update(auth="client_secret", client_secret_env="AZURE_CLIENT_SECRET")
    else:
        body.update(auth="certificate", certificate_path=cert)
        if env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD"):
            body["certificate_password_env"] = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
    return _env_profile(body, env)


_ENV_NAMES = {
    "tenant": "AZURE_TENANT_ID",
    "client_id": "AZURE_CLIENT_ID",
    "authority_host": "AZURE_AUTHORITY_HOST",
    "certificate_path": "AZURE_CLIENT_CERTIFICATE_PATH",
    "cloud": "B2C_TUI_CLOUD",
    "graph_url": "B2C_TUI_GRAPH_URL",
    "ca_bundle": "B2C_TUI_CA_BUNDLE",
}


def _env_profile(body: dict[str, object], env: Mapping[str, str]) -> Profile:
    try:
        return parse_profile(ENV_PROFILE_NAME, body, source="environment").with_secrets(env)
    except ConfigError as exc:
        # Name the variables, not the profile keys they became.
        text = str(exc)
        for key, var in _ENV_NAMES.items():
            text = text.replace(f"profiles.{ENV_PROFILE_NAME}.{key}", var)
        raise ConfigError(text) from None


def resolve_profile(
    name: str | None = None,
    config: Config | None = None,
    environ: Mapping[str, str] | None = None,
) -> Profile | None:
    """The profile to open, with its secrets read from the environment.

    ``config`` is the parsed file (``None``: no file). Order: ``name`` (a configured profile,
    or ``"env"`` for the environment's), then ``$B2C_TUI_PROFILE``, then ``$B2C_TUI_TOKEN``,
    then the file's ``default_profile``, then the azure-identity environment variables, then
    the file's only profile. ``None`` means nothing is configured: the caller opens the demo
    tenant.
    """
    env = os.environ if environ is None else environ
    if config is None:
        config = Config()
    name = name or env.get(PROFILE_ENV) or None
    if name is not None:
        if name not in config.profiles and name == ENV_PROFILE_NAME:
            from_env = profile_from_env(env)
            if from_env is None:
                raise ConfigError(
                    "Profile 'env' asked for, but neither B2C_TUI_TOKEN nor "
                    "AZURE_TENANT_ID/AZURE_CLIENT_ID with a secret or certificate is set"
                )
            return from_env
        return config.get(name).with_secrets(env)
    if env.get(TOKEN_ENV):
        return profile_from_env(env)
    if config.default_profile:
        return config.get(config.default_profile).with_secrets(env)
    from_env = profile_from_env(env)
    if from_env is not None:
        return from_env
    if len(config.profiles) == 1:
        return next(iter(config.profiles.values())).with_secrets(env)
    if config.profiles:
        raise ConfigError(
            f"{config.path}: several profiles and no default_profile; pick one of "
            f"{', '.join(sorted(config.profiles))} (or set default_profile)"
        )
    return None
