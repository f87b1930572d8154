"""The msal token cache, persisted between runs the way azure-identity does it.

Encrypted storage first (msal-extensions: DPAPI on Windows, Keychain on macOS, libsecret on
Linux). On a headless Linux box that fails; then a plain file readable only by its owner (0600 in
a 0700 directory) is used **only** with an explicit opt-in (``allow_unencrypted=True``, the
profile's ``allow_unencrypted_token_cache = true`` or ``B2C_TUI_ALLOW_UNENCRYPTED_CACHE=1``);
without it the cache lives in memory for this run and a warning says why.

The folder is given by the caller (the application keeps it in :func:`b2c_tui.paths.cache_dir`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import msal

__all__ = [
    "UNENCRYPTED_OPT_IN_ENV",
    "CacheKind",
    "memory_token_cache",
    "open_token_cache",
    "token_cache_kind",
    "unencrypted_cache_allowed",
]

log = logging.getLogger(__name__)

UNENCRYPTED_OPT_IN_ENV = "B2C_TUI_ALLOW_UNENCRYPTED_CACHE"
CacheKind = Literal["encrypted", "plaintext", "memory"]
_ENCRYPTED_NAME = "msal_token_cache.bin"
_PLAINTEXT_NAME = "msal_token_cache.unencrypted.json"


def unencrypted_cache_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``B2C_TUI_ALLOW_UNENCRYPTED_CACHE`` opts in to a plain-file cache."""
    env = os.environ if environ is None else environ
    return env.get(UNENCRYPTED_OPT_IN_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def open_token_cache(
    cache_dir: str | os.PathLike[str],
    *,
    allow_unencrypted: bool = False,
    try_encrypted: bool = True,
    environ: Mapping[str, str] | None = None,
) -> msal.SerializableTokenCache:
    """A token cache shared by every profile (msal keys entries by authority and client).

    ``try_encrypted=False`` skips the OS keyring (tests, or machines where probing it hangs).
    :func:`token_cache_kind` tells what was chosen.
    """
    env = os.environ if environ is None else environ
    directory = Path(cache_dir).expanduser()
    allow_unencrypted = allow_unencrypted or unencrypted_cache_allowed(env)
    reason = "encryption not tried"
    if try_encrypted:
        try:
            return _encrypted_cache(directory)
        except Exception as exc:  # any backend failure (no libsecret, no D-Bus, locked keyring)
            first_line = (str(exc).strip().splitlines() or [""])[0]
            reason = f"{type(exc).__name__}: {first_line}"
            log.info("Encrypted token cache unavailable (%s)", reason)
    if allow_unencrypted:
        return _plaintext_cache(directory)
    log.warning(
        "Token cache kept in memory only: encrypted storage is unavailable (%s) and an "
        "unencrypted cache was not allowed. Set %s=1 or allow_unencrypted_token_cache = true "
        "in the profile to keep sign-ins between runs in %s (mode 0600).",
        reason,
        UNENCRYPTED_OPT_IN_ENV,
        directory / _PLAINTEXT_NAME,
    )
    return memory_token_cache()


def memory_token_cache() -> msal.SerializableTokenCache:
    """A cache that lives for this run only."""
    cache = msal.SerializableTokenCache()
    cache.b2c_tui_kind = "memory"  # type: ignore[attr-defined]
    return cache


def token_cache_kind(cache: msal.TokenCache) -> CacheKind:
    """How ``cache`` is stored: ``encrypted``, ``plaintext`` (0600 file) or ``memory``."""
    kind = getattr(cache, "b2c_tui_kind", None)
    if kind in ("encrypted", "plaintext", "memory"):
        return kind  # type: ignore[no-any-return]
    if getattr(cache, "is_encrypted", False):
        return "encrypted"
    return "memory"


def _private_dir(directory: Path) -> None:
    # Only a directory we create is tightened; an existing one (maybe shared) is left alone,
    # the cache file itself is 0600 either way.
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)


def _encrypted_cache(directory: Path) -> msal.SerializableTokenCache:
    from msal_extensions import PersistedTokenCache, build_encrypted_persistence
    from msal_extensions.persistence import PersistenceNotFound

    persistence = build_encrypted_persistence(str(directory / _ENCRYPTED_NAME))
    _private_dir(directory)
    try:  # prove the backend answers before trusting it with tokens
        persistence.load()
    except PersistenceNotFound:
        pass
    cache = PersistedTokenCache(persistence)
    cache.b2c_tui_kind = "encrypted"  # type: ignore[attr-defined]
    return cache


def _plaintext_cache(directory: Path) -> msal.SerializableTokenCache:
    from msal_extensions import FilePersistence, PersistedTokenCache

    class PrivateFilePersistence(FilePersistence):  # type: ignore[misc]
        """A plain file kept at mode 0600 even if it existed with looser permissions."""

        def save(self, content: Any) -> None:
            super().save(content)
            _chmod_private(Path(self.get_location()))

    _private_dir(directory)
    location = directory / _PLAINTEXT_NAME
    if location.exists():
        _chmod_private(location)
    log.warning("Token cache stored unencrypted (opted in) at %s", location)
    cache = PersistedTokenCache(PrivateFilePersistence(str(location)))
    cache.b2c_tui_kind = "plaintext"  # type: ignore[attr-defined]
    return cache


def _chmod_private(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, 0o600)
