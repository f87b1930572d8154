"""Token providers: how the Graph core gets a bearer token.

The core only knows :class:`TokenProvider`. :class:`StaticTokenProvider` hands out a fixed token;
:class:`MsalTokenProvider` signs in with msal (client secret, client certificate or device code),
keeps the token in memory until shortly before it expires, and persists msal's cache (see
:mod:`b2c_tui.graph.auth_cache`) so the next run signs in silently. msal is synchronous, so every
call runs in a worker thread, serialized by an ``asyncio.Lock``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import msal
import requests

from .auth_cache import (
    memory_token_cache,
    open_token_cache,
    token_cache_kind,
    unencrypted_cache_allowed,
)
from .auth_certs import load_certificate_credential
from .clouds import is_known_authority_host
from .errors import AuthError, ConfigError
from .profiles import Profile
from .redact import MASK, redact, register_secret

__all__ = [
    "DeviceCodeCallback",
    "DeviceCodePrompt",
    "MsalTokenProvider",
    "StaticTokenProvider",
    "TokenProvider",
    "build_token_provider",
    "make_http_client",
]

log = logging.getLogger(__name__)

# Refresh this long before expiry so a token never dies mid-request (or mid-page).
REFRESH_MARGIN = 300.0
_RETRY_POLL = frozenset({"authorization_pending", "slow_down"})
_HINTS = {
    7000215: "Check the client secret: use the secret's Value, not its ID, and that it has "
    "not expired.",
    7000222: "The client secret has expired; create a new one in the app registration.",
    700016: "Check client_id, and that the app is registered in this tenant.",
    90002: "Check the tenant name or id.",
    700027: "Check that this certificate is uploaded to the app registration.",
    70020: "The device code expired before sign-in finished; try again.",
    500011: "Grant the app Microsoft Graph application permissions and admin consent.",
}


class TokenProvider(Protocol):
    """What the Graph core calls for a bearer token."""

    async def token(self, *, force_refresh: bool = False) -> str: ...


_PROMPT_KEYS = ("message", "user_code", "verification_uri", "expires_at")


@dataclass(frozen=True)
class DeviceCodePrompt(Mapping[str, Any]):
    """What the user must do to finish a device-code sign-in. ``str()`` is the message to show;
    it also reads like msal's flow dict (``prompt["user_code"]``, ``prompt.get("message")``)."""

    message: str
    user_code: str
    verification_uri: str
    expires_at: float

    def __getitem__(self, key: str) -> Any:
        if key not in _PROMPT_KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_PROMPT_KEYS)

    def __len__(self) -> int:
        return len(_PROMPT_KEYS)

    def __str__(self) -> str:
        return self.message


DeviceCodeCallback = Callable[[DeviceCodePrompt], "Awaitable[None] | None"]


