"""What the explorer remembers between runs (``paths.state_dir()/explorer.json``): the theme.

Only choices of the person at the keyboard live here, never tenant data or secrets. A missing
or unreadable file means "nothing remembered"; a write that fails is logged and forgotten (the
explorer must not stop over a preference).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from .. import paths

log = logging.getLogger(__name__)
FILE_NAME = "explorer.json"


def settings_file() -> Path:
    """Where the remembered choices are kept."""
    return paths.state_dir() / FILE_NAME


def load_settings() -> dict[str, Any]:
    """The remembered choices (empty when none or unreadable)."""
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme() -> str | None:
    """The theme chosen last time, if any."""
    theme = load_settings().get("theme")
    return theme if isinstance(theme, str) and theme else None


def remember(**values: Any) -> None:
    """Keep ``values`` for the next run (written whole, then renamed into place)."""
    target = settings_file()
    data = {**load_settings(), **values}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.replace(partial, target)
    except OSError as exc:
        log.warning("cannot remember %s: %s", ", ".join(values), exc)
