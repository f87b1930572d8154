"""The pane base class, its navigation entry, and the "coming" placeholder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from ..context import AppContext
from ..safe_text import safe

if TYPE_CHECKING:
    from ...changes import JournalEntry
    from ...frames.export import ExportResult

PaneLoader = Callable[[], "type[ResourcePane]"]


@dataclass(frozen=True)
class PaneInfo:
    """A navigation entry: the pane class (imported, never looked up by name), or ``None``
    while the pane is not built yet (it shows as "coming").

    ``source`` may be the class itself or a function that imports it and returns it: the
    registry gives loaders, so start-up imports only the pane it shows first (each pane
    module, with its dialogs and screens, costs start-up time on every launch; some bring
    cryptography or pygments). :attr:`pane` is the class either way, imported on first use.
    """

    id: str
    title: str
    source: type[ResourcePane] | PaneLoader | None
    aliases: tuple[str, ...] = ()
    summary: str = ""

    @property
    def pane(self) -> type[ResourcePane] | None:
        """The pane class (its module is imported now if it was not yet)."""
        source = self.source
        if source is None or isinstance(source, type):
            return source
        return source()


class ResourcePane(Vertical):
    """One resource's view. Panes orchestrate: they run Graph work in workers through the
    client, hand plain values to dialogs, and post :class:`ResourcePane.Status` for the status
    line. Subclasses override :meth:`reload`, :meth:`apply_filter` and the export hooks."""

    DEFAULT_CSS = "ResourcePane { height: 1fr; }"
    #: a load is on its way (the status line says so). A plain attribute on purpose: as
    #: Textual's ``Widget.loading`` reactive it covered the whole pane with a loading
    #: indicator during every page request (the table vanished while the next page loaded), and
    #: a page landing before the pane was mounted could leave the indicator there for good.
    loading: bool = False  # type: ignore[assignment]
    can_filter: ClassVar[bool] = False
    can_export: ClassVar[bool] = False
    #: this pane's worker groups that leaving it cancels: loads. Writes, exports and other
    #: panes' work go on (a change already sent must finish and report).
    hide_cancels: ClassVar[frozenset[str]] = frozenset()

    class Status(Message):
        """Row counts or a one-line note for the status line (``pending``: the count of
        edits not committed yet, when the pane has some)."""

        def __init__(self, rows: str = "", message: str = "", pending: str = "") -> None:
            super().__init__()
            self.rows = rows
            self.message = message
            self.pending = pending

    def __init__(self, context: AppContext, info: PaneInfo) -> None:
        super().__init__(id=f"pane-{info.id}", classes="pane")
        self.context = context
        self.info = info
        self.filter_text = ""
        self._shown_once = False

    def pane_shown(self) -> None:
        """Called by the app each time this pane becomes the current one."""
        if not self._shown_once:
            self._shown_once = True
            self.reload()

    def focus_default(self) -> None:
        """Give the keyboard to the pane's main widget when it becomes current."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def pane_hidden(self) -> None:
        """Called when the user leaves the pane: cancel the loads in flight."""
        for group in self.hide_cancels:
            self.workers.cancel_group(self, group)

    @property
    def filter_hint(self) -> str:
        """What the ``/`` prompt says it does (server-side search, or filtering rows)."""
        return "filter this view"

    def receive(self, subject: object) -> None:
        """Another pane handed this one a subject (:class:`~b2c_tui.tui.messages.OpenPane`);
        panes that take one override this."""

    def reload(self) -> None:
        """Fetch the data again (``r``)."""

    def apply_filter(self, text: str) -> None:
        """Narrow the view (``/``)."""
        self.filter_text = text

    def start_export(self, kind: str = "") -> None:
        """Export the view to CSV (``e``): ``loaded`` rows, ``all`` pages, or ask."""

    def say_export(self, path: Path, result: ExportResult) -> None:
        """Say how an export to ``path`` ended (where it went, when it worked)."""
        severity: Literal["information", "warning", "error"] = (
            "information" if result.ok
            else "warning" if result.status == "cancelled" else "error")
        where = f"\n{safe(str(path))}" if result.ok else ""
        self.notify(safe(result.message) + where, title=f"Export {result.status}",
                    severity=severity, timeout=10, markup=False)

    def pending_count(self) -> int:
        """Edits made in this pane and not committed (leaving the app asks first)."""
        return 0

    def journal_undone(self, entry: JournalEntry) -> None:
        """The journal screen undid ``entry`` (a change of some pane): panes showing that
        kind of object show it again as it now is."""


class ComingPane(ResourcePane):
    """A pane whose issue has not landed yet."""

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"{self.info.title}\n\n", style="bold")
        body.append(f"{self.info.summary}.\n\n")
        body.append("Coming: this pane is not built yet. The Graph client already supports it "
                    "(see the Python API).", style="italic")
        yield Static(body, classes="coming")