class StaticTokenProvider:
    """Hands out one fixed bearer token (``B2C_TUI_TOKEN`` or a profile with ``auth = "token"``);
    it cannot refresh, so a 401 surfaces as it is."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ConfigError("An empty bearer token was given")
        register_secret(token)
        self._token = token

    async def token(self, *, force_refresh: bool = False) -> str:
        """The token (``force_refresh`` cannot help a fixed token)."""
        return self._token

    def close(self) -> None:
        """Nothing to release (the same call as :meth:`MsalTokenProvider.close`)."""

    def __repr__(self) -> str:
        return f"StaticTokenProvider(token={MASK!r})"


def make_http_client(ca_bundle: str | Path | None = None) -> requests.Session | None:
    """A ``requests.Session`` trusting only ``ca_bundle`` (``None`` when none is given: msal then
    builds its own). ``trust_env=False`` keeps ``REQUESTS_CA_BUNDLE`` and friends from
    overriding the bundle, which requests otherwise does per request."""
    if ca_bundle is None:
        return None
    session = requests.Session()
    session.trust_env = False
    session.verify = str(ca_bundle)
    return session


class MsalTokenProvider:
    """Signs in with msal and hands out access tokens.

    ``credential`` is a client secret (``str``) or msal's certificate dict for a confidential
    client; ``None`` means a public client signing a user in with a device code, shown through
    ``device_code_callback``. ``http_client`` is a ``requests.Session``-like object for msal;
    without one, ``ca_bundle`` gives a session trusting only that CA (else msal's default).
    ``device_poll_interval`` overrides the authority's polling interval (tests). Nothing touches
    the network until the first :meth:`token` call; :meth:`close` releases connections.
    """

    def __init__(
        self,
        *,
        client_id: str,
        authority: str,
        scopes: Sequence[str],
        credential: str | dict[str, str] | None = None,
        cache: msal.TokenCache | None = None,
        http_client: Any = None,
        ca_bundle: str | Path | None = None,
        device_code_callback: DeviceCodeCallback | None = None,
        device_poll_interval: float | None = None,
        instance_discovery: bool | None = None,
        refresh_margin: float = REFRESH_MARGIN,
    ) -> None:
        self.client_id = client_id
        self.authority = authority.rstrip("/")
        self.scopes = list(scopes)
        if isinstance(credential, str):
            register_secret(credential)
        self._credential = credential
        self._cache = cache if cache is not None else msal.TokenCache()
        # A session we build (for ca_bundle) is ours to close; a caller's stays theirs.
        self._owns_http_client = http_client is None
        self._http_client = http_client if http_client is not None else make_http_client(ca_bundle)
        self._device_code_callback = device_code_callback or _log_device_code
        self._poll_interval = device_poll_interval
        self._instance_discovery = (
            instance_discovery
            if instance_discovery is not None
            else (False if not is_known_authority_host(self.authority) else None)
        )
        self._refresh_margin = refresh_margin
        self._app: msal.ClientApplication | None = None
        self._lock = asyncio.Lock()
        self._access_token: str | None = None
        self._expires_at = 0.0
        self.username: str | None = None
        """The signed-in user (device code), once known."""

    @property
    def flow(self) -> str:
        """``client_secret``, ``certificate`` or ``device_code``."""
        if self._credential is None:
            return "device_code"
        return "client_secret" if isinstance(self._credential, str) else "certificate"

    def __repr__(self) -> str:
        return (
            f"MsalTokenProvider(client_id={self.client_id!r}, authority={self.authority!r}, "
            f"flow={self.flow!r}, cache={token_cache_kind(self._cache)!r})"
        )

    def close(self) -> None:
        """Close the HTTP connections this provider opened (not a caller's ``http_client``)."""
        if not self._owns_http_client:
            return
        if self._app is not None:
            self._app.http_client.close()
        elif self._http_client is not None:
            self._http_client.close()

    def _fresh(self) -> bool:
        return self._access_token is not None and time.time() < self._expires_at

    async def token(self, *, force_refresh: bool = False) -> str:
        """A valid access token, from memory, msal's cache, or a new sign-in."""
        if not force_refresh and self._fresh():
            assert self._access_token is not None
            return self._access_token
        seen = self._access_token
        async with self._lock:
            # Someone else refreshed while we waited: theirs is as new as ours would be.
            if self._fresh() and (not force_refresh or self._access_token != seen):
                assert self._access_token is not None
                return self._access_token
            result = await self._acquire(force_refresh)
            return self._accept(result)

    async def _acquire(self, force_refresh: bool) -> dict[str, Any]:
        app = await self._call(self._get_app)
        if isinstance(app, msal.ConfidentialClientApplication):
            if force_refresh:
                await self._call(app.remove_tokens_for_client)
            return await self._call(app.acquire_token_for_client, self.scopes)
        assert isinstance(app, msal.PublicClientApplication)
        accounts = await self._call(app.get_accounts)
        if accounts:
            silent = await self._call(
                app.acquire_token_silent_with_error,
                self.scopes,
                accounts[0],
                force_refresh=force_refresh,
            )
            if silent and "access_token" in silent:
                return silent
        return await self._device_flow(app)

    async def _device_flow(self, app: msal.PublicClientApplication) -> dict[str, Any]:
        flow = await self._call(app.initiate_device_flow, scopes=self.scopes)
        if "user_code" not in flow:
            return flow  # an error answer; _accept explains it
        prompt = DeviceCodePrompt(
            message=flow.get("message") or "",
            user_code=flow["user_code"],
            verification_uri=flow.get("verification_uri") or flow.get("verification_url") or "",
            expires_at=float(flow["expires_at"]),
        )
        shown = self._device_code_callback(prompt)
        if inspect.isawaitable(shown):
            await shown
        interval = float(flow.get("interval", 5))
        # msal polls once per call with interval 1 and an always-true exit condition; the wait
        # between polls is ours, so it is cancellable from the UI.
        flow["interval"] = 1
        while True:
            result: dict[str, Any] = await self._call(
                app.acquire_token_by_device_flow, flow, exit_condition=lambda _flow: True
            )
            error = result.get("error")
            if error not in _RETRY_POLL:
                return result
            if time.time() > prompt.expires_at + 60:  # the authority should have said so
                return {
                    "error": "expired_token",
                    "error_codes": [70020],
                    "error_description": "The device code expired before sign-in finished.",
                }
            if error == "slow_down":
                interval += 5
            await asyncio.sleep(
                self._poll_interval if self._poll_interval is not None else interval
            )

    def _accept(self, result: dict[str, Any]) -> str:
        if "access_token" not in result:
            raise self._error(result)
        token = str(result["access_token"])  # a JWT: redact() masks it without registering
        lifetime = float(result.get("expires_in") or 3600)
        self._expires_at = time.time() + max(lifetime - self._refresh_margin, lifetime / 2)
        self._access_token = token
        claims = result.get("id_token_claims") or {}
        self.username = claims.get("preferred_username") or self.username
        log.debug(
            "Token for %s from %s, valid %.0fs",
            self.client_id,
            result.get("token_source", "identity_provider"),
            lifetime,
        )
        return token

    def _error(self, result: dict[str, Any]) -> AuthError:
        error = str(result.get("error") or "unknown_error")
        description = str(result.get("error_description") or "").strip()
        first = description.splitlines()[0] if description else error
        codes = result.get("error_codes") or []
        hint = next((_HINTS[c] for c in codes if c in _HINTS), "")
        message = f"Sign-in to {self.authority} as app {self.client_id} failed: {first}"
        if hint:
            message += f" {hint}"
        return AuthError(redact(message), code=error, correlation_id=result.get("correlation_id"))

    def _get_app(self) -> msal.ClientApplication:
        if self._app is None:
            common: dict[str, Any] = {
                "authority": self.authority,
                "token_cache": self._cache,
                "instance_discovery": self._instance_discovery,
            }
            if self._http_client is not None:
                common["http_client"] = self._http_client
            if self._credential is None:
                self._app = msal.PublicClientApplication(self.client_id, **common)
            else:
                self._app = msal.ConfidentialClientApplication(
                    self.client_id, client_credential=self._credential, **common
                )
        return self._app

    async def _call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a blocking msal call in a thread, turning transport and setup failures into
        :class:`AuthError` (secrets masked)."""
        try:
            return await asyncio.to_thread(func, *args, **kwargs)
        except OSError as exc:  # requests' errors, and a CA bundle path that does not exist
            raise AuthError(
                redact(f"Cannot reach the sign-in authority {self.authority}: {exc}"),
                code="network_error",
            ) from None
        except ValueError as exc:  # msal: bad authority, unknown tenant, bad credential
            text = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
            raise AuthError(
                f"Sign-in setup for {self.authority} failed: {text}", code="invalid_authority"
            ) from None


def _log_device_code(prompt: DeviceCodePrompt) -> None:
    log.warning("%s", prompt.message)


def build_token_provider(
    profile: Profile,
    *,
    cache: msal.TokenCache | None = None,
    cache_dir: str | Path | None = None,
    device_code_callback: DeviceCodeCallback | None = None,
    http_client: Any = None,
    device_poll_interval: float | None = None,
) -> TokenProvider:
    """The provider for ``profile`` (secrets already resolved, see
    :meth:`Profile.with_secrets`).

    ``cache=None`` opens the persistent cache in ``cache_dir`` (:func:`open_token_cache`,
    honouring the profile's ``allow_unencrypted_token_cache``), or keeps tokens in memory for
    this run when no ``cache_dir`` is given (the client does not decide where files go).
    ``http_client=None`` uses a session trusting only the profile's ``ca_bundle`` if it has one.
    """
    if profile.auth == "token":
        if not profile.token:
            raise ConfigError(f"Profile {profile.name!r} has no token (token_env unset?)")
        return StaticTokenProvider(profile.token)
    credential: str | dict[str, str] | None
    if profile.auth == "client_secret":
        if not profile.client_secret:
            raise ConfigError(f"Profile {profile.name!r} has no client secret")
        credential = profile.client_secret
    elif profile.auth == "certificate":
        if profile.certificate_path is None:
            raise ConfigError(f"Profile {profile.name!r} has no certificate_path")
        loaded = load_certificate_credential(profile.certificate_path, profile.certificate_password)
        credential = loaded.msal_credential()
    else:
        credential = None
    if cache is None and cache_dir is not None:
        cache = open_token_cache(
            cache_dir,
            allow_unencrypted=profile.allow_unencrypted_token_cache or unencrypted_cache_allowed(),
        )
    elif cache is None:
        cache = memory_token_cache()
    return MsalTokenProvider(
        client_id=profile.client_id,
        authority=profile.authority,
        scopes=[profile.scope],
        credential=credential,
        cache=cache,
        http_client=http_client,
        ca_bundle=profile.ca_bundle,
        device_code_callback=device_code_callback,
        device_poll_interval=device_poll_interval,
    )
