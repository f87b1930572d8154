"""National clouds: where Graph and the sign-in authority live for each Azure deployment.

Tokens are not interchangeable across clouds, so a profile names exactly one. GCC (moderate)
uses the global endpoints; GCC High and DoD share ``login.microsoftonline.us`` but have different
Graph hosts, so a login host alone cannot tell them apart (:func:`cloud_for_authority_host`
answers GCC High; name ``usgovdod`` explicitly for DoD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ConfigError

__all__ = [
    "CHINA",
    "CLOUDS",
    "GLOBAL",
    "USGOV",
    "USGOV_DOD",
    "Cloud",
    "cloud_for_authority_host",
    "find_cloud",
    "get_cloud",
    "is_known_authority_host",
]


@dataclass(frozen=True)
class Cloud:
    """One national cloud: its Graph endpoint and its sign-in authority host (both without a
    trailing slash)."""

    name: str
    graph_url: str
    login_url: str
    display_name: str = ""
    aliases: tuple[str, ...] = ()
    # Login hosts that belong to this cloud besides ``login_url``'s (legacy or partner names).
    other_login_hosts: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        """The app-only scope for Graph in this cloud, e.g. ``https://graph.microsoft.com/.default``."""
        return f"{self.graph_url}/.default"

    @property
    def login_host(self) -> str:
        """The authority's host name, e.g. ``login.microsoftonline.com``."""
        return urlsplit(self.login_url).hostname or ""

    def authority(self, tenant: str) -> str:
        """The msal authority URL for ``tenant`` (domain name or GUID) in this cloud."""
        return f"{self.login_url}/{tenant}"


GLOBAL = Cloud(
    name="global",
    graph_url="https://graph.microsoft.com",
    login_url="https://login.microsoftonline.com",
    display_name="Global (Azure public cloud)",
    aliases=("public", "azurepubliccloud", "azurecloud", "commercial", "worldwide", "gcc"),
    other_login_hosts=("login.microsoft.com", "login.windows.net", "sts.windows.net"),
)
USGOV = Cloud(
    name="usgov",
    graph_url="https://graph.microsoft.us",
    login_url="https://login.microsoftonline.us",
    display_name="US Government L4 (GCC High)",
    aliases=("azureusgovernment", "usgovernment", "gcchigh", "usgovl4", "l4"),
    other_login_hosts=("login.usgovcloudapi.net", "login-us.microsoftonline.com"),
)
USGOV_DOD = Cloud(
    name="usgovdod",
    graph_url="https://dod-graph.microsoft.us",
    login_url="https://login.microsoftonline.us",
    display_name="US Government L5 (DoD)",
    aliases=("dod", "usgovl5", "l5", "azureusgovernmentdod", "usdod"),
    other_login_hosts=("login.usgovcloudapi.net",),
)
CHINA = Cloud(
    name="china",
    graph_url="https://microsoftgraph.chinacloudapi.cn",
    login_url="https://login.chinacloudapi.cn",
    display_name="China (operated by 21Vianet)",
    aliases=("azurechinacloud", "21vianet", "mooncake", "cn"),
    other_login_hosts=("login.partner.microsoftonline.cn",),
)

CLOUDS: dict[str, Cloud] = {c.name: c for c in (GLOBAL, USGOV, USGOV_DOD, CHINA)}


def _normalize(name: str) -> str:
    # "AzureUSGovernment", "gcc-high", "GCC High" and "usgov_dod" all name something.
    return re.sub(r"[\s_\-.]", "", name).lower()


_BY_ALIAS: dict[str, Cloud] = {}
for _cloud in CLOUDS.values():
    for _alias in (_cloud.name, *_cloud.aliases):
        _BY_ALIAS[_normalize(_alias)] = _cloud


def find_cloud(name: str) -> Cloud | None:
    """The cloud called ``name`` (case, spaces, ``-`` and ``_`` ignored; aliases such as
    ``AzureUSGovernment`` or ``gcchigh`` accepted), or ``None``."""
    return _BY_ALIAS.get(_normalize(name))


def get_cloud(name: str) -> Cloud:
    """Like :func:`find_cloud` but raises :class:`ConfigError` naming the valid choices."""
    cloud = find_cloud(name)
    if cloud is None:
        choices = ", ".join(CLOUDS)
        raise ConfigError(f"Unknown cloud {name!r}; choose one of: {choices}")
    return cloud


def _host_of(url_or_host: str) -> str:
    text = url_or_host.strip()
    if "://" not in text:
        text = "https://" + text
    return (urlsplit(text).hostname or "").lower()


def cloud_for_authority_host(url: str) -> Cloud | None:
    """The cloud whose sign-in authority is ``url`` (as in ``AZURE_AUTHORITY_HOST``; a bare host
    name or a URL with a path both work), or ``None`` for a host no Microsoft cloud uses (a test
    authority, the demo tenant's emulator)."""
    host = _host_of(url)
    # GCC High before DoD: both sign in at login.microsoftonline.us.
    for cloud in (GLOBAL, USGOV, CHINA, USGOV_DOD):
        if host == cloud.login_host or host in cloud.other_login_hosts:
            return cloud
    return None


def is_known_authority_host(url: str) -> bool:
    """Whether ``url``'s host is a Microsoft sign-in host (so msal may run instance discovery
    against it); loopback and emulator authorities are not."""
    return cloud_for_authority_host(url) is not None
