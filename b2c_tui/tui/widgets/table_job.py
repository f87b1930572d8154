"""One background job of a :class:`VirtualTable` at a time (a sort, a search for rows to
remove): a generation counter that makes work in flight stale, and the one worker doing it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from textual.worker import Worker

    from .virtual_table import VirtualTable


class TableJob:
    """A job's state: :attr:`generation` (bumped by :meth:`cancel` and by new requests; work
    started under an older one is stale) and its worker (one at a time, in :attr:`group`)."""

    group: ClassVar[str] = "virtual-table"

    def __init__(self, table: VirtualTable) -> None:
        self.table = table
        self.generation = 0
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        """A worker is pending or running. One cancelled before it started never finishes:
        its cancellation is what counts, so the next :meth:`start` makes a new one."""
        worker = self._worker
        return worker is not None and not (worker.is_finished or worker.is_cancelled)

    def cancel(self) -> None:
        """Make the work in flight stale."""
        self.generation += 1

    def start(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``work`` in a worker unless one is running already (it picks up the new
        request itself). ``work`` is called when the worker starts, so a worker cancelled
        before then leaves no coroutine behind."""
        if not self.running:
            self._worker = self.table.run_worker(work, group=self.group, exit_on_error=False)
