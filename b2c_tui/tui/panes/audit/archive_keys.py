"""The audit pane's archive keys: ``P`` pulls the tenant's new entries into the local archive in
a worker (progress in the pull bar, not a modal screen), ``X`` stops it (what was written
stays: each day file is written atomically), and the bar above the table says how much the
archive holds. Unreadable archive files are named once, never dropped silently.

A mixin of :class:`~.pane.AuditPane` (it needs its ``archive``, ``source``, ``reload`` and bar).
"""

from __future__ import annotations

import asyncio

from textual import work

from ....audit import AuditArchive, SkippedFile, pull
from ....graph.errors import B2CTuiError
from ...kit.base import ResourcePane
from ...safe_text import safe
from .pull_bar import PullBar


class ArchiveKeys(ResourcePane):
    """Pull, stop, the archive's summary, skipped files (see the module docs)."""

    archive: AuditArchive
    archive_summary: str
    source: str
    _reported: set[str]

    def _update_bar(self) -> None:
        raise NotImplementedError

    @property
    def pulling(self) -> bool:
        return any(w.group == "audit-pull" and w.is_running for w in self.workers)

    def action_pull(self) -> None:
        if not self.pulling:
            self.run_pull()

    def action_stop_pull(self) -> None:
        self.workers.cancel_group(self, "audit-pull")

    @work(group="audit-pull", exclusive=True, exit_on_error=False)
    async def run_pull(self) -> None:
        """Pull the tenant's new entries into the archive, with progress in the pull bar."""
        bar = self.query_one(PullBar)
        bar.start()
        self.call_after_refresh(self.refresh_bindings)
        try:
            result = await pull(self.context.client, self.archive,
                                progress=bar.update_progress)
        except B2CTuiError as exc:
            self.notify(f"{safe(str(exc))} (the archive keeps what was written)",
                        title="Archive pull stopped", severity="error", markup=False,
                        timeout=10)
            return
        except asyncio.CancelledError:
            self.notify("Stopped: the archive keeps what was written; the next pull goes on "
                        "from there.", title="Archive pull", severity="warning", markup=False)
            raise
        finally:
            bar.stop()
            self.call_after_refresh(self.refresh_bindings)
            self.read_archive_summary()
        newest = result.newest.strftime("%Y-%m-%d %H:%M UTC") if result.newest else "none"
        self.notify(f"{result.added:,} new entries ({result.fetched:,} fetched, "
                    f"{len(result.days_written)} day files written); newest {newest}.",
                    title="Archive pull done", markup=False)
        self._report_skipped(result.skipped)
        if self.source != "tenant":
            self.reload()

    @work(group="audit-summary", exclusive=True, exit_on_error=False, thread=True)
    def read_archive_summary(self) -> None:
        """How much the archive holds (file metadata only), for the bar."""
        days = self.archive.days()
        total, skipped = self.archive.count()
        if not days:
            text = "archive: empty (P pulls the tenant's entries)"
        else:
            text = (f"archive: {total:,} entries, {days[0].isoformat()} → "
                    f"{days[-1].isoformat()}")
        if skipped:
            text += f", {len(skipped)} unreadable file(s)"
        self.app.call_from_thread(self._set_summary, text)

    def _set_summary(self, text: str) -> None:
        self.archive_summary = text
        self._update_bar()

    def _report_skipped(self, skipped: list[SkippedFile]) -> None:
        """An unreadable archive file is said once, by name, never dropped silently."""
        for item in skipped:
            if str(item.path) in self._reported:
                continue
            self._reported.add(str(item.path))
            self.notify(f"{safe(item.path.name)} could not be read and was skipped: "
                        f"{safe(item.reason)}", title="Archive file skipped",
                        severity="warning", markup=False, timeout=12)
        if skipped:
            self._update_bar()

