"""Open a tenant: a configured profile over the network, or the built-in demo tenant.

Both the explorer and the notebook API start here. With no profile configured (no config file,
no azure-identity environment variables, no ``B2C_TUI_TOKEN``) the demo tenant is opened: the
emulator runs in-process behind httpx's ASGI transport, so nothing leaves the machine.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .graph.client import GraphClient
from .graph.config import Config, Profile, resolve_profile
from .graph.config import load_config as parse_config_file

if TYPE_CHECKING:
    from .changes import Journal

log = logging.getLogger(__name__)

DEMO_TENANT = "contosob2c.onmicrosoft.com"
DEMO_GRAPH_URL = "https://graph.microsoft.com"


@dataclass
class Connection:
    """An open tenant: the client plus what the UI shows about it."""

    client: GraphClient
    tenant: str
    cloud: str
    demo: bool
    production: bool
    profile_name: str | None
    emulator: Any = None

    @property
    def read_only(self) -> bool:
        """The client's read-only mode (fixed when the client is built)."""
        return self.client.read_only

    @property
    def label(self) -> str:
        kind = "demo" if self.demo else ("PRODUCTION" if self.production else "live")
        return f"{self.tenant} ({kind})"

    def now(self) -> datetime:
        """The tenant's time (UTC): the demo tenant's own clock (tests fix it), else the
        wall clock. Expiry and "last 24 hours" questions are asked against it."""
        clock = getattr(self.emulator, "clock", None)
        return clock() if callable(clock) else datetime.now(UTC)

    def journal(self) -> Journal:
        """This tenant's change journal (:mod:`b2c_tui.changes`): the one the explorer, the
        Python API and ``b2c-tui journal`` share (the demo tenant has its own)."""
        from .changes import Journal

        return Journal.for_tenant(self.tenant, profile=self.profile_name, demo=self.demo)

    async def aclose(self) -> None:
        await self.client.aclose()


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$B2C_TUI_CONFIG``, else ``config.toml`` in the platform's config folder
    (:func:`b2c_tui.paths.config_file`)."""
    return paths.config_file(environ)


def load_config(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> Config:
    """The configuration file: ``path``, else the default location.

    A file named explicitly (argument or ``$B2C_TUI_CONFIG``) must exist; a missing file at
    the default location simply means "no profiles".
    """
    env = os.environ if environ is None else environ
    if path is not None:
        return parse_config_file(path, must_exist=True)
    return parse_config_file(paths.config_file(env), must_exist=bool(env.get(paths.CONFIG_ENV)))


def open_demo(
    *, users: int = 2000, seed: int = 1, read_only: bool = False, throttling: bool = True,
    latency: float = 0.0, clock: Callable[[], Any] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None, **emulator_options: Any,
) -> Connection:
    """The offline demo tenant, in-process (``clock``: a fixed clock for tests; ``sleep``: the
    client's wait before a retry, so a test can move that clock instead of waiting).

    ``emulator_options`` go to :func:`~b2c_tui.emulator.create_emulator` as they are, to
    arrange the tenant: ``audit_entries``, ``health_findings``, ``extensions_app``..."""
    import httpx

    from .emulator import create_emulator

    emulator = create_emulator(seed=seed, users=users, tenant=DEMO_TENANT, throttling=throttling,
                               latency=latency, clock=clock, **emulator_options)
    transport = httpx.ASGITransport(app=emulator.asgi)
    options: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    client = GraphClient.create(None, graph_url=DEMO_GRAPH_URL, transport=transport,
                                read_only=read_only, **options)
    return Connection(client, DEMO_TENANT, "demo", True, False, None, emulator)


def open_profile(
    profile: Profile,
    *,
    read_only: bool | None = None,
    device_code_callback: Callable[[Mapping[str, Any]], None] | None = None,
) -> Connection:
    """A live tenant from a resolved profile (secrets already read from the environment)."""
    from .graph.auth import build_token_provider

    tokens = build_token_provider(profile, cache_dir=paths.cache_dir(),
                                  device_code_callback=device_code_callback)
    ro = profile.read_only if read_only is None else (read_only or profile.read_only)
    graph_url = profile.graph_url or profile.cloud.graph_url
    client = GraphClient.create(tokens, graph_url=graph_url, read_only=ro,
                                ca_bundle=profile.ca_bundle)
    return Connection(client, profile.tenant, profile.cloud.name, False, profile.production,
                      profile.name)


def connect(
    profile: str | None = None,
    *,
    config_path: str | None = None,
    demo: bool = False,
    read_only: bool | None = None,
    environ: Mapping[str, str] | None = None,
    demo_users: int = 2000,
    device_code_callback: Callable[[Mapping[str, Any]], None] | None = None,
) -> Connection:
    """Open ``profile`` (or the default one); the demo tenant when nothing is configured."""
    resolved = _chosen_profile(profile, config_path, demo, environ)
    if resolved is not None:
        return open_profile(resolved, read_only=read_only,
                            device_code_callback=device_code_callback)
    if not demo:
        log.info("no tenant configured: opening the demo tenant")
    return open_demo(users=demo_users, read_only=bool(read_only))


def tenant_journal(
    profile: str | None = None,
    *,
    config_path: str | None = None,
    demo: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Journal:
    """The change journal of the tenant :func:`connect` would open (the same as its
    :meth:`Connection.journal`), found without opening it: no client, no sign-in and no demo
    emulator, for what only reads the journal file."""
    from .changes import Journal

    resolved = _chosen_profile(profile, config_path, demo, environ)
    if resolved is None:
        return Journal.for_tenant(DEMO_TENANT, demo=True)
    return Journal.for_tenant(resolved.tenant, profile=resolved.name)


def _chosen_profile(profile: str | None, config_path: str | None, demo: bool,
                    environ: Mapping[str, str] | None) -> Profile | None:
    """The profile :func:`connect` opens; ``None``: the demo tenant."""
    if demo:
        return None
    return resolve_profile(profile, load_config(config_path, environ=environ), environ)
