"""Download policies from the tenant into a folder.

Each policy goes to the file in the folder that already claims its ``PolicyId`` (so pulling
into a working copy updates ``SignUpOrSignin.xml`` where it is), or to ``<PolicyId>.xml``. A
file whose content differs from the tenant's is only replaced with ``overwrite``; without it the
pull writes nothing and names those files. Files are written as UTF-8 through a temporary file
and a rename, so an interrupted pull leaves whole files only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..graph.errors import B2CTuiError
from .diff import equivalent
from .local import target_files, utf8_document, write_atomic
from .tenant import fetch_documents, list_policy_ids
from .xmlsafe import PolicyParseError, decode_policy

if TYPE_CHECKING:
    from ..graph.client import GraphClient


class PullConflictError(B2CTuiError):
    """Local files differ from the tenant and ``overwrite`` was not given: nothing written."""


@dataclass
class PullResult:
    """Which files were written, and which already held the tenant's copy."""

    folder: Path
    written: list[tuple[str, Path]] = field(default_factory=list)
    unchanged: list[tuple[str, Path]] = field(default_factory=list)


async def pull(client: GraphClient, folder: str | Path, policy_ids: Iterable[str] | None = None,
               *, overwrite: bool = False) -> PullResult:
    """Download all policies (or ``policy_ids``) into ``folder`` (see the module docs)."""
    dest = Path(folder)
    if dest.exists() and not dest.is_dir():
        raise B2CTuiError(f"{dest}: not a folder.")
    tenant_ids = await list_policy_ids(client)
    if policy_ids is None:
        ids = tenant_ids
    else:
        known = {i.lower(): i for i in tenant_ids}
        wanted = list(policy_ids)
        missing = [i for i in wanted if i.lower() not in known]
        if missing:
            raise B2CTuiError(f"the tenant has no policy {', '.join(missing)}; nothing was "
                              "downloaded.")
        ids = [known[i.lower()] for i in wanted]
    documents = await fetch_documents(client, ids)
    result = PullResult(dest)
    plan, conflicts = await asyncio.to_thread(_compare, result, documents, ids, overwrite)
    if conflicts:
        names = ", ".join(str(p) for p in conflicts[:10])
        more = f" and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
        raise PullConflictError(
            f"{len(conflicts)} local file(s) differ from the tenant and would be replaced: "
            f"{names}{more}; nothing was written (use --overwrite to replace them).")
    for pid, path, text in plan:
        await asyncio.to_thread(write_atomic, path, text)
        result.written.append((pid, path))
    return result


def _compare(result: PullResult, documents: dict[str, str], ids: list[str], overwrite: bool
             ) -> tuple[list[tuple[str, Path, str]], list[Path]]:
    """Compare each downloaded policy with the file it would replace (file reads and XML
    comparisons: run in a thread). Identical ones go to ``result.unchanged``; returns what to
    write and which existing files differ (conflicts unless ``overwrite``)."""
    targets = target_files(result.folder, ids)
    conflicts: list[Path] = []
    plan: list[tuple[str, Path, str]] = []
    for pid in ids:
        path, text = targets[pid], utf8_document(documents[pid])
        existing = _read_text(path)
        if existing is not None and equivalent(existing, text):
            result.unchanged.append((pid, path))
            continue
        if existing is not None and not overwrite:
            conflicts.append(path)
        plan.append((pid, path, text))
    return plan, conflicts


def _read_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return decode_policy(data, str(path)).text
    except PolicyParseError:
        return data.decode("utf-8", errors="replace")
