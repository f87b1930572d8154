"""Progress of long listings: tqdm's auto mode (a widget in Jupyter, a bar on a terminal's
stderr), off when nobody is watching.

Progress is *automatic* by default: on in a Jupyter kernel or when stderr is a terminal, off when
the ``CI`` environment variable is set (as CI services do) or output is not interactive (a
pipe, a log file, cron). ``progress=True``/``False`` on a call overrides that, and tqdm's own
``TQDM_DISABLE=1`` turns every bar off.

Rows are counted on the tenant's loop thread (:meth:`Progress.add`) and drawn by the caller's
thread (:meth:`Progress.draw`, from :class:`~b2c_tui.api.runner.LoopRunner`): the bar is
created in the thread that runs the notebook cell, after ``delay`` seconds, so a listing that
fits in one quick page never shows one.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import IO, Any

_FALSE = frozenset({"", "0", "false", "no", "off"})


def in_ci(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """``CI`` is set to something other than an explicit no."""
    value = (environ if environ is not None else os.environ).get("CI")
    return value is not None and value.strip().lower() not in _FALSE


def in_jupyter() -> bool:
    """Running inside a Jupyter (IPython) kernel."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an odd IPython install must not break a listing
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def progress_wanted(setting: bool | None, stream: IO[str] | None = None) -> bool:
    """Whether to show progress: ``setting`` when given; else off in CI, on in Jupyter, on
    when ``stream`` (stderr) is a terminal."""
    if setting is not None:
        return bool(setting)
    if in_ci():
        return False
    if in_jupyter():
        return True
    stream = stream if stream is not None else sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False


def _tqdm_class() -> Any:
    """tqdm's notebook widget in Jupyter when ipywidgets is there, else the text bar: what
    ``tqdm.auto`` picks, without its warning when a notebook lacks ipywidgets (the text bar
    then shows in the cell's output)."""
    if in_jupyter():
        try:
            import ipywidgets  # noqa: F401
        except ImportError:
            pass
        else:
            from tqdm.notebook import tqdm as widget

            return widget
    from tqdm.std import tqdm as text

    return text


class Progress:
    """A row counter for one listing; drawn as a tqdm bar when wanted."""

    def __init__(self, description: str, *, enabled: bool | None = None,
                 file: IO[str] | None = None, delay: float = 0.5, unit: str = "rows") -> None:
        self.description = description
        self.file = file
        self.enabled = progress_wanted(enabled, file)
        self.delay = delay
        self.unit = unit
        self.rows = 0
        self.pages = 0
        self._lock = threading.Lock()
        self._bar: Any = None
        self._drawn = 0
        self._closed = False

    def add(self, rows: int) -> None:
        """Count a page of ``rows`` (thread-safe; called where the listing runs)."""
        with self._lock:
            self.rows += rows
            self.pages += 1

    def draw(self) -> None:
        """Bring the bar up to date (called by the waiting caller's thread)."""
        if not self.enabled or self._closed:
            return
        with self._lock:
            rows = self.rows
        if self._bar is None:
            self._bar = self._make_bar()
            if self._bar is None:
                return
        if rows > self._drawn:
            self._bar.update(rows - self._drawn)
            self._drawn = rows

    @property
    def drawn(self) -> int:
        """Rows the bar shows (0 while there is no bar)."""
        return self._drawn if self._bar is not None else 0

    def _make_bar(self) -> Any:
        try:
            tqdm = _tqdm_class()
        except ImportError:  # tqdm is a dependency; a broken install only loses the bar
            self.enabled = False
            return None
        return tqdm(desc=self.description, unit=f" {self.unit}", delay=self.delay,
                    file=self.file if self.file is not None else sys.stderr, leave=False,
                    dynamic_ncols=True)

    def close(self) -> None:
        """Final update and remove the bar (a finished listing needs no bar)."""
        if self._closed:
            return
        if self._bar is not None:
            self.draw()
            self._bar.close()
        self._closed = True
