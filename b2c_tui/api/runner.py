"""One private event loop for a :class:`~b2c_tui.api.Tenant`, on its own daemon thread.

The Graph client's connection pool (httpx/anyio) belongs to the loop that first used it; using
it from a second loop fails with ``bound to a different event loop`` or ``Event loop is
closed``. So *every* call of a tenant, synchronous or ``await``-ed, runs here: a sync call
blocks its thread on the result, an async call awaits it from the caller's own loop. That is
also what lets sync calls work inside a running Jupyter loop.

While a call runs, :class:`~b2c_tui.api.progress.Progress` updates are drawn by the *caller's*
thread (a notebook widget belongs to the cell that is running, not to a background thread).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .progress import Progress

T = TypeVar("T")

#: How often a waiting caller redraws progress (seconds).
TICK = 0.1


class LoopRunner:
    """A private event loop on a daemon thread; coroutines are submitted to it."""

    def __init__(self, name: str = "b2c-tui-api") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, daemon=True, name=name)
        self._closed = False
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    @property
    def closed(self) -> bool:
        return self._closed

    def _submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if self._closed:
            coro.close()
            raise RuntimeError("This tenant is closed; open it again with Tenant.connect().")
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def _on_own_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def run(self, coro: Coroutine[Any, Any, T], progress: Progress | None = None) -> T:
        """Run ``coro`` on the private loop and wait for it (Ctrl-C cancels it there)."""
        if self._on_own_thread():
            coro.close()
            raise RuntimeError("A synchronous Tenant call cannot be made from the tenant's own "
                               "loop; use the *_async method.")
        future = self._submit(coro)
        try:
            while True:
                try:
                    return future.result(timeout=TICK if progress is not None else None)
                except concurrent.futures.TimeoutError:
                    if future.done():  # the call itself raised TimeoutError
                        raise
                    if progress is not None:
                        progress.draw()
        except BaseException:
            future.cancel()
            raise
        finally:
            if progress is not None:
                progress.close()

    async def run_async(self, coro: Coroutine[Any, Any, T],
                        progress: Progress | None = None) -> T:
        """Run ``coro`` on the private loop and await it from the caller's loop."""
        if self._on_own_thread():  # already on the private loop (a tenant call inside another)
            try:
                return await coro
            finally:
                if progress is not None:
                    progress.close()
        waiter = asyncio.wrap_future(self._submit(coro))  # cancelling it cancels the call
        try:
            while True:
                done, _ = await asyncio.wait({waiter}, timeout=TICK)
                if done:
                    return waiter.result()
                if progress is not None:
                    progress.draw()
        except BaseException:
            waiter.cancel()
            raise
        finally:
            if progress is not None:
                progress.close()

    def close(self, final: Coroutine[Any, Any, Any] | None = None, timeout: float = 10.0) -> None:
        """Run ``final`` (closing the client) on the loop, then stop the loop and its thread."""
        if self._closed:
            if final is not None:
                final.close()
            return
        try:
            if final is not None and not self._on_own_thread():
                asyncio.run_coroutine_threadsafe(final, self.loop).result(timeout)
            elif final is not None:
                final.close()
        finally:
            self._closed = True
            self.loop.call_soon_threadsafe(self.loop.stop)
            if not self._on_own_thread():
                self._thread.join(timeout)
                if not self._thread.is_alive():
                    self.loop.close()
