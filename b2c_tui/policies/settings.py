"""Per-profile policy settings, placeholder substitution and id prefixes (as IEFPolicies and the
VS Code B2C extension do them).

The settings file
-----------------
``<config dir>/policy-settings/<profile>.toml`` (``demo.toml`` for the demo tenant; the config
dir is ``~/.config/b2c-tui`` on Linux, see :mod:`b2c_tui.paths`), or any file given with
``--settings``. TOML (or JSON with the same shape: one object of strings)::

    # ~/.config/b2c-tui/policy-settings/contoso.toml
    Tenant = "contosob2c.onmicrosoft.com"   # default: the tenant's initial domain
    IdentityExperienceFrameworkAppId = "00000000-0000-0000-0000-000000000001"
    ProxyIdentityExperienceFrameworkAppId = "00000000-0000-0000-0000-000000000002"
    Prefix = "Dev_"                          # default --prefix (optional)
    FacebookAppId = "1234567890"             # anything else your policies use

What is replaced, before anything is linted, diffed or uploaded
---------------------------------------------------------------
- ``{Settings:Name}`` (VS Code extension style, names match case-insensitively) and ``{Name}``
  (IEFPolicies style, exact case) for every ``Name`` in the file or among the built-in values.
  Other ``{...}`` are left alone: B2C's own resolvers look the same (``{Context:CorrelationId}``,
  ``{OIDC:ClientId}``, and the starter pack's ``{tenant}`` in an OpenID metadata URL, which B2C
  fills in itself), as do format strings (``{0}``).
- The starter pack's own placeholders: ``yourtenant.onmicrosoft.com`` becomes ``Tenant``, and
  the words ``ProxyIdentityExperienceFrameworkAppId`` and ``IdentityExperienceFrameworkAppId``
  become those app ids.

Built-in values (a setting of the same name wins): ``Tenant`` (the tenant's
``*.onmicrosoft.com`` name), ``TenantId`` (its GUID), and, when the tenant's app registrations
are readable, ``IdentityExperienceFrameworkAppId``, ``ProxyIdentityExperienceFrameworkAppId``,
``ExtAppId`` and ``ExtObjectId`` (the ``b2c-extensions-app``). Values are XML-escaped as they
are inserted, and may not span lines (so line numbers stay those of the file).

A prefix (``--prefix Dev_``) turns ``B2C_1A_X`` into ``B2C_1A_Dev_X`` for every policy of the
folder: its ``PolicyId``, the ``<BasePolicy><PolicyId>`` that names another policy of the
folder, and the id at the end of ``PublicPolicyUri``. A base that is not in the folder (one
already in the tenant) is left as it is. This lets several copies of one set live side by side.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .. import paths
from ..graph.errors import B2CTuiError
from ..graph.validation import POLICY_PREFIX
from .model import Location, Policy

SETTINGS_FOLDER = "policy-settings"
DEMO_PROFILE = "demo"
STARTER_TENANT = "yourtenant.onmicrosoft.com"
#: names IEFPolicies fills in by itself (b2c-tui too, from the tenant)
BUILT_IN_NAMES = ("Tenant", "TenantId", "IdentityExperienceFrameworkAppId",
                  "ProxyIdentityExperienceFrameworkAppId", "ExtAppId", "ExtObjectId")
PREFIX_SETTING = "Prefix"
_SETTINGS_REF = re.compile(r"\{Settings:([A-Za-z0-9_.-]+)\}", re.IGNORECASE)
_BARE_REF = re.compile(r"\{([A-Za-z][A-Za-z0-9_.-]*)\}")
_STARTER_APP_IDS = re.compile(r"(?<![\w{:])(Proxy)?IdentityExperienceFrameworkAppId(?![\w}])")
_STARTER_TENANT = re.compile(re.escape(STARTER_TENANT), re.IGNORECASE)
_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class SettingsError(B2CTuiError, ValueError):
    """A settings file or prefix that cannot be used (the message names the file)."""


@dataclass(frozen=True)
class PolicySettings:
    """Values for placeholders (see the module docs); ``path`` is where they were read from."""

    values: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None

    def lookup(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.values.items() if k.lower() == wanted), None)

    @property
    def prefix(self) -> str | None:
        return self.lookup(PREFIX_SETTING) or None

    def with_defaults(self, defaults: Mapping[str, str | None]) -> PolicySettings:
        """These settings over ``defaults`` (the tenant's built-in values); a setting that
        differs from a default only in case replaces it under the default's spelling, so
        ``{Tenant}`` still finds ``tenant = "..."``."""
        merged = {k: v for k, v in defaults.items() if v}
        for key, value in self.values.items():
            same = next((k for k in merged if k.lower() == key.lower()), key)
            merged[same] = value
        return PolicySettings(merged, self.path)


def settings_path(profile: str | None) -> Path:
    """Where the settings of ``profile`` live (``demo`` when no profile is configured)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", profile or DEMO_PROFILE)
    return paths.config_dir() / SETTINGS_FOLDER / f"{name}.toml"


def load_settings(path: str | Path | None = None, *, profile: str | None = None,
                  required: bool = False) -> PolicySettings:
    """Read a settings file (TOML, or JSON when it ends in ``.json``). Without ``path`` the
    profile's file is read if it exists; ``required`` makes a missing file an error."""
    file = Path(path) if path is not None else settings_path(profile)
    if not file.exists():
        if required or path is not None:
            raise SettingsError(f"{file}: no such settings file.")
        return PolicySettings({}, None)
    try:
        raw = file.read_bytes()
        data = json.loads(raw) if file.suffix.lower() == ".json" else tomllib.loads(
            raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SettingsError(f"{file}: cannot read the settings ({exc}).") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{file}: the settings must be a table of names and values.")
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise SettingsError(f"{file}: {key} must be text or a number, not "
                                f"{type(value).__name__}.")
        text = str(value)
        if "\n" in text or "\r" in text:
            raise SettingsError(f"{file}: {key} spans several lines; values must fit on one.")
        values[str(key)] = text
    return PolicySettings(values, file)


def substitute(text: str, settings: PolicySettings) -> str:
    """``text`` with the placeholders ``settings`` knows replaced (see the module docs)."""

    def settings_ref(match: re.Match[str]) -> str:
        value = settings.lookup(match.group(1))
        return match.group(0) if value is None else escape(value, {'"': "&quot;"})

    def bare_ref(match: re.Match[str]) -> str:
        value = settings.values.get(match.group(1))
        return match.group(0) if value is None else escape(value, {'"': "&quot;"})

    def app_id(match: re.Match[str]) -> str:
        value = settings.lookup(match.group(0))
        return match.group(0) if value is None else escape(value, {'"': "&quot;"})

    text = _SETTINGS_REF.sub(settings_ref, text)
    text = _BARE_REF.sub(bare_ref, text)
    tenant = settings.lookup("Tenant")
    if tenant:
        text = _STARTER_TENANT.sub(escape(tenant, {'"': "&quot;"}), text)
    return _STARTER_APP_IDS.sub(app_id, text)


@dataclass(frozen=True)
class Placeholder:
    """A placeholder left in a document."""

    text: str
    line: int
    column: int


def find_placeholders(text: str, setting_names: Iterable[str] = ()) -> list[Placeholder]:
    """Placeholders still in ``text``: ``{Settings:...}``, ``{Name}`` for the built-in and
    given names, and the starter pack's tenant and app id placeholders (1-based positions)."""
    names = {*BUILT_IN_NAMES, *setting_names}
    spans: list[tuple[int, str]] = [(m.start(), m.group(0)) for m in _SETTINGS_REF.finditer(text)]
    spans += [(m.start(), m.group(0)) for m in _BARE_REF.finditer(text)
              if m.group(1) in names]
    spans += [(m.start(), m.group(0)) for m in _STARTER_TENANT.finditer(text)]
    spans += [(m.start(), m.group(0)) for m in _STARTER_APP_IDS.finditer(text)]
    out = []
    for start, found in sorted(spans):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        out.append(Placeholder(found, line, column))
    return out


def validate_prefix(prefix: str) -> str:
    """A prefix for parallel policy sets: letters, digits, ``_ . -`` (``Dev_``)."""
    text = prefix.strip()
    if text.upper().startswith(POLICY_PREFIX):
        text = text[len(POLICY_PREFIX):]
    if not _PREFIX.fullmatch(text):
        raise SettingsError(
            f"{prefix!r} is not a usable prefix: use letters, digits, '_', '.' or '-' "
            "(for example Dev_).")
    return text


def prefixed_id(policy_id: str, prefix: str) -> str:
    """``B2C_1A_X`` -> ``B2C_1A_<prefix>X`` (an id without ``B2C_1A_`` just gets the prefix
    after where ``B2C_1A_`` would be)."""
    if policy_id.upper().startswith(POLICY_PREFIX):
        return policy_id[: len(POLICY_PREFIX)] + prefix + policy_id[len(POLICY_PREFIX):]
    return POLICY_PREFIX + prefix + policy_id


def apply_prefix(policy: Policy, prefix: str, set_ids: Iterable[str]) -> str:
    """The policy's text with its ids prefixed (see the module docs); ``set_ids`` are the ids
    of the policies uploaded together (only bases among them are renamed)."""
    members = {i.lower() for i in set_ids}
    edits: list[tuple[Location, str]] = []
    where = policy.header_locations
    if "PolicyId" in where:
        edits.append((where["PolicyId"], prefixed_id(policy.policy_id, prefix)))
    base = policy.base_policy_id
    if base and base.lower() in members and "BasePolicy.PolicyId" in where:
        edits.append((where["BasePolicy.PolicyId"], prefixed_id(base, prefix)))
    uri = policy.public_policy_uri
    if uri and "PublicPolicyUri" in where:
        head, _, last = uri.rstrip().rpartition("/")
        if head and last.lower() == policy.policy_id.lower():
            edits.append((where["PublicPolicyUri"],
                          f"{head}/{prefixed_id(policy.policy_id, prefix)}"))
    return _replace_spans(policy.text, edits)


def _replace_spans(text: str, edits: list[tuple[Location, str]]) -> str:
    if not edits:
        return text
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    pieces: list[tuple[int, int, str]] = []
    for location, value in edits:
        base = starts[location.line - 1]
        pieces.append((base + location.column - 1, base + location.end_column - 1, value))
    out = text
    for start, end, value in sorted(pieces, reverse=True):
        out = out[:start] + escape(value) + out[end:]
    return out
