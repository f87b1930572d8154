"""Theme files (TOML) loaded at start.

Built-in themes ship inside the package (``b2c_tui/tui/theme_files``, found with
``importlib.resources``, so they load however the package was installed: pip, ``--user``, uv
tool, a zip); the top-level ``themes/`` folder holds the same files for people to read and copy
(a test keeps them identical). An admin's own go in :func:`b2c_tui.paths.themes_dir` and win
over a built-in theme of the same name. A theme file names its colours; only Textual's theme
variables are used by the stylesheet.
"""

from __future__ import annotations

import logging
import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from textual.theme import Theme

from .. import paths

log = logging.getLogger(__name__)

DEFAULT_THEME = "b2c-dark"
_COLOURS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
            "background", "surface", "panel", "boost")


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


BUILT_IN_PACKAGE = "b2c_tui.tui"
BUILT_IN_FOLDER = "theme_files"


def built_in_theme_files() -> list[Traversable]:
    """The package's own theme files, by name."""
    folder = files(BUILT_IN_PACKAGE) / BUILT_IN_FOLDER
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")),
                  key=lambda f: f.name)


def user_theme_files() -> list[Path]:
    """The admin's own theme files (:func:`b2c_tui.paths.themes_dir`)."""
    folder = paths.themes_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_theme_file(path: Path | Traversable) -> Theme:
    """Parse one theme file into a Textual ``Theme``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThemeFileError(f"{path}: {exc}") from exc
    name = data.get("name") or Path(path.name).stem
    if "primary" not in data:
        raise ThemeFileError(f"{path}: a theme needs at least 'primary'")
    unknown = set(data) - {"name", "dark", "variables", *_COLOURS}
    if unknown:
        raise ThemeFileError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    colours: dict[str, Any] = {key: str(data[key]) for key in _COLOURS if key in data}
    try:
        return Theme(name=str(name), dark=bool(data.get("dark", True)),
                     variables={str(k): str(v) for k, v in data.get("variables", {}).items()},
                     **colours)
    except Exception as exc:  # Textual validates colours lazily; report the file
        raise ThemeFileError(f"{path}: {exc}") from exc


def load_themes() -> list[Theme]:
    """Every usable theme; a broken file is logged and skipped, never fatal."""
    themes: dict[str, Theme] = {}
    for path in [*built_in_theme_files(), *user_theme_files()]:
        try:
            theme = load_theme_file(path)
        except ThemeFileError as exc:
            log.warning("skipping theme: %s", exc)
            continue
        themes[theme.name] = theme
    return list(themes.values())
