"""Where b2c-tui keeps its files, per platform (platformdirs: XDG on Linux, Library on macOS,
AppData on Windows), with an environment variable to move each one.

| what | variable | Linux default |
|---|---|---|
| config file | ``B2C_TUI_CONFIG`` (the file) | ``~/.config/b2c-tui/config.toml`` |
| user themes | ``B2C_TUI_CONFIG_DIR`` | ``~/.config/b2c-tui/themes`` |
| token cache | ``B2C_TUI_CACHE_DIR`` | ``~/.cache/b2c-tui`` |
| data (archive, backups, journal) | ``B2C_TUI_DATA_DIR`` | ``~/.local/share/b2c-tui`` |
| state (remembered theme and choices) | ``B2C_TUI_STATE_DIR`` | ``~/.local/state/b2c-tui`` |
| logs | ``B2C_TUI_LOG_DIR`` | ``~/.local/state/b2c-tui/log`` |

The Graph client (``b2c_tui.graph``) does not import this module: where the application keeps
its files is the application's business, the client takes paths as arguments.

:func:`atomic_file` is how a file is written anywhere in b2c-tui when a half-written one must
never be seen (exports, archives, downloaded policies, state).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import platformdirs

__all__ = [
    "APP_NAME",
    "CACHE_DIR_ENV",
    "CONFIG_DIR_ENV",
    "CONFIG_ENV",
    "DATA_DIR_ENV",
    "LOG_DIR_ENV",
    "STATE_DIR_ENV",
    "atomic_file",
    "cache_dir",
    "config_dir",
    "config_file",
    "data_dir",
    "log_dir",
    "private_dir",
    "state_dir",
    "tenant_dir",
    "themes_dir",
]

APP_NAME = "b2c-tui"
CONFIG_ENV = "B2C_TUI_CONFIG"
CONFIG_DIR_ENV = "B2C_TUI_CONFIG_DIR"
CACHE_DIR_ENV = "B2C_TUI_CACHE_DIR"
DATA_DIR_ENV = "B2C_TUI_DATA_DIR"
STATE_DIR_ENV = "B2C_TUI_STATE_DIR"
LOG_DIR_ENV = "B2C_TUI_LOG_DIR"


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _pick(variable: str, default: str, environ: Mapping[str, str] | None) -> Path:
    value = _env(environ).get(variable)
    return Path(value).expanduser() if value else Path(default)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's configuration folder (``config.toml``, ``themes/``)."""
    return _pick(CONFIG_DIR_ENV, platformdirs.user_config_dir(APP_NAME, appauthor=False),
                 environ)


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """``$B2C_TUI_CONFIG``, else ``config.toml`` in :func:`config_dir`."""
    value = _env(environ).get(CONFIG_ENV)
    return Path(value).expanduser() if value else config_dir(environ) / "config.toml"


def themes_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's own theme files (they win over the built-in ones of the same name)."""
    return config_dir(environ) / "themes"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The token cache's folder."""
    return _pick(CACHE_DIR_ENV, platformdirs.user_cache_dir(APP_NAME, appauthor=False), environ)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Data that must survive: the audit archive, policy backups, the change journal."""
    return _pick(DATA_DIR_ENV, platformdirs.user_data_dir(APP_NAME, appauthor=False), environ)


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Small remembered choices (theme, column layouts)."""
    return _pick(STATE_DIR_ENV, platformdirs.user_state_dir(APP_NAME, appauthor=False), environ)


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Default folder of log files."""
    return _pick(LOG_DIR_ENV, platformdirs.user_log_dir(APP_NAME, appauthor=False), environ)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def tenant_dir(kind: str, tenant: str, environ: Mapping[str, str] | None = None) -> Path:
    """``data_dir()/kind/<tenant>``: one folder per tenant for archives, backups and journals.

    The tenant name comes from a profile (``contoso.onmicrosoft.com`` or a GUID); anything but
    letters, digits, ``.``, ``_`` and ``-`` is replaced so it is always a single path segment.
    """
    segment = _UNSAFE.sub("_", tenant.strip()).strip(".") or "_"
    return data_dir(environ) / kind / segment


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by its owner (0700) and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:  # a filesystem without modes (Windows, some mounts): nothing to tighten
        pass
    return path


@contextlib.contextmanager
def atomic_file(target: Path, *, suffix: str = ".partial",
                replace: bool = True) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``target`` only when the ``with`` block ends without error.

    It is written as a hidden temporary next to ``target`` (``.<name>.<random><suffix>``, 0600),
    flushed to disk and renamed over ``target``; on any error (Ctrl-C too) the temporary is
    removed and ``target`` is left as it was. ``replace=False`` refuses (``FileExistsError``)
    a ``target`` that appeared while writing.
    """
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
    temp = Path(name)
    try:
        with open(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if not replace and (target.exists() or target.is_symlink()):
            raise FileExistsError(f"{target} appeared while writing")
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
