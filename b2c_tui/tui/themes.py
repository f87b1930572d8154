"""Theme files (TOML) loaded at start.

Built-in themes ship in the project's ``themes/`` directory (installed to
``<prefix>/share/b2c-tui/themes``); an admin's own go in ``~/.config/b2c-tui/themes``. A theme
file names its colours; only Textual's theme variables are used by the stylesheet.
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from textual.theme import Theme

log = logging.getLogger(__name__)

DEFAULT_THEME = "b2c-dark"
_COLOURS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
            "background", "surface", "panel", "boost")


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


def theme_dirs() -> list[Path]:
    """Where theme files are looked for, built-in first, the user's own last (they win)."""
    here = Path(__file__).resolve()
    candidates = [
        here.parents[2] / "themes",  # a source checkout / editable install
        Path(sys.prefix) / "share" / "b2c-tui" / "themes",  # pip install .
    ]
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    candidates.append(Path(config) / "b2c-tui" / "themes")
    return [d for d in candidates if d.is_dir()]


def load_theme_file(path: Path) -> Theme:
    """Parse one theme file into a Textual ``Theme``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThemeFileError(f"{path}: {exc}") from exc
    name = data.get("name") or path.stem
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
    for directory in theme_dirs():
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as exc:
                log.warning("skipping theme: %s", exc)
                continue
            themes[theme.name] = theme
    return list(themes.values())
