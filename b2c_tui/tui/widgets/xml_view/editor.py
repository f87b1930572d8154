"""Opening a policy in the user's editor: a private scratch copy, never the tenant's policy.

The viewer is read-only: it writes the XML to a new file in a private folder (0700) under the
app's cache folder, runs ``$VISUAL`` or ``$EDITOR`` on it, and reports the path. Uploading what
was edited is the host's decision (with its lint, diff and backup steps), not the widget's.
An edited copy is kept (it may be the only copy of the user's work); an untouched one is deleted.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

from ....paths import cache_dir, private_dir

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def editor_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """``$VISUAL`` or ``$EDITOR`` split like a shell would (``code --wait``), or ``None``."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return None


def edits_dir() -> Path:
    """Where scratch copies go (private to the user)."""
    return private_dir(cache_dir() / "edits")


def write_scratch(policy_id: str, text: str) -> Path:
    """A new file holding ``text`` exactly (line breaks as given), named after the policy."""
    stem = _UNSAFE.sub("_", policy_id).strip("._") or "policy"
    handle, name = tempfile.mkstemp(prefix=f"{stem}-", suffix=".xml", dir=edits_dir())
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    return Path(name)


def run_editor(command: list[str], path: Path, *, attached: bool) -> int:
    """Run the editor on ``path`` and wait; ``attached``: it owns the terminal (the app is
    suspended), otherwise it gets no terminal at all (a headless app has none to give)."""
    if attached:
        return subprocess.call([*command, str(path)])
    return subprocess.call([*command, str(path)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
