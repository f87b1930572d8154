"""The explorer application: wiring only (panes, navigation, status line, prompts, palette)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Header, OptionList
from textual.widgets.option_list import Option

from ..connection import Connection
from . import timing
from .collector import QuietCollector
from .commands import (
    ChangeCommands,
    ExportCommands,
    PaneCommands,
    ProfileCommands,
    ThemeCommands,
)
from .context import AppContext
from .dialogs.confirm import ConfirmDialog, drop_pending_dialog
from .kit.base import ComingPane, PaneInfo, ResourcePane
from .messages import OpenPane
from .registry import PANES, find_pane
from .safe_text import safe
from .screens.help import HelpScreen
from .screens.journal import JournalScreen, reconcile_at_start
from .screens.prompt import PromptScreen
from .settings import remember, remembered_theme
from .themes import DEFAULT_THEME, load_themes
from .widgets.export_bar import ExportBar
from .widgets.footer import BindingsFooter
from .widgets.status_line import StatusLine
from .widgets.table import VirtualTable

if TYPE_CHECKING:
    from ..changes import JournalEntry

log = logging.getLogger(__name__)


class PaneList(OptionList):
    """The navigation: every resource pane, the tenant dashboard first."""

    DEFAULT_CSS = "PaneList { width: 24; height: 1fr; }"


class B2CApp(App[None]):
    """b2c-tui: a terminal explorer for Azure AD B2C and Entra External ID tenants."""

    TITLE = "b2c-tui"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {
        PaneCommands, ExportCommands, ProfileCommands, ThemeCommands, ChangeCommands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("colon", "goto_prompt", "Go to", id="app.goto"),
        Binding("slash", "filter_prompt", "Filter", id="app.filter"),
        Binding("r", "reload", "Refresh", id="app.reload"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("ctrl+x", "cancel_export", "Cancel export", id="app.cancel_export"),
        Binding("ctrl+z", "journal", "Journal", id="app.journal"),
        Binding("ctrl+b", "toggle_nav", "Panes", id="app.toggle_nav"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, connection: Connection, *, theme: str | None = None,
                 pane: str | None = None) -> None:
        """``pane``: the pane to open first (a name as ``:`` takes it; the first of
        :data:`~.registry.PANES`, the tenant dashboard, by default)."""
        super().__init__()
        self.context = AppContext(connection)
        #: garbage collection between keys once the first rows are shown (see the module)
        self.collector = QuietCollector()
        # An explicit theme wins; else the one chosen last time (remembered on change). Set
        # here, before the stylesheet is first parsed: set on mount, it had every rule parsed
        # and applied twice (once with Textual's default theme).
        self._remember_theme = False
        for loaded in load_themes():
            self.register_theme(loaded)
        wanted = theme or remembered_theme() or DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        # The stylesheet is not parsed yet: give it the theme's variables now, and skip the
        # re-parse and whole-tree re-apply that setting the theme queued (see refresh_css).
        self._startup_css: dict[str, str] | None = self.get_css_variables()
        self.stylesheet.set_variables(self._startup_css)
        self._remember_theme = True
        first = find_pane(pane) if pane else None
        #: the pane shown first, and again when another profile is opened
        self.start_pane = (first or PANES[0]).id
        self.current_pane: str = self.start_pane

    # -- composition -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="body"):
            yield PaneList(*(Option(p.title, id=p.id) for p in PANES), id="nav")
            # The first pane is composed with the rest (one mount, one layout), the others
            # on their first visit (show_pane).
            first = find_pane(self.current_pane)
            with ContentSwitcher(id="panes"):
                if first is not None:
                    yield self._build_pane(first)
        yield ExportBar(id="export-bar")
        yield StatusLine(id="status")
        yield BindingsFooter()

    def on_mount(self) -> None:
        self._apply_connection()
        self.context.client.core.add_listener(self._on_throttle)
        self.show_pane(self.current_pane)
        self.reconcile_journal()
        if timing.enabled():
            timing.watch_frames(self, lambda: any(t.row_count for t in self.query(VirtualTable)))
        # Fallback when no rows ever arrive (a Graph error, an empty tenant).
        self.set_timer(5.0, self._start_collector)

    def _start_collector(self) -> None:
        self.collector.start(self)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.input()
        await super().on_event(event)

    def _apply_connection(self) -> None:
        conn = self.context.connection
        status = self.query_one(StatusLine)
        status.tenant = conn.tenant
        status.cloud = conn.cloud
        status.mode = "demo" if conn.demo else ("production" if conn.production else "live")
        status.read_only = conn.read_only
        self.sub_title = conn.label + ("  read-only" if conn.read_only else "")
        self.screen.set_class(conn.production, "-production")

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's, except the one queued by choosing the theme in ``__init__``: nothing is
        parsed yet then, and the variables are already the theme's (it cost a whole re-parse
        and re-apply of the stylesheet during start-up)."""
        startup, self._startup_css = getattr(self, "_startup_css", None), None
        if startup is not None and startup == self.get_css_variables():
            return
        super().refresh_css(animate)

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme:
            remember(theme=theme)

    def _on_throttle(self, event: Any) -> None:
        # Called from the client inside a worker: the status line updates on the next refresh.
        status = self.query_one_optional(StatusLine)
        if status is not None:  # None while the app closes
            status.on_throttle(event)

    # -- panes -------------------------------------------------------------------------------
    def _build_pane(self, info: PaneInfo) -> ResourcePane:
        if info.pane is None:
            return ComingPane(self.context, info)
        return info.pane(self.context, info)

    def show_pane(self, pane_id: str) -> None:
        """Make ``pane_id`` current, building it on first visit; leaving cancels its work."""
        info = find_pane(pane_id)
        if info is None:
            self.notify(f"No pane called {safe(pane_id)!r}", severity="warning", markup=False)
            return
        switcher = self.query_one(ContentSwitcher)
        previous = self.pane(self.current_pane)
        if previous is not None and info.id != self.current_pane:
            previous.pane_hidden()
        pane = self.pane(info.id)
        if pane is None:
            pane = self._build_pane(info)
            switcher.mount(pane)
        self.current_pane = info.id
        switcher.current = pane.id
        nav = self.query_one(PaneList)
        nav.highlighted = [p.id for p in PANES].index(info.id)
        self.query_one(StatusLine).rows = ""
        self.query_one(StatusLine).pending = ""
        # On the pane's own queue, so right after it is composed (its first page is asked
        # for while the first frame is drawn, and the keys work as soon as rows show), not
        # after the screen has settled.
        pane.call_later(pane.pane_shown)
        pane.call_later(pane.focus_default)
        self.refresh_bindings()

    def pane(self, pane_id: str) -> ResourcePane | None:
        try:
            return self.query_one(f"#pane-{pane_id}", ResourcePane)
        except Exception:
            return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "nav" and event.option.id:
            self.show_pane(event.option.id)

    def on_open_pane(self, event: OpenPane) -> None:
        """A pane asked for another one (and may hand it a subject, such as a user)."""
        self.open_pane(event.pane_id, event.subject)

    def open_pane(self, pane_id: str, subject: object | None = None) -> None:
        """Show ``pane_id`` and hand it ``subject`` (see :class:`OpenPane`)."""
        self.show_pane(pane_id)
        pane = self.pane(pane_id)
        if subject is not None and pane is not None:
            pane.receive(subject)

    def on_resource_pane_status(self, event: ResourcePane.Status) -> None:
        status = self.query_one_optional(StatusLine)
        if status is None:  # a pane's last word while the app closes
            return
        status.rows = event.rows
        status.message = event.message
        status.pending = event.pending
        if event.rows and not self.collector.running:
            self.call_after_refresh(self._start_collector)

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pane = self.pane(self.current_pane)
        if action == "filter_prompt":
            return bool(pane and pane.can_filter) or None
        if action == "export":
            return bool(pane and pane.can_export) or None
        if action == "cancel_export":
            return self.query_one(ExportBar).running
        return True

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_goto_prompt(self) -> None:
        def chosen(value: str | None) -> None:
            if value and find_pane(value) is not None:
                while len(self.screen_stack) > 1:  # `:` from the detail view: leave it
                    self.pop_screen()
            if value:
                self.show_pane(value)

        names = [p.id for p in PANES] + [a for p in PANES for a in p.aliases]
        self.push_screen(PromptScreen(":", placeholder="pane name (users, policies, keys…)",
                                      suggestions=names), chosen)

    def action_filter_prompt(self) -> None:
        pane = self.pane(self.current_pane)
        if pane is None or not pane.can_filter:
            return

        def chosen(value: str | None) -> None:
            if value is not None:
                pane.apply_filter(value)

        self.push_screen(PromptScreen("/", pane.filter_text, pane.filter_hint), chosen)

    def action_reload(self) -> None:
        pane = self.pane(self.current_pane)
        if pane is not None:
            pane.reload()

    def action_export(self, kind: str = "") -> None:
        pane = self.pane(self.current_pane)
        if pane is not None and pane.can_export:
            pane.start_export(kind)

    def action_cancel_export(self) -> None:
        self.query_one(ExportBar).request_cancel()

    @work(exclusive=True, group="profile")
    async def action_switch_profile(self, name: str) -> None:
        """Open another tenant profile ('' for the demo tenant) off the event loop; with
        edits not committed, ask first."""
        from ..connection import connect
        from ..graph.errors import B2CTuiError

        if not await self.drop_pending_ok("Switch tenant"):
            return

        def device_code(prompt: object) -> None:
            self.call_from_thread(self.notify, safe(str(prompt)), title="Sign in", timeout=60,
                                  markup=False)

        try:
            connection = await asyncio.to_thread(
                connect, name or None, demo=not name, device_code_callback=device_code
            )
        except B2CTuiError as exc:
            self.notify(safe(str(exc)), title="Cannot open tenant", severity="error",
                        markup=False)
            return
        await self.switch_connection(connection)
        self.notify(f"Opened {safe(connection.label)}", markup=False)

    def action_toggle_nav(self) -> None:
        nav = self.query_one(PaneList)
        nav.display = not nav.display

    def action_goto(self, pane_id: str) -> None:
        self.show_pane(pane_id)

    def action_set_theme(self, name: str) -> None:
        self.theme = name

    async def switch_connection(self, connection: Connection) -> None:
        """Open another tenant: every pane is rebuilt against it."""
        old = self.context.connection
        for pane in list(self.query(ResourcePane)):
            await pane.remove()  # unmounting cancels the pane's (and its widgets') workers
        self.context = AppContext(connection)
        self.context.client.core.add_listener(self._on_throttle)
        self._apply_connection()
        self.show_pane(self.start_pane)
        self.reconcile_journal()
        await old.aclose()

    # -- pending edits and the journal (issue 16) ------------------------------------------
    def pending_edits(self) -> int:
        """Edits made in any pane and not committed yet."""
        return sum(pane.pending_count() for pane in self.query(ResourcePane))

    async def drop_pending_ok(self, doing: str) -> bool:
        """``True`` when nothing is pending, or the user agrees to drop it (from a worker)."""
        count = self.pending_edits()
        if not count:
            return True
        dialog = drop_pending_dialog(doing, count)
        return bool(await self.push_screen_wait(dialog))  # type: ignore[arg-type]

    async def action_quit(self) -> None:
        """``q``: quit; with edits not committed, ask first."""
        count = self.pending_edits()
        if not count:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(drop_pending_dialog("Quit", count), answered)

    def action_journal(self) -> None:
        """``ctrl+z``: the journal of the open tenant, to review and undo changes."""
        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen(self.context.connection, undone=self._undone))

    def _undone(self, entry: JournalEntry) -> None:
        for pane in self.query(ResourcePane):
            pane.journal_undone(entry)

    @work(group="reconcile", exit_on_error=False)
    async def reconcile_journal(self) -> None:
        """Settle what a crashed run left pending in the journal, and say what was found."""
        from ..graph.errors import B2CTuiError

        try:
            note = await reconcile_at_start(self.context.connection)
        except B2CTuiError as exc:
            self.notify(safe(str(exc)), title="Cannot check the journal", severity="warning",
                        markup=False)
            return
        if note:
            self.notify(note, title="Journal: a previous run was cut short",
                        severity="warning", markup=False, timeout=20)

    def _fatal_error(self) -> None:
        """The crash report, without secrets.

        Textual's own (``App._fatal_error``) renders a rich traceback with ``show_locals=True``:
        a crash inside a request printed the ``Authorization: Bearer …`` header held in a local.
        Textual has no public switch for it (checked in 8.0 to 8.2), so this override of the
        private hook draws the traceback without locals and redacts what remains (exception
        messages) with :func:`b2c_tui.graph.redact.redact`. Everything else is as Textual does.
        """
        import rich
        from rich.segment import Segment, Segments
        from rich.traceback import Traceback

        from ..graph.redact import redact

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        segments = [Segment(redact(s.text), s.style, s.control)
                    for s in self.console.render(traceback, self.console.options)]
        self._exit_renderables.append(Segments(segments))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        self.collector.stop()
        await self.context.connection.aclose()
