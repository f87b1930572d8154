"""Work off the event loop for the viewer widgets: thread workers with a callback, and the
highlighting requests of what is on screen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from .highlight import Highlighter

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Offload:
    """Mixed into a widget: :meth:`offload` runs a function in a thread worker and hands its
    result to a callback on the event loop. A worker cancelled meanwhile (an ``exclusive`` one
    replaced by a newer request, or the widget removed) never calls back: stale results are
    dropped."""

    @property
    def _callbacks(self) -> dict[Worker[Any], tuple[Done, Failed | None]]:
        return cast(dict, self.__dict__.setdefault("_offload_callbacks", {}))

    def offload(self, function: Callable[[], Any], done: Done, *, group: str,
                exclusive: bool = False, failed: Failed | None = None) -> Worker[Any]:
        """Run ``function()`` in a thread; then ``done(result)`` (or ``failed(error)``)."""
        widget = cast(Widget, self)
        worker: Worker[Any] = widget.run_worker(function, thread=True, group=group,
                                                exclusive=exclusive, exit_on_error=False)
        self._callbacks[worker] = (done, failed)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        entry = self._callbacks.get(event.worker)
        if entry is None:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            del self._callbacks[event.worker]
            entry[0](event.worker.result)
        elif event.state == WorkerState.ERROR:
            del self._callbacks[event.worker]
            error = event.worker.error or RuntimeError("worker failed")
            log.error("%s failed", event.worker.group, exc_info=error)
            if entry[1] is not None:
                entry[1](error)
        elif event.state == WorkerState.CANCELLED:
            del self._callbacks[event.worker]


class HighlightJobs:
    """Lexes the lines a widget draws, one thread job at a time, newest request first.

    The widget calls :meth:`want` while painting a line that has no colours yet (with the range
    worth lexing: the screen and a page either side); the job lexes what is still missing there
    and the widget repaints when it is done. A highlighter that fails is left plain.
    """

    def __init__(self, host: Offload) -> None:
        self._host = host
        self._wanted: dict[int, tuple[Highlighter, int, int]] = {}
        self._busy = False
        self._scheduled = False

    @property
    def busy(self) -> bool:
        """Whether a job is running or about to."""
        return self._busy or self._scheduled

    def want(self, highlighter: Highlighter, first: int, last: int) -> None:
        """Ask for lines ``[first, last)`` of ``highlighter``'s document."""
        if highlighter.broken:
            return
        self._wanted[id(highlighter)] = (highlighter, first, last)
        if not self._busy and not self._scheduled:
            self._scheduled = True
            cast(Widget, self._host).call_later(self._start)

    def _start(self) -> None:
        self._scheduled = False
        if self._busy or not self._wanted:
            return
        items = list(self._wanted.values())
        self._wanted.clear()
        self._busy = True
        self._host.offload(partial(self._work, items), self._done, group="xml-highlight",
                           failed=partial(self._failed, items))

    @staticmethod
    def _work(items: list[tuple[Highlighter, int, int]]) -> int:
        worker = get_current_worker()
        return sum(hl.lex(first, last, stop=lambda: worker.is_cancelled)
                   for hl, first, last in items)

    def _done(self, _lexed: int) -> None:
        self._busy = False
        cast(Widget, self._host).refresh()

    def _failed(self, items: list[tuple[Highlighter, int, int]], _error: BaseException) -> None:
        self._busy = False
        for highlighter, _first, _last in items:
            highlighter.broken = True
        cast(Widget, self._host).refresh()
