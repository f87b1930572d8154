"""Policy files on disk: a folder in the starter-pack layout (one ``*.xml`` per policy), and
writing downloaded policies back safely.

Reading never stops at the first bad file: every file is tried, and the ones that cannot be
read come back as :class:`~.xmlsafe.PolicyParseError` values naming the file (the lint turns
them into findings). Writing goes through a temporary file in the same folder and a rename, so
an interrupted download never leaves a half-written policy that looks complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..graph.errors import B2CTuiError
from ..paths import atomic_file
from .model import Policy
from .parser import parse_policy
from .xmlsafe import PolicyParseError, read_policy_bytes

_XML_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*?\sencoding\s*=\s*)([\"'])([^\"']*)\2")


class LocalFilesError(B2CTuiError, ValueError):
    """A folder or file that cannot be used as a policy source (one line, naming it)."""


@dataclass
class LocalPolicies:
    """What a folder (or one file) holds: the parsed policies and the files that failed."""

    root: Path
    policies: list[Policy] = field(default_factory=list)
    errors: list[PolicyParseError] = field(default_factory=list)

    def duplicates(self) -> dict[str, list[Policy]]:
        """PolicyId (lower case) -> the files claiming it, for ids claimed more than once."""
        seen: dict[str, list[Policy]] = {}
        for policy in self.policies:
            seen.setdefault(policy.key, []).append(policy)
        return {k: v for k, v in seen.items() if len(v) > 1}

    def by_id(self) -> dict[str, Policy]:
        """Lower-cased id -> policy (the first file wins a duplicate; lint reports it)."""
        out: dict[str, Policy] = {}
        for policy in self.policies:
            out.setdefault(policy.key, policy)
        return out

    @property
    def files(self) -> list[str]:
        return sorted([p.source for p in self.policies] + [e.source for e in self.errors])


def policy_files(path: Path) -> list[Path]:
    """The ``*.xml`` files of a folder (not its sub-folders), or the one file given."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise LocalFilesError(f"{path}: no such file or folder.")
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".xml")


def load_local(path: str | Path) -> LocalPolicies:
    """Parse every policy file of a folder (or one file). Never raises for a bad file."""
    root = Path(path)
    out = LocalPolicies(root)
    for file in policy_files(root):
        try:
            out.policies.append(parse_policy(read_policy_bytes(file), str(file)))
        except PolicyParseError as exc:
            out.errors.append(exc)
    if not out.policies and not out.errors:
        raise LocalFilesError(f"{root}: no *.xml policy files here.")
    return out


def utf8_document(text: str) -> str:
    """``text`` with its XML declaration's encoding set to UTF-8 (it is written as UTF-8; a
    declaration left saying UTF-16 would make the file unreadable)."""
    match = _XML_DECLARATION.match(text)
    if match is None or match.group(3).lower().replace("_", "-") in ("utf-8", "utf8"):
        return text
    quote = match.group(2)
    return f"{match.group(1)}{quote}UTF-8{quote}{text[match.end():]}"


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, suffix=".part") as handle:
        handle.write(text.encode("utf-8"))


def target_files(folder: Path, policy_ids: Iterable[str]) -> dict[str, Path]:
    """Where each policy goes in ``folder``: the file that already claims its id (so a pull
    into a working copy updates ``SignUpOrSignin.xml`` in place), else ``<PolicyId>.xml``."""
    claimed: dict[str, Path] = {}
    if folder.is_dir():
        local = load_local(folder) if policy_files(folder) else LocalPolicies(folder)
        for policy in local.policies:
            claimed.setdefault(policy.key, Path(policy.source))
    return {pid: claimed.get(pid.lower(), folder / f"{pid}.xml") for pid in policy_ids}
